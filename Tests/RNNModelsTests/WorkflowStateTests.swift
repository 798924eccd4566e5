import Foundation
import NumericCore
import RNNModels
import SafeTensors
import TestSupport
import XCTest

/// The state behind `train`'s workflow options: the plateau schedule against PyTorch's
/// `ReduceLROnPlateau`, early stopping, tied weights, and their exact resume from a checkpoint.
final class WorkflowStateTests: XCTestCase {
  static let text = String(repeating: "To be, or not to be, that is the question: ", count: 30)

  /// `plateau.json` (scripts/python/make_plateau_fixture.py): the rate after each of 32
  /// hand-made validation losses, for four settings of factor, patience, cooldown and min_lr.
  /// PyTorch keeps the rate in double precision from a double `lr`; `rnn` keeps a factor of a
  /// Float `lr`, so the rates agree to Float precision (a missed or extra reduction would be off
  /// by the factor, at least 30%).
  func testPlateauMatchesPyTorchReduceLROnPlateau() throws {
    let fixture = try Fixtures.json("plateau.json")
    let losses = (fixture["losses"] as? [Double]) ?? []
    let cases = (fixture["cases"] as? [[String: Any]]) ?? []
    XCTAssertEqual(losses.count, 32)
    XCTAssertEqual(cases.count, 4)
    for c in cases {
      let lr = Float((c["lr"] as? Double) ?? .nan)
      let gamma = Float((c["factor"] as? Double) ?? .nan), floor = Float((c["floor"] as? Double) ?? .nan)
      let patience = (c["patience"] as? Int) ?? -1, cooldown = (c["cooldown"] as? Int) ?? -1
      let expected = (c["rates"] as? [Double]) ?? []
      XCTAssertEqual(expected.count, losses.count)
      var state = PlateauState()
      var reductions = 0
      for (i, loss) in losses.enumerated() {
        if state.observe(loss, lr: lr, gamma: gamma, patience: patience, cooldown: cooldown, floor: floor) { reductions += 1 }
        let rate = Double(lr) * state.scale
        XCTAssertEqual(rate, expected[i], accuracy: expected[i] * 1e-6, "\(c) after loss \(i)")
      }
      XCTAssertGreaterThan(reductions, 0, "the fixture must exercise reductions")
    }
  }

  /// By hand, patience 1, factor 0.5, cooldown 1: the second bad evaluation halves the rate; the
  /// cool-down evaluation after it does not count; a loss within the relative threshold 1e-4 of
  /// the best is no improvement; the floor holds.
  func testPlateauByHand() {
    var s = PlateauState()
    func step(_ loss: Double) -> Bool { s.observe(loss, lr: 1, gamma: 0.5, patience: 1, cooldown: 1, floor: 0.2) }
    XCTAssertFalse(step(1.0))  // first: best
    XCTAssertFalse(step(0.99995))  // within 1e-4 of 1.0: bad 1
    XCTAssertTrue(step(1.0))  // bad 2 > 1: 0.5
    XCTAssertEqual(s.scale, 0.5)
    XCTAssertFalse(step(1.1))  // cool-down: counts as 0
    XCTAssertFalse(step(1.1))  // bad 1
    XCTAssertTrue(step(1.1))  // bad 2: 0.25
    XCTAssertFalse(step(1.1))  // cool-down
    XCTAssertFalse(step(1.1))
    XCTAssertTrue(step(1.1))  // 0.125 → floor 0.2
    XCTAssertEqual(s.scale, Double(Float(0.2)), accuracy: 1e-15)
    XCTAssertFalse(step(1.1))
    XCTAssertFalse(step(1.1))
    XCTAssertFalse(step(1.1))  // at the floor: no reduction reported
    XCTAssertEqual(s.scale, Double(Float(0.2)), accuracy: 1e-15)
  }

  /// Keras's counting: the first evaluation is a best; patience N is reached at the N-th
  /// evaluation in a row without a strictly lower loss.
  func testEarlyStoppingCounts() {
    var s = EarlyStoppingState()
    XCTAssertTrue(s.observe(2.0, step: 10))
    XCTAssertFalse(s.observe(2.0, step: 20))  // equal is no improvement
    XCTAssertTrue(s.observe(1.5, step: 30))
    XCTAssertEqual(s.sinceBest, 0)
    XCTAssertFalse(s.observe(1.6, step: 40))
    XCTAssertFalse(s.observe(1.7, step: 50))
    XCTAssertEqual(s.sinceBest, 2)
    XCTAssertEqual(s.best, 1.5)
    XCTAssertEqual(s.bestStep, 30)
    XCTAssertEqual(EarlyStoppingState(values: s.values), s)
    XCTAssertNil(EarlyStoppingState(values: [1, 2, 3, 0.5]))
    XCTAssertNil(PlateauState(values: [2, 1, 0, 0]))
  }

