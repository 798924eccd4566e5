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
