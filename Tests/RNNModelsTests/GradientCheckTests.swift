import NumericCore
import TestSupport
import XCTest

@testable import RNNModels

/// Finite-difference checks of every analytic gradient, for each cell: two layers and dropout off,
/// then the other shapes backward takes different paths for.
///
/// Tolerance: the loss is computed in float32 (accumulated in Double), so each evaluation carries
/// a rounding error of about ε·|L| ≈ 6e-8 · 2; a central difference with h = 1e-2 turns that into
/// ≈ 1e-5 of noise per gradient element, and its truncation error is h²·f‴/6 ≈ 2e-5 for these
/// small, smooth models. So each element must satisfy |numeric − analytic| ≤ 1e-4 + 1e-2·|analytic|,
/// and the whole gradient ‖numeric − analytic‖ / ‖analytic‖ ≤ 1e-3 — a wrong term (a missing
/// factor, a transposed weight) gives errors of order 1.
final class GradientCheckTests: XCTestCase {
  func testRNN() throws { try check(.rnn) }
  func testLSTM() throws { try check(.lstm) }
  func testGRU() throws { try check(.gru) }

  /// The other shapes of layer 0: V ≥ T·B (no token table: embeddings and a per-row input
  /// projection), and one layer with the token table (no second gradient buffer).
  func testWithoutTokenTableAndOneLayer() throws {
    for cell in CellKind.allCases {
      try check(cell, vocab: 12)
      try check(cell, layers: 1)
    }
  }

  /// Dropout on both layers (the decoder's per-step gradient and the one passed down go through
  /// masks; the check replays the same masks), embeddings wider than H without the token table
  /// (the input gradient gets its own buffer), and H = 16 (the packed `W_hh` lives in its
  /// gradient slot during the time loops instead of a buffer of its own).
  func testDropoutWideEmbeddingAndPackedWeightsInGradientSlot() throws {
    for cell in CellKind.allCases {
      try check(cell, dropout: 0.3)
      try check(cell, vocab: 12, embed: 7)
      try check(cell, hidden: 16)
    }
  }

  /// Tied weights (one `[V, H]` block for the embedding and the decoder): perturbing a shared
  /// element moves both uses, so the finite difference is the sum of the two gradients, which
  /// backward must give; with and without the token table (V < T·B and V ≥ T·B), and dropout.
  func testTiedWeights() throws {
    for cell in CellKind.allCases {
      try check(cell, embed: 5, tied: true)
      try check(cell, vocab: 12, embed: 5, tied: true)
      try check(cell, vocab: 12, embed: 5, dropout: 0.3, tied: true)
    }
  }

  func check(
    _ cell: CellKind, vocab V: Int = 6, layers: Int = 2, embed: Int = 4, hidden: Int = 5, dropout: Float = 0,
    tied: Bool = false
  ) throws {
    let config = ModelConfig(
      cell: cell, vocabSize: V, embed: embed, hidden: hidden, layers: layers, dropout: dropout, tied: tied)
    XCTAssertEqual(ParameterLayout(config: config).tied, tied)
    let model = try LanguageModel(config: config, seed: 42)
    let B = 2, T = 5
    XCTAssertEqual(Workspace(config: config, batch: B, steps: T).usesTokenTable, V < B * T)
    var rng = RandomGenerator(seed: 7)
    let inputs = (0..<(B * T)).map { _ in Int32(rng.next() % UInt64(V)) }
    let targets = (0..<(B * T)).map { _ in Int32(rng.next() % UInt64(V)) }
    var h0 = HiddenState(config: config, batch: B)
    for i in h0.h.indices { h0.h[i] = rng.uniform(-0.5, 0.5) }
    for i in h0.c.indices { h0.c[i] = rng.uniform(-0.5, 0.5) }
    let ws = Workspace(config: config, batch: B, steps: T)

    if hidden % 16 == 0 && PackedGEMM.isAvailable { XCTAssertEqual(ws.packedWeights.count, 0) }
    if V >= B * T && embed > hidden { XCTAssertEqual(ws.inputGradient.count, B * T * embed) }
    var state = h0
    var masks = RandomGenerator(seed: 99)  // every forward below draws the same dropout masks
    inputs.withUnsafeBufferPointer {
      model.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: true, rng: &masks)
    }
    _ = targets.withUnsafeBufferPointer { model.backward(targets: $0.baseAddress!, workspace: ws) }
    let analytic = model.gradients.array

    let result = GradientCheck.run(
      count: model.parameterCount, analytic: analytic, step: 1e-2, atol: 1e-4, rtol: 1e-2,
      get: { model.parameters[$0] }, set: { model.parameters[$0] = $1 },
      loss: {
        var s = h0
        var masks = RandomGenerator(seed: 99)
        return inputs.withUnsafeBufferPointer { i in
          targets.withUnsafeBufferPointer { t in
            model.forward(inputs: i.baseAddress!, state: &s, workspace: ws, training: true, rng: &masks)
            return CrossEntropy.loss(
              logits: ws.logits.pointer, rows: B * T, vocab: V, targets: t.baseAddress!, gradientScale: nil)
              / Double(B * T)
          }
        }
      })
    let name = model.layout.entries.last { $0.offset <= result.worstIndex }!.name
    print(
      "gradient check \(cell) V=\(V) L=\(layers) E=\(embed) H=\(hidden) p=\(dropout): \(result.checked) parameters, worst ratio \(result.worstRatio) at \(name), "
        + "relative error norm \(result.relativeErrorNorm)")
    XCTAssertLessThanOrEqual(result.worstRatio, 1, "\(cell): worst element in \(name)")
    XCTAssertLessThanOrEqual(result.relativeErrorNorm, 1e-3)
  }
}
