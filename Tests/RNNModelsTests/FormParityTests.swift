import Foundation
import NumericCore
import RNNModels
import TestSupport
import XCTest

/// Parity of the one-to-many generator and the per-step tagger with PyTorch
/// (`scripts/python/make_forms_fixtures.py`): the same weights and inputs give the same losses,
/// every gradient (the generator's label columns inside PyTorch's `rnn.weight_ih_l0 [G·H, E + C]`)
/// and the same parameters after two clipped Adam steps. Tolerance as `PyTorchParityTests`: 1e-5
/// relative with an absolute floor of 0.1 (float32 reductions in a different order, fast
/// tanh/sigmoid/exp within 2–3 ulp of libm).
final class FormParityTests: XCTestCase {
  static let rtol: Float = 1e-5
  static let floor: Float = 0.1

  func testGeneratorRNN() throws { try checkGenerator("rnn") }
  func testGeneratorLSTM() throws { try checkGenerator("lstm") }
  func testGeneratorGRU() throws { try checkGenerator("gru") }
  func testGeneratorPaddedBatchRNN() throws { try checkPaddedGenerator("rnn") }
  func testGeneratorPaddedBatchLSTM() throws { try checkPaddedGenerator("lstm") }
  func testGeneratorPaddedBatchGRU() throws { try checkPaddedGenerator("gru") }
  func testTaggerRNN() throws { try checkTagger("rnn") }
  func testTaggerLSTM() throws { try checkTagger("lstm") }
  func testTaggerGRU() throws { try checkTagger("gru") }

