import RNNModels
import TestSupport
import XCTest

/// A shortened version of the reference run (scripts/shakespeare-reference.sh) on
/// ../shared/corpora/tinyshakespeare.txt; skipped when that file is absent.
final class ShakespeareReferenceRunTests: XCTestCase {
  func testShortLSTMRunLearns() throws {
    guard let path = Fixtures.tinyShakespearePath() else { throw XCTSkip("../shared/corpora/tinyshakespeare.txt not found") }
    let corpus = try Corpus.load(path: path, fractions: SplitFractions(train: 0.9))
    XCTAssertEqual(corpus.tokens.count, 1_115_394)
    XCTAssertEqual(corpus.vocabulary.count, 65)
    let config = ModelConfig(cell: .lstm, vocabSize: 65, embed: 32, hidden: 64, layers: 1)
    let model = try LanguageModel(config: config, seed: 1)
    let options = TrainingOptions(batch: 16, seq: 32, learningRate: 5e-3, clipping: .norm(5))
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 1))
    let validation = corpus.tokens(of: .validation).slice(0..<20_000)
    let before = try Evaluator.evaluate(model: model, tokens: validation)
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 200)
    let after = try Evaluator.evaluate(model: model, tokens: validation)
    print("tiny-shakespeare short run: validation \(before.loss) → \(after.loss) nats/char after 200 steps")
    XCTAssertGreaterThan(before.loss, 4.0)
    XCTAssertLessThan(after.loss, 2.6)
  }
}
