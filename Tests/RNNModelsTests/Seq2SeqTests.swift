import Foundation
import NumericCore
import SafeTensors
import TestSupport
import XCTest

@testable import RNNModels

/// The sequence-to-sequence model: parity with PyTorch (`scripts/python/make_seq2seq_fixtures.py`),
/// a finite-difference check of every gradient (attention included), decoding consistent with the
/// training pass, exact resume through a checkpoint, and the data's errors.
///
/// Parity tolerance, as `PyTorchParityTests`: 1e-5 relative with differences below 1e-6 ignored
/// (relative error floored at 0.1) — float32 sums in another order, fast tanh/sigmoid/exp within
/// 2–3 ulp. Gradient check tolerance, as `GradientCheckTests`: central differences with h = 1e-2,
/// each element within 1e-4 + 1e-2·|analytic|, the whole within 1e-3 relative.
final class Seq2SeqTests: XCTestCase {
  static let rtol: Float = 1e-5
  static let floor: Float = 0.1

  func testParityWithPyTorch() throws {
    let fixtures = try Fixtures.json("seq2seq_parity.json")
    XCTAssertEqual(fixtures.count, 6)
    for key in fixtures.keys.sorted() { try parity(fixtures[key] as! [String: Any], key) }
  }

  private func parity(_ f: [String: Any], _ key: String) throws {
    let sizes = f["sizes"] as! [String: Int]
    let model = try Seq2SeqModel(
      cell: CellKind(rawValue: f["cell"] as! String)!, source: Self.vocabulary(sizes["source_vocab"]!),
      target: Self.vocabulary(sizes["target_tokens"]! - 1), embed: sizes["embed"]!, hidden: sizes["hidden"]!,
      layers: sizes["layers"]!, attention: f["attention"] as! Bool, seed: 0)
    let params = (f["params"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    let tensors = Seq2SeqCheckpoint.tensors(model)
    XCTAssertEqual(Set(tensors.map(\.name)), Set(params.keys), "\(key): tensor names are PyTorch's")
    for t in tensors { t.pointer.update(from: params[t.name]!, count: params[t.name]!.count) }
    let sources = (f["sources"] as! [[Int]]), targets = (f["targets"] as! [[Int]])
    let batch = Seq2SeqBatch(
      zip(sources, targets).map { Seq2SeqExample(source: $0.map(Int32.init), target: $1.map(Int32.init), line: 0) })
    XCTAssertEqual(batch.decoderInputs, Fixtures.ints(f["decoder_inputs"]), key)
    XCTAssertEqual(batch.targets, Fixtures.ints(f["target_tokens"]), key)
    var worst: Float = 0
    func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
      let err = maxRelativeError(a, b, floor: Self.floor)
      worst = max(worst, err)
      XCTAssertLessThanOrEqual(err, Self.rtol, "\(key): \(what) differs from PyTorch by \(err) relative")
    }
    var rng = RandomGenerator(seed: 0)
    let loss = model.pass(batch, gradients: true, training: true, rng: &rng)
    expectClose([Float(loss)], [Float((f["loss"] as! NSNumber).doubleValue)], "loss")
    let grads = (f["grads"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for t in Self.gradientTensors(model) { expectClose(t.values, grads[t.name]!, "∂\(t.name)") }

    let adam = f["adam"] as! [String: Any]
    var trainer = Seq2SeqTrainer(model: model, seed: 0)
    trainer.optimizer = OptimizerConfig(
      kind: .adam, beta1: Float((adam["beta1"] as! NSNumber).doubleValue),
      beta2: Float((adam["beta2"] as! NSNumber).doubleValue), epsilon: Float((adam["eps"] as! NSNumber).doubleValue))
    let losses = Fixtures.floats(adam["losses"]), norms = Fixtures.floats(adam["grad_norms"])
    let clip = Float((adam["clip_norm"] as! NSNumber).doubleValue), lr = Float((adam["lr"] as! NSNumber).doubleValue)
    for k in 0..<losses.count {
      let l = model.pass(batch, gradients: true, training: true, rng: &rng)
      expectClose([Float(l)], [losses[k]], "loss at Adam step \(k)")
      let norm = GradientClipping.none.apply(toGroups: model.parameterGroups.map { ($0.gradients, $0.count) })
      expectClose([norm], [norms[k]], "gradient norm at step \(k)")
      trainer.update(model, lr: lr, clip: clip)
    }
    let after = (adam["params_after"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for t in Seq2SeqCheckpoint.tensors(model) {
      expectClose(Array(UnsafeBufferPointer(start: t.pointer, count: t.shape.reduce(1, *))), after[t.name]!, "\(t.name) after Adam")
    }
    print("seq2seq parity \(key): worst relative error vs PyTorch \(worst) (floor \(Self.floor))")
  }

  /// The gradients under the checkpoint's (PyTorch's) tensor names.
  static func gradientTensors(_ m: Seq2SeqModel) -> [(name: String, values: [Float])] {
    let groups = m.parameterGroups + [(m.decoder.parameters.pointer, m.decoder.gradients.pointer, m.decoderCount)]
    return Seq2SeqCheckpoint.tensors(m).map { t in
      let g = groups.first { t.pointer >= $0.parameters && t.pointer < $0.parameters + max($0.count, 1) }!
      let start = g.gradients + (t.pointer - g.parameters)
      return (t.name, Array(UnsafeBufferPointer(start: start, count: t.shape.reduce(1, *))))
    }
  }

  static func vocabulary(_ n: Int) -> Vocabulary { Vocabulary(scalars: (0..<n).map { Unicode.Scalar(UInt8(97 + $0)) }) }

  /// Every parameter of encoder, decoder and attention against central differences, for each
  /// cell with attention (two layers; the batch's targets padded), and with dropout on.
  func testGradientsWithAttentionMatchFiniteDifferences() throws {
    for cell in CellKind.allCases { try gradientCheck(cell, attention: true, dropout: 0) }
    try gradientCheck(.lstm, attention: true, dropout: 0.3)
    try gradientCheck(.gru, attention: false, dropout: 0)
  }

  private func gradientCheck(_ cell: CellKind, attention: Bool, dropout: Float) throws {
    let model = try Seq2SeqModel(
      cell: cell, source: Self.vocabulary(5), target: Self.vocabulary(4), embed: 3, hidden: 4, layers: 2,
      dropout: dropout, attention: attention, seed: 3)
    let batch = Seq2SeqBatch([
      Seq2SeqExample(source: [0, 3, 1], target: [1, 4, 2], line: 1), Seq2SeqExample(source: [4, 4, 2], target: [3], line: 2),
    ])
    var masks = RandomGenerator(seed: 99)
    _ = model.pass(batch, gradients: true, training: true, rng: &masks)
    let groups = model.parameterGroups
    let analytic = groups.flatMap { Array(UnsafeBufferPointer(start: $0.gradients, count: $0.count)) }
    func locate(_ i: Int) -> UnsafeMutablePointer<Float> {
      var i = i
      for g in groups {
        if i < g.count { return g.parameters + i }
        i -= g.count
      }
      fatalError("index out of range")
    }
    let result = GradientCheck.run(
      count: analytic.count, analytic: analytic, step: 1e-2, atol: 1e-4, rtol: 1e-2,
      get: { locate($0).pointee }, set: { locate($0).pointee = $1 },
      loss: {
        var masks = RandomGenerator(seed: 99)  // the same dropout masks
        return model.pass(batch, gradients: false, training: true, rng: &masks)
      })
    print(
      "seq2seq gradient check \(cell) attention \(attention) p=\(dropout): \(result.checked) parameters, worst ratio \(result.worstRatio), relative error norm \(result.relativeErrorNorm)"
    )
    XCTAssertLessThanOrEqual(result.worstRatio, 1, "\(cell) attention \(attention): worst element \(result.worstIndex)")
    XCTAssertLessThanOrEqual(result.relativeErrorNorm, 1e-3)
  }

  /// A few hundred reversal pairs of 2–7 letters.
  static func reversal(_ count: Int, seed: UInt64 = 5) -> Seq2SeqData {
    var rng = RandomGenerator(seed: seed)
    var pairs: [TabSeparatedPairs.Pair] = []
    for i in 0..<count {
      let n = 2 + Int(rng.next() % 6)
      let s = String((0..<n).map { _ in Character(Unicode.Scalar(UInt8(97 + rng.next() % 6))) })
      pairs.append(.init(line: i + 1, first: s, second: String(s.reversed())))
    }
    return Seq2SeqData(pairs: pairs)
  }

  static func model(_ data: Seq2SeqData, cell: CellKind = .gru, attention: Bool = true, dropout: Float = 0) throws -> Seq2SeqModel {
    try Seq2SeqModel(
      cell: cell, source: data.sourceVocabulary, target: data.targetVocabulary, embed: 8, hidden: 16, layers: 2,
      dropout: dropout, attention: attention, seed: 11)
  }

  /// Greedy and beam decoding report the log-probability the training pass gives their output
  /// (step-by-step decoding, attention included, computes what the batched pass computes); beam 1
  /// is greedy, and a wider beam ranking by log-probability alone (length penalty 0) finds an
  /// output at least as likely on these pairs.
  func testDecodingAgreesWithTheTrainingPass() throws {
    let data = Self.reversal(300)
    for cell in CellKind.allCases {
      let model = try Self.model(data, cell: cell)
      let examples = data.encoded(for: model)!
      var trainer = Seq2SeqTrainer(model: model, seed: 1)
      trainer.train(model, on: examples, steps: 40, batch: 16, learningRate: 0.01, clip: 5)
      for e in examples.prefix(5) {
        let greedy = model.translate(e.source, beam: 1, maxLength: 12)
        let beam = model.translate(e.source, beam: 4, maxLength: 12, lengthPenalty: 0)
        XCTAssertGreaterThanOrEqual(beam.logProbability, greedy.logProbability - 1e-5)
        for out in [greedy, beam] where out.tokens.count < 12 {
          var rng = RandomGenerator(seed: 0)
          let b = Seq2SeqBatch([Seq2SeqExample(source: e.source, target: out.tokens, line: 0)])
          let logp = -model.pass(b, gradients: false, training: false, rng: &rng) * Double(b.targetCount)
          XCTAssertEqual(logp, out.logProbability, accuracy: 1e-4 * max(1, abs(logp)), "\(cell)")
        }
      }
    }
  }

  /// fit N, save, load, fit M gives bit for bit the parameters, optimizer state and losses of fit
  /// N + M, with dropout on (its masks depend on the step) and an epoch boundary crossed.
  func testResumeThroughCheckpointIsExact() throws {
    let data = Self.reversal(200)
    let straight = try Self.model(data, cell: .lstm, dropout: 0.2)
    let examples = data.encoded(for: straight)!
    var t1 = Seq2SeqTrainer(model: straight, seed: 4)
    t1.train(straight, on: examples, steps: 30, batch: 8, learningRate: 0.003, clip: 1)

    let first = try Self.model(data, cell: .lstm, dropout: 0.2)
    var t2 = Seq2SeqTrainer(model: first, seed: 4)
    t2.train(first, on: examples, steps: 17, batch: 8, learningRate: 0.003, clip: 1)
    let file = try Seq2SeqCheckpoint.encode(Seq2SeqContents(model: first, trainer: t2, dataPath: "x.tsv", holdout: 0.1))
    let bytes = try file.encode()
    let loaded = try Seq2SeqCheckpoint.decode(SafeTensorsFile.decode(bytes: bytes), path: "x")
    var t3 = loaded.trainer
    t3.train(loaded.model, on: examples, steps: 13, batch: 8, learningRate: 0.003, clip: 1)
    XCTAssertGreaterThan(t1.epoch, 0, "the run crosses an epoch boundary")
    XCTAssertEqual([t3.steps, t3.epoch, t3.position], [t1.steps, t1.epoch, t1.position])
    XCTAssertEqual(t3.losses, t1.losses)
    XCTAssertEqual(t3.decoderState, t1.decoderState)
    XCTAssertEqual(t3.encoderState, t1.encoderState)
    for (a, b) in zip(straight.parameterGroups, loaded.model.parameterGroups) {
      XCTAssertEqual(
        Array(UnsafeBufferPointer(start: a.parameters, count: a.count)), Array(UnsafeBufferPointer(start: b.parameters, count: b.count)))
    }
  }

  func testBadLinesAreNamed() {
    XCTAssertThrowsError(try Seq2SeqData(tsv: "ab\tba\nno tab here\n", source: "p.tsv")) {
      XCTAssertEqual("\($0)", "p.tsv:2: expected 'source<TAB>target', found no tab")
    }
    let long = String(repeating: "x", count: Seq2SeqData.maximumLength + 1)
    XCTAssertThrowsError(try Seq2SeqData(tsv: "# c\nab\tba\ncd\t\(long)\n", source: "p.tsv")) {
      XCTAssertEqual(
        "\($0)", "p.tsv:3: the target is \(Seq2SeqData.maximumLength + 1) characters long; the limit is \(Seq2SeqData.maximumLength)")
    }
    XCTAssertThrowsError(try Seq2SeqData(tsv: "# only a comment\n", source: "p.tsv"))
  }

  /// Bucketing: every batch of an epoch holds sources of one length, and an epoch covers every pair once.
  func testBatchesShareASourceLengthAndCoverTheEpoch() throws {
    let data = Self.reversal(100)
    let examples = data.encoded(for: try Self.model(data))!
    let batches = Seq2SeqTrainer.batches(examples, batch: 8, seed: 1, epoch: 3)
    XCTAssertEqual(batches.flatMap { $0 }.sorted(), Array(examples.indices))
    for b in batches { XCTAssertEqual(Set(b.map { examples[$0].source.count }).count, 1) }
    XCTAssertNotEqual(batches, Seq2SeqTrainer.batches(examples, batch: 8, seed: 1, epoch: 4))
  }
}
