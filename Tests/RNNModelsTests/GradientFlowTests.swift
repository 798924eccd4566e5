import NumericCore
@testable import RNNModels
import TestSupport
import XCTest

/// The dedicated backward through time of `GradientFlow` against finite differences: perturb the
/// top layer's h_{t−k} in the carried state, run forward to step t, and difference L_t.
final class GradientFlowTests: XCTestCase {
  func testHiddenGradientsMatchFiniteDifferences() throws {
    for cell in CellKind.allCases {
      for layers in [1, 2] {
        let config = ModelConfig(cell: cell, vocabSize: 6, embed: 3, hidden: 5, layers: layers)
        let model = try LanguageModel(config: config, seed: 11)
        var rng = RandomGenerator(seed: 3)
        let tokens = (0..<9).map { _ in Int32(rng.next() % 6) }
        let t = 6
        let analytic = GradientFlow.hiddenGradients(
          model: model, tokens: tokens, state: HiddenState(config: config, batch: 1), at: t)
        XCTAssertEqual(analytic.count, t + 1)
        for k in [0, 1, 3, 6] {
          let s = t - k
          // The state after reading tokens[0…s].
          var state = HiddenState(config: config, batch: 1)
          // (Not `_ = lastLogits(…)`: Swift 6.3.1 -O frees a discarded array's buffer before
          // copying into it — a heap-use-after-free that the address sanitizer reports.)
          _ = forward(model, Array(tokens[0...s]), &state)
          let top = (layers - 1) * config.hidden
          let check = GradientCheck.run(
            count: config.hidden, analytic: analytic[k], step: 1e-2, atol: 1e-4, rtol: 2e-2,
            get: { state.h[top + $0] }, set: { state.h[top + $0] = $1 },
            loss: { lossAt(model, state: state, tokens: tokens, from: s, to: t) })
          XCTAssertLessThanOrEqual(check.worstRatio, 1, "\(cell) L\(layers) k=\(k): \(check)")
        }
      }
    }
  }

  func testNormsAreAveragedOverEqualCounts() throws {
    let config = ModelConfig(cell: .gru, vocabSize: 4, embed: 3, hidden: 6, layers: 1)
    let model = try LanguageModel(config: config, seed: 2)
    let tokens = (0..<41).map { Int32($0 % 4) }
    let result = try GradientFlow.norms(model: model, tokens: tokens, steps: 5)
    XCTAssertEqual(result.norms.count, 6)
    XCTAssertEqual(result.samples, 4 * 5)  // 4 windows of 10, t ∈ [5, 10) in each
    XCTAssertTrue(result.norms.allSatisfy { $0.isFinite && $0 > 0 })
    XCTAssertThrowsError(try GradientFlow.norms(model: model, tokens: Array(tokens[0..<5]), steps: 5)) {
      XCTAssertEqual($0 as? ModelError, .invalidArgument("the text has 5 characters; 5 steps need at least 11"))
    }
  }
}

/// L_t (nats, Double) when the state after step s is `state`: reads tokens[s+1…t], predicts tokens[t+1].
func lossAt(_ model: LanguageModel, state: HiddenState, tokens: [Int32], from s: Int, to t: Int) -> Double {
  let logits: [Float]
  if s == t {
    // Decoder on the top layer's h_t directly.
    let H = model.config.hidden, V = model.config.vocabSize
    let h = Array(state.h[((model.config.layers - 1) * H)...].prefix(H))
    let w = model.tensor(named: "decoder.weight")!, b = model.tensor(named: "decoder.bias")!
    logits = (0..<V).map { v in (0..<H).reduce(b[v]) { $0 + w[v * H + $1] * h[$1] } }
  } else {
    var st = state
    logits = lastLogits(model, Array(tokens[(s + 1)...t]), &st)
  }
  let m = Double(logits.max()!)
  let logZ = m + log(logits.reduce(0.0) { $0 + exp(Double($1) - m) })
  return logZ - Double(logits[Int(tokens[t + 1])])
}

/// Runs `tokens` from `state` (carried out); returns the workspace holding the logits.
func forward(_ model: LanguageModel, _ tokens: [Int32], _ state: inout HiddenState) -> Workspace {
  let ws = Workspace(config: model.config, batch: 1, steps: tokens.count)
  var rng = RandomGenerator(seed: 0)
  tokens.withUnsafeBufferPointer {
    model.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: false, rng: &rng)
  }
  return ws
}

/// Runs `tokens` from `state` (carried out) and returns the last step's logits.
func lastLogits(_ model: LanguageModel, _ tokens: [Int32], _ state: inout HiddenState) -> [Float] {
  let ws = forward(model, tokens, &state)
  let V = model.config.vocabSize
  // The workspace owns the logits' memory: keep it alive until they are copied out.
  return withExtendedLifetime(ws) {
    Array(UnsafeBufferPointer(start: ws.logits.pointer + (tokens.count - 1) * V, count: V))
  }
}
