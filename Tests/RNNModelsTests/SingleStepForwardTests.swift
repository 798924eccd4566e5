import NumericCore
import TestSupport
import XCTest

@testable import RNNModels

/// Sampling's one-character forward (`SingleStepForward`: input table, fused `[W_ih | W_hh]`,
/// units split across cores) gives the logits of the batched `LanguageModel.forward`.
final class SingleStepForwardTests: XCTestCase {
  func check(
    _ cell: CellKind, hidden: Int, layers: Int, threads: Int, splitBytes: Int = 1 << 20, fuseBytes: Int = 1 << 22
  ) throws {
    let saved = BLAS.threads
    BLAS.threads = threads
    defer { BLAS.threads = saved }
    let config = ModelConfig(cell: cell, vocabSize: 11, embed: 6, hidden: hidden, layers: layers)
    let model = try LanguageModel(config: config, seed: 3)
    let fast = SingleStepForward(model: model, splitBytes: splitBytes, fuseBytes: fuseBytes)
    let workspace = Workspace(config: config, batch: 1, steps: 1)
    var state = HiddenState(config: config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    let tokens: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
    var worst: Float = 0
    for (i, t) in tokens.enumerated() {
      if i == 8 {  // a fresh stream half-way: reset must clear every layer's state
        fast.reset()
        state.reset()
      }
      fast.step(t)
      [t].withUnsafeBufferPointer {
        model.forward(inputs: $0.baseAddress!, state: &state, workspace: workspace, training: false, rng: &rng)
      }
      let a = Array(UnsafeBufferPointer(start: fast.logits.pointer, count: config.vocabSize))
      let b = Array(UnsafeBufferPointer(start: workspace.logits.pointer, count: config.vocabSize))
      worst = max(worst, maxRelativeError(a, b))
    }
    // Float32 rounding only: GEMV and the batched GEMM add the same terms in other orders, about
    // 1e-7 absolute on these logits, relative to a floor of 1e-3. A wrong weight or gate row would
    // be off by O(1).
    XCTAssertLessThan(worst, 1e-4, "\(cell) H=\(hidden) L=\(layers) threads=\(threads)")
  }

  func testSmallLayersOnOneCore() throws {
    for cell in CellKind.allCases {
      try check(cell, hidden: 13, layers: 3, threads: 1)
    }
  }

  func testLargeLayersSplitAcrossCores() throws {
    // Every layer split: 2 parts of 128 units, 3 parts of 66–67 units (not a multiple of 8).
    for cell in CellKind.allCases {
      try check(cell, hidden: 256, layers: 2, threads: 2, splitBytes: 0)
      try check(cell, hidden: 200, layers: 2, threads: 3, splitBytes: 0)
    }
  }

  /// Layers above the first without the fused `[W_ih | W_hh]` copy (as large layers run): two
  /// GEMVs over the weights in place, on one core and split.
  func testUnfusedLayersReadInPlace() throws {
    for cell in CellKind.allCases {
      try check(cell, hidden: 13, layers: 3, threads: 1, fuseBytes: 0)
      try check(cell, hidden: 200, layers: 2, threads: 2, splitBytes: 0, fuseBytes: 0)
    }
  }
}

/// Sampling in bf16 (`SingleStepForward` with bf16 weight copies and `BF16GEMM.matvec`) against
/// the fp32 batched forward, for every cell, fused and unfused layers, one core and split.
///
/// Bound, per logit v: logit = W_dec[v]·h + b[v] with |h| ≤ 1, so its scale is
/// s_v = Σ_j |W_dec[v][j]| + |b[v]|. The decoder's bf16 product adds at most about 2⁻⁷·s_v
/// (`BF16GEMMTests`), and an error δ in h adds at most δ·s_v; each layer's bf16 products move its
/// pre-activations by about 2⁻⁷ of their own scale, which the gates (slopes ≤ 1) pass on without
/// amplifying, so δ stays a few times 2⁻⁷ over 3 layers and 16 characters. Hence
/// |Δ logit_v| ≤ 2⁻⁵·s_v, with margin (measured: about 2⁻¹⁰·s_v, printed by the test). A
/// wrong weight copy (transposed, the wrong layer, a missed row) is off by O(s_v).
final class SingleStepForwardBF16Tests: XCTestCase {
  func check(_ cell: CellKind, hidden: Int, layers: Int, threads: Int, splitBytes: Int, fuseBytes: Int) throws -> Float {
    let saved = BLAS.threads
    BLAS.threads = threads
    defer { BLAS.threads = saved }
    let config = ModelConfig(cell: cell, vocabSize: 11, embed: 6, hidden: hidden, layers: layers)
    let model = try LanguageModel(config: config, seed: 3)
    let fast = SingleStepForward(model: model, precision: .bf16, splitBytes: splitBytes, fuseBytes: fuseBytes)
    let workspace = Workspace(config: config, batch: 1, steps: 1)
    var state = HiddenState(config: config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    let w = model.tensor(named: "decoder.weight")!, bias = model.tensor(named: "decoder.bias")!
    let scale = (0..<config.vocabSize).map { v in (0..<hidden).reduce(abs(bias[v])) { $0 + abs(w[v * hidden + $1]) } }
    var worst: Float = 0
    for t: Int32 in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3] {
      fast.step(t)
      [t].withUnsafeBufferPointer {
        model.forward(inputs: $0.baseAddress!, state: &state, workspace: workspace, training: false, rng: &rng)
      }
      for v in 0..<config.vocabSize {
        worst = max(worst, abs(fast.logits.pointer[v] - workspace.logits.pointer[v]) / scale[v])
      }
    }
    XCTAssertLessThan(worst, 0x1p-5, "\(cell) H=\(hidden) L=\(layers) threads=\(threads) fuse=\(fuseBytes)")
    return worst
  }

  func testBF16SamplingStaysCloseToFP32() throws {
    var worst: Float = 0
    for cell in CellKind.allCases {
      worst = max(worst, try check(cell, hidden: 13, layers: 3, threads: 1, splitBytes: 1 << 20, fuseBytes: 1 << 22))
      worst = max(worst, try check(cell, hidden: 13, layers: 3, threads: 1, splitBytes: 1 << 20, fuseBytes: 0))
      worst = max(worst, try check(cell, hidden: 200, layers: 2, threads: 3, splitBytes: 0, fuseBytes: 1 << 22))
      worst = max(worst, try check(cell, hidden: 200, layers: 2, threads: 2, splitBytes: 0, fuseBytes: 0))
    }
    print("bf16 sampling vs fp32 forward: worst |Δ logit| / s_v = \(worst)")
  }
}