  private func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
    XCTAssertEqual(a.count, b.count, what)
    let err = maxRelativeError(a, b, floor: Self.floor)
    XCTAssertLessThanOrEqual(err, Self.rtol, "\(what) differs from PyTorch by \(err) relative")
  }

  private func ints(_ value: Any?) -> [[Int32]] { (value as? [Any] ?? []).map { Fixtures.ints($0) } }

  private func load(_ f: [String: Any], set: (String, [Float]) throws -> Void) throws -> [String] {
    let params = try XCTUnwrap(f["params"] as? [String: [String: Any]])
    for (name, p) in params { try set(name, Fixtures.floats(p["data"])) }
    return params.keys.sorted()
  }

  private func cell(_ f: [String: Any]) throws -> CellKind { try XCTUnwrap(CellKind(rawValue: f["cell"] as? String ?? "")) }

  /// A generator with the fixture's configuration and parameters.
  private func generator(_ f: [String: Any]) throws -> ConditionalGenerator {
    let g = try ConditionalGenerator(
      cell: cell(f), vocabulary: Vocabulary(of: "\nabcdef"), labels: ["x", "y", "z"], embed: f["embed"] as! Int,
      hidden: f["hidden"] as! Int, layers: f["layers"] as! Int, seed: 9)
    XCTAssertEqual(g.boundary, Int32(f["boundary"] as! Int))
    let names = try load(f) { try g.setTensor(named: $0, to: $1) }
    XCTAssertEqual(Set(names), Set(g.tensorShapes.map(\.name)))
    return g
  }

  /// The accumulated gradients of `g`, viewed as PyTorch's tensors (copied in as the parameters of a twin).
  private func expectGradients(_ g: ConditionalGenerator, _ f: [String: Any], _ grads: [String: Any], _ what: String) throws {
    let twin = try generator(f)
    twin.body.parameters.copy(from: g.bodyGradients)
    twin.condition.copy(from: g.conditionGradients)
    let grads = grads.mapValues { Fixtures.floats($0) }
    for (tensor, _) in g.tensorShapes { expectClose(twin.tensor(named: tensor)!, grads[tensor]!, "\(what) ∂\(tensor)") }
  }

  private func labelled(_ f: [String: Any], _ words: String, _ labels: String) -> [([Int32], Int)] {
    Array(zip(ints(f[words]), Fixtures.ints(f[labels]).map(Int.init)))
  }

  /// The fixture's words as one padded mini-batch: the mean over all their characters, every
  /// gradient, and three clipped Adam steps (the third batch small enough for rnn's row path).
  func checkPaddedGenerator(_ name: String) throws {
    let f = try Fixtures.json("forms_generator_\(name).json")
    let padded = try XCTUnwrap(f["padded"] as? [String: Any])
    let g = try generator(f)
    let words = labelled(f, "words", "word_labels")
    g.zeroGradients()
    let loss = g.accumulate(words)
    expectClose([Float(loss)], [(padded["loss"] as! NSNumber).floatValue], "\(name) padded batch loss")
    try expectGradients(g, f, padded["grads"] as! [String: Any], "\(name) padded batch")

    let adam = padded["adam"] as! [String: Any]
    var trainer = FormTrainer(bodyCount: g.bodyCount, extraCount: g.extra.count, seed: 0)
    let losses = Fixtures.floats(adam["losses"])
    let batches = [words, labelled(f, "second_words", "second_labels"), labelled(padded, "third_words", "third_labels")]
    for (k, batch) in batches.enumerated() {
      g.zeroGradients()
      let l = g.accumulate(batch)
      expectClose([Float(l)], [losses[k]], "\(name) padded loss at Adam step \(k)")
      trainer.update(g, loss: l, lr: (adam["lr"] as! NSNumber).floatValue, clip: (adam["clip_norm"] as! NSNumber).floatValue)
    }
    let after = (adam["params_after"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for (tensor, _) in g.tensorShapes {
      expectClose(g.tensor(named: tensor)!, after[tensor]!, "\(name) \(tensor) after 3 padded Adam steps")
    }
  }

  func checkGenerator(_ name: String) throws {
    let f = try Fixtures.json("forms_generator_\(name).json")
    let g = try generator(f)
    let words = ints(f["words"]), labels = Fixtures.ints(f["word_labels"]).map(Int.init)
    let wordLosses = Fixtures.floats(f["word_losses"])
    for (i, w) in words.enumerated() {
      let r = g.loss(w, label: labels[i])
      expectClose([Float(r.nats / Double(r.characters))], [wordLosses[i]], "\(name) word \(i) loss")
    }
    g.zeroGradients()
    var loss = 0.0
    for (i, w) in words.enumerated() { loss += g.accumulate(w, label: labels[i], scale: 1 / Float(words.count)) }
    expectClose([Float(loss / Double(words.count))], [(f["loss"] as! NSNumber).floatValue], "\(name) batch loss")
    try expectGradients(g, f, f["grads"] as! [String: Any], name)

    // Two Adam steps with clipping, as FormTrainer runs them (the fixture's first batch, then its second).
    let adam = f["adam"] as! [String: Any]
    var trainer = FormTrainer(bodyCount: g.bodyCount, extraCount: g.extra.count, seed: 0)
    let losses = Fixtures.floats(adam["losses"])
    let batches = [(words, labels), (ints(f["second_words"]), Fixtures.ints(f["second_labels"]).map(Int.init))]
    for (k, (ws, ls)) in batches.enumerated() {
      g.zeroGradients()
      var l = 0.0
      for (i, w) in ws.enumerated() { l += g.accumulate(w, label: ls[i], scale: 1 / Float(ws.count)) }
      l /= Double(ws.count)
      expectClose([Float(l)], [losses[k]], "\(name) loss at Adam step \(k)")
      trainer.update(g, loss: l, lr: (adam["lr"] as! NSNumber).floatValue, clip: (adam["clip_norm"] as! NSNumber).floatValue)
    }
    let after = (adam["params_after"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for (tensor, _) in g.tensorShapes { expectClose(g.tensor(named: tensor)!, after[tensor]!, "\(name) \(tensor) after 2 Adam steps") }
  }

  func checkTagger(_ name: String) throws {
    let f = try Fixtures.json("forms_tagger_\(name).json")
    let K = f["tags"] as! Int, B = f["batch"] as! Int
    func make() throws -> SequenceTagger {
      try SequenceTagger(
        cell: cell(f), vocabulary: Vocabulary(of: "abcdefg"), tags: (0..<K).map(String.init), embed: f["embed"] as! Int,
        hidden: f["hidden"] as! Int, layers: f["layers"] as! Int, seed: 9)
    }
    let t = try make()
    let names = try load(f) { try t.setTensor(named: $0, to: $1) }
    XCTAssertEqual(Set(names), Set(t.tensorShapes.map(\.name)))
    let inputs = ints(f["inputs"]), targets = ints(f["targets"])
    t.zeroGradients()
    let loss = t.accumulate(inputs[0], targets: targets[0], batch: B)
    expectClose([Float(loss)], [(f["loss"] as! NSNumber).floatValue], "\(name) tagger loss")
    let twin = try make()
    twin.body.parameters.copy(from: t.bodyGradients)
    twin.head.copy(from: t.headGradients)
    let grads = (f["grads"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for (tensor, _) in t.tensorShapes { expectClose(twin.tensor(named: tensor)!, grads[tensor]!, "\(name) tagger ∂\(tensor)") }
    let evaluated = t.evaluate(inputs[0], targets: targets[0], batch: B)
    expectClose([Float(evaluated.nats / Double(inputs[0].count))], [(f["loss"] as! NSNumber).floatValue], "\(name) tagger eval loss")

    let adam = f["adam"] as! [String: Any]
    var trainer = FormTrainer(bodyCount: t.bodyCount, extraCount: t.extra.count, seed: 0)
    let losses = Fixtures.floats(adam["losses"])
    for k in 0..<2 {
      t.zeroGradients()
      let l = t.accumulate(inputs[k], targets: targets[k], batch: B)
      expectClose([Float(l)], [losses[k]], "\(name) tagger loss at Adam step \(k)")
      trainer.update(t, loss: l, lr: (adam["lr"] as! NSNumber).floatValue, clip: (adam["clip_norm"] as! NSNumber).floatValue)
    }
    let after = (adam["params_after"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    for (tensor, _) in t.tensorShapes {
      expectClose(t.tensor(named: tensor)!, after[tensor]!, "\(name) tagger \(tensor) after 2 Adam steps")
    }
  }
}
