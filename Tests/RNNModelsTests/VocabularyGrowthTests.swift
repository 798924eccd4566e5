import Foundation
import NumericCore
import RNNModels
import XCTest

/// Growing a model's vocabulary (`VocabularyGrowth`), the vocabulary and corpus it reads then
/// (`Vocabulary.extended`, `Corpus.remapped`), and checkpoints of such a model.
final class VocabularyGrowthTests: XCTestCase {
  static let text = String(repeating: "To be, or not to be, that is the question: ", count: 30)

  private func trained(_ cell: CellKind, optimizer: OptimizerConfig.Kind = .adam) throws -> (Trainer, Corpus) {
    let corpus = try Corpus(text: Self.text)
    let config = ModelConfig(cell: cell, vocabSize: corpus.vocabulary.count, embed: 5, hidden: 7, layers: 2)
    let options = TrainingOptions(batch: 2, seq: 8, learningRate: 0.01, optimizer: OptimizerConfig(kind: optimizer))
    let model = try LanguageModel(config: config, seed: 4)
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 4))
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 12)
    return (trainer, corpus)
  }

  func testNewRowsAreDrawnFromTheTrainingGeneratorAsAFreshModelDrawsThemAndNothingElseChanges() throws {
    for cell in CellKind.allCases {
      let (trainer, _) = try trained(cell)
      let old = trainer.model
      let (V, E, H, n) = (old.config.vocabSize, old.config.embed, old.config.hidden, 3)
      let grown = try VocabularyGrowth.grow(trainer, by: n)
      XCTAssertEqual(grown.model.config.vocabSize, V + n)
      // The documented draws: encoder rows ~ N(0, 1), then decoder rows and bias ~ U(-1/√H, 1/√H).
      var rng = trainer.state.rng
      let bound = 1 / Float(H).squareRoot()
      let encoderRows = (0..<(n * E)).map { _ in rng.nextNormal() }
      let decoderRows = (0..<(n * H)).map { _ in rng.uniform(-bound, bound) }
      let biases = (0..<n).map { _ in rng.uniform(-bound, bound) }
      XCTAssertEqual(grown.model.tensor(named: "encoder.weight"), old.tensor(named: "encoder.weight")! + encoderRows)
      XCTAssertEqual(grown.model.tensor(named: "decoder.weight"), old.tensor(named: "decoder.weight")! + decoderRows)
      XCTAssertEqual(grown.model.tensor(named: "decoder.bias"), old.tensor(named: "decoder.bias")! + biases)
      for e in old.layout.entries where e.name.hasPrefix("rnn.") {
        XCTAssertEqual(grown.model.tensor(named: e.name), old.tensor(named: e.name), e.name)
      }
      XCTAssertEqual(grown.state.rng, rng)  // advanced past the draws: the next dropout masks follow them
      XCTAssertEqual(grown.state.step, trainer.state.step)
      XCTAssertEqual(grown.state.optimizer.step, trainer.state.optimizer.step)
      XCTAssertEqual(grown.state.hidden, trainer.state.hidden)
      // The same trainer grows the same way.
      XCTAssertEqual(try VocabularyGrowth.grow(trainer, by: n).model.parameters.array, grown.model.parameters.array)
    }
  }

  func testOptimizerStateIsKeptForOldRowsAndZeroForNewOnes() throws {
    for kind in [OptimizerConfig.Kind.adam, .rmsprop, .sgd, .adagrad] {
      let (trainer, corpus) = try trained(.lstm, optimizer: kind)
      let newText = "Zounds! " + Self.text
      let (vocabulary, added) = corpus.vocabulary.extended(with: Vocabulary(of: newText).scalars)
      XCTAssertEqual(added, ["!", "Z", "d"])  // by code point, as the new corpus numbers them
      let grown = try VocabularyGrowth.grow(trainer, by: added.count)
      XCTAssertEqual(Set(grown.state.optimizer.slots.keys), Set(trainer.state.optimizer.slots.keys))
      for (slot, values) in grown.state.optimizer.slots {
        XCTAssertEqual(values.count, grown.model.parameterCount)
        for e in grown.model.layout.entries {
          let before = trainer.model.layout.entry(named: e.name)!
          let now = values[e.offset..<(e.offset + e.count)]
          XCTAssertEqual(
            Array(now.prefix(before.count)), Array(trainer.state.optimizer.slots[slot]![before.offset..<(before.offset + before.count)]))
          XCTAssertTrue(now.dropFirst(before.count).allSatisfy { $0 == 0 }, "\(kind) \(slot) \(e.name)")
        }
      }
      // It trains on: a corpus numbered by the grown vocabulary.
      let options = TrainingOptions(batch: 2, seq: 8, learningRate: 0.01, optimizer: OptimizerConfig(kind: kind))
      let remapped = try Corpus(text: newText).remapped(to: vocabulary)
      XCTAssertNoThrow(try grown.train(on: remapped.tokens(of: .train), options: options, steps: 3))
      XCTAssertTrue(grown.model.parametersAreFinite)
    }
  }

  func testTheExtendedVocabularyKeepsEveryIndexAndACorpusIsRenumberedForIt() throws {
    let base = Vocabulary(of: "cab")
    let (v, added) = base.extended(with: Array("zebra!".unicodeScalars))
    XCTAssertEqual(added, ["z", "e", "r", "!"])
    XCTAssertEqual(v.scalars, ["a", "b", "c", "z", "e", "r", "!"])
    XCTAssertEqual(v.index(of: "!"), 6)
    XCTAssertNil(Vocabulary(distinct: ["a", "b", "a"]))
    let corpus = try Corpus(text: "brace zebra brace zebra", fractions: .init(train: 0.5))
    let remapped = try corpus.remapped(to: Vocabulary(distinct: v.scalars + [" "])!)
    XCTAssertEqual(remapped.vocabulary.decode(remapped.tokens.array), "brace zebra brace zebra")
    XCTAssertEqual(remapped.splits.train, corpus.splits.train)
    XCTAssertEqual(remapped.fingerprint, corpus.fingerprint)
    XCTAssertThrowsError(try corpus.remapped(to: v)) { error in
      XCTAssertTrue("\(error)".contains("1 character outside the vocabulary: \" \""), "\(error)")
    }
  }

  func testACheckpointOfAGrownModelKeepsItsVocabularyOrderAndResumesExactly() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let (trainer, corpus) = try trained(.gru)
    let newText = String(repeating: "Zounds! who is there? ", count: 20)
    let (vocabulary, added) = corpus.vocabulary.extended(with: Vocabulary(of: newText).scalars)
    let grown = try VocabularyGrowth.grow(trainer, by: added.count)
    let text = try Corpus(text: newText).remapped(to: vocabulary)
    let options = TrainingOptions(batch: 2, seq: 8, learningRate: 0.01)
    _ = try grown.train(on: text.tokens(of: .train), options: options, steps: 5)
    let path = dir.appendingPathComponent("g.safetensors").path
    try ModelCheckpoint.save(
      CheckpointContents(model: grown.model, vocabulary: vocabulary, trainer: grown, options: options, corpus: text), to: path)
    let loaded = try ModelCheckpoint.load(path: path)
    XCTAssertEqual(loaded.vocabulary.scalars, vocabulary.scalars)  // not sorted: the added ones follow
    let resumed = try loaded.makeTrainer()
    _ = try grown.train(on: text.tokens(of: .train), options: options, steps: 5)
    _ = try resumed.train(on: text.tokens(of: .train), options: options, steps: 5)
    XCTAssertEqual(resumed.model.parameters.array, grown.model.parameters.array)
    XCTAssertEqual(resumed.state, grown.state)
  }
}
