import RNNModels
import TestSupport
import XCTest

/// The lecture's seed example: a character-level model of the word "hello" (vocabulary h, e, l, o)
/// learns to spell it: primed with "h" it continues "ello" when sampled greedily.
final class HelloTests: XCTestCase {
  func testEveryCellLearnsHello() throws {
    let corpus = try Corpus(text: "hello", source: "hello", fractions: SplitFractions(train: 1))
    XCTAssertEqual(corpus.vocabulary.scalars.map { String($0) }, ["e", "h", "l", "o"])
    for cell in CellKind.allCases {
      let config = ModelConfig(cell: cell, vocabSize: corpus.vocabulary.count, embed: 8, hidden: 16, layers: 1)
      let model = try LanguageModel(config: config, seed: 1)
      let options = TrainingOptions(batch: 1, seq: 4, learningRate: 0.01)
      let trainer = Trainer(
        model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 1))
      let outcome = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 300)
      XCTAssertLessThan(outcome.lastLoss!, 0.05, "\(cell) did not fit hello")
      let sampler = try Sampler(model: model, vocabulary: corpus.vocabulary)
      let text = try sampler.sample(SamplingOptions(length: 4, temperature: 0, prime: "h"))
      XCTAssertEqual("h" + text, "hello", "\(cell)")
    }
  }
}