  func fresh(_ cell: CellKind, _ options: TrainingOptions, vocabulary: Int, tied: Bool) throws -> Trainer {
    let config = ModelConfig(cell: cell, vocabSize: vocabulary, embed: 8, hidden: 8, layers: 2, dropout: 0.1, tied: tied)
    let model = try LanguageModel(config: config, seed: 5)
    return Trainer(model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 5))
  }

  /// Trains `chunks` chunks of 4 steps, each followed by a validation that moves the plateau
  /// schedule and the early-stopping tracker (keeping the best weights), as `train … eval_every 4
  /// schedule plateau restore_best true` does.
  func run(_ trainer: Trainer, _ options: TrainingOptions, corpus: Corpus, chunks: Int) throws {
    for _ in 0..<chunks {
      _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 4)
      let loss = try Evaluator.evaluate(model: trainer.model, tokens: corpus.tokens(of: .validation)).loss
      _ = trainer.state.observePlateau(loss, options: options)
      var tracker = trainer.state.earlyStopping ?? EarlyStoppingState()
      if tracker.observe(loss, step: trainer.state.step) { tracker.bestParameters = trainer.model.parameters.array }
      trainer.state.earlyStopping = tracker
    }
  }

  /// 10 chunks straight, or 5, save, load in a fresh trainer and 5 more: the same parameters and
  /// state bit for bit, plateau factor and early-stopping tracker (with its best weights)
  /// included; with tied weights and without, for every cell. The rate really moved.
  func testPlateauEarlyStoppingAndTyingResumeExactly() throws {
    let corpus = try Corpus(text: Self.text, fractions: SplitFractions(train: 0.8, validation: 0.2))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("workflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let options = TrainingOptions(
      batch: 3, seq: 10, learningRate: 0.5, schedule: .plateau(gamma: 0.5, patience: 0, cooldown: 1, floor: 0.01))
    for cell in CellKind.allCases {
      for tied in [false, true] {
        let straight = try fresh(cell, options, vocabulary: corpus.vocabulary.count, tied: tied)
        try run(straight, options, corpus: corpus, chunks: 10)
        XCTAssertLessThan(straight.state.plateau?.scale ?? 1, 1, "\(cell): the plateau schedule never lowered the rate")
        let first = try fresh(cell, options, vocabulary: corpus.vocabulary.count, tied: tied)
        try run(first, options, corpus: corpus, chunks: 5)
        let path = dir.appendingPathComponent("\(cell)-\(tied).safetensors").path
        try ModelCheckpoint.save(
          CheckpointContents(model: first.model, vocabulary: corpus.vocabulary, trainer: first, options: options, corpus: corpus),
          to: path)
        let loaded = try ModelCheckpoint.load(path: path)
        XCTAssertEqual(loaded.config.tied, tied)
        XCTAssertEqual(loaded.options, options)
        XCTAssertEqual(loaded.training, first.state)
        let resumed = try loaded.makeTrainer()
        try run(resumed, options, corpus: corpus, chunks: 5)
        XCTAssertEqual(resumed.model.parameters.array, straight.model.parameters.array, "\(cell) tied \(tied)")
        XCTAssertEqual(resumed.state, straight.state, "\(cell) tied \(tied)")
      }
    }
  }

  /// A tied model has one [V, H] parameter; its checkpoint holds it twice, as `encoder.weight` and
  /// `decoder.weight` (what a tied PyTorch module's `state_dict` holds), with `"tied": true` in
  /// `config` and the optimizer's slots once; a file whose two copies differ is refused.
  func testTiedCheckpointWritesBothKeysAndChecksThem() throws {
    let corpus = try Corpus(text: Self.text)
    let options = TrainingOptions(batch: 2, seq: 8)
    let untied = try fresh(.lstm, options, vocabulary: corpus.vocabulary.count, tied: false)
    let trainer = try fresh(.lstm, options, vocabulary: corpus.vocabulary.count, tied: true)
    let V = corpus.vocabulary.count
    XCTAssertEqual(trainer.model.parameterCount, untied.model.parameterCount - V * 8)
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 3)
    let file = try ModelCheckpoint.encode(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus))
    let encoder = try XCTUnwrap(file["encoder.weight"]).floatsWidening()
    XCTAssertEqual(try XCTUnwrap(file["decoder.weight"]).floatsWidening(), encoder)
    XCTAssertEqual(trainer.model.tensor(named: "decoder.weight"), encoder)
    XCTAssertTrue(file.metadata["config"]?.contains("\"tied\":true") ?? false)
    XCTAssertNotNil(file["optimizer.exp_avg.encoder.weight"])
    XCTAssertNil(file["optimizer.exp_avg.decoder.weight"])

    var edited = try SafeTensorsFile()
    for name in file.names {
      var entry = try XCTUnwrap(file[name])
      if name == "decoder.weight" {
        var values = try entry.floatsWidening()
        values[3] += 1
        entry = try TensorEntry(name: name, shape: entry.shape, values: values)
      }
      try edited.append(entry)
    }
    edited.metadata = file.metadata
    XCTAssertThrowsError(try ModelCheckpoint.decode(edited, path: "t.safetensors")) { error in
      XCTAssertTrue("\(error)".contains("decoder.weight"), "\(error)")
    }
    XCTAssertThrowsError(try ModelConfig(cell: .gru, vocabSize: 5, embed: 4, hidden: 6, layers: 1, tied: true).validate()) {
      XCTAssertTrue("\($0)".contains("embed 4, hidden 6"), "\($0)")
    }
  }
}
