import NumericCore
import TestSupport
import XCTest

@testable import RNNModels

/// Evaluation's one-stream forward, split across cores by hidden units at every step, gives the
/// logits and carried state of the one-core time loop.
final class OneStreamForwardTests: XCTestCase {
  func run(_ config: ModelConfig, model: LanguageModel, threads: Int, tokens: [Int32]) -> ([Float], HiddenState) {
    let saved = BLAS.threads
    BLAS.threads = threads
    defer { BLAS.threads = saved }
    let workspace = Workspace(config: config, batch: 1, steps: tokens.count)
    var state = HiddenState(config: config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    for _ in 0..<2 {  // twice: the second chunk starts from the carried state
      tokens.withUnsafeBufferPointer {
        model.forward(inputs: $0.baseAddress!, state: &state, workspace: workspace, training: false, rng: &rng)
      }
    }
    return (Array(UnsafeBufferPointer(start: workspace.logits.pointer, count: tokens.count * config.vocabSize)), state)
  }

  func testUnitSplitMatchesOneCore() throws {
    var rng = RandomGenerator(seed: 4)
    let tokens = (0..<40).map { _ in Int32(rng.next() % 30) }
    // Hidden sizes whose W_hh reaches the split threshold (512 KB) for each cell, and 2 layers.
    for (cell, hidden) in [(CellKind.lstm, 256), (.gru, 272), (.rnn, 400)] {
      let config = ModelConfig(cell: cell, vocabSize: 30, embed: 8, hidden: hidden, layers: 2)
      let model = try LanguageModel(config: config, seed: 9)
      let (oneCore, stateA) = run(config, model: model, threads: 1, tokens: tokens)
      let (split, stateB) = run(config, model: model, threads: 2, tokens: tokens)
      // sgemv and the packed kernel add the H products in different orders; the float32 rounding
      // difference (~1e-7) grows through 80 recurrent steps to at most ~5e-5 here. A wrong unit
      // or gate row would be off by O(1).
      XCTAssertLessThan(maxRelativeError(split, oneCore), 2e-4, "\(cell) logits")
      XCTAssertLessThan(maxRelativeError(stateB.h, stateA.h), 2e-4, "\(cell) h")
      XCTAssertLessThan(maxRelativeError(stateB.c, stateA.c), 2e-4, "\(cell) c")
    }
  }
}
