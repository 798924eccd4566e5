import NumericCore
import XCTest

@testable import RNNModels

/// `precision bf16` against fp32 on one LSTM training step (forward and backward over a chunk),
/// from the same parameters and state.
///
/// Bound. In bf16 the forward pass's three products (input projection, recurrent product,
/// decoder) each carry at most (2⁻⁷ + 2⁻¹⁶ + k·2⁻²⁴)·Σ|a||b| of error per element
/// (`BF16GEMMTests`); with PyTorch's initialisation (|w| ≤ 1/√H) and |h| ≤ 1 that is about 2⁻⁷ of
/// a typical pre-activation's scale, and the sigmoid and tanh (slopes ≤ 1) do not amplify it. The
/// backward pass is fp32, evaluated at activations that moved by that much, and is Lipschitz in
/// them with constants of order 1 for this small model over T = 12 steps; the roundings of
/// different elements are independent and mostly cancel in sums. The bounds: the loss moves by at
/// most 2⁻⁹ relative (the per-product worst case, 2⁻⁷, over 4), the gradient by at most 2⁻⁶
/// relative in the 2-norm (2⁻⁷ per product, twice for the forward products it passes through),
/// and each tensor's gradient keeps its direction (cosine ≥ 0.99). Measured (printed by the
/// test): about 8e-6 for the loss and 1.5e-3 (≈ 2⁻⁹·³) for the gradient. A wrong product (a
/// transposed or stale weight copy) gives relative errors of order 1.
final class BF16GradientTests: XCTestCase {
  func testLSTMStepGradientsAgreeWithFP32() throws {
    for (hidden, vocabText) in [(40, "abcdefgh ijklmnop"), (24, String(repeating: "the quick brown fox. ", count: 1))] {
      let corpus = try Corpus(text: String(repeating: vocabText, count: 20))
      let config = ModelConfig(
        cell: .lstm, vocabSize: corpus.vocabulary.count, embed: 10, hidden: hidden, layers: 2, dropout: 0)
      let model = try LanguageModel(config: config, seed: 5)
      let B = 3, T = 12
      let tokens = corpus.tokens(of: .train).array
      let inputs = (0..<(B * T)).map { tokens[$0 % tokens.count] }
      let targets = (0..<(B * T)).map { tokens[($0 + 1) % tokens.count] }
      func step(_ precision: Precision) -> (loss: Float, gradients: [Float]) {
        let ws = Workspace(config: config, batch: B, steps: T)
        ws.precision = precision
        var state = HiddenState(config: config, batch: B)
        var rng = RandomGenerator(seed: 1)
        model.forward(inputs: inputs, state: &state, workspace: ws, training: true, rng: &rng)
        let loss = model.backward(targets: targets, workspace: ws)
        return (loss, model.gradients.array)
      }
      let fp32 = step(.fp32), bf16 = step(.bf16)
      XCTAssertEqual(step(.fp32).gradients, fp32.gradients, "fp32 is deterministic")
      let lossError = abs(bf16.loss - fp32.loss) / fp32.loss
      XCTAssertLessThanOrEqual(lossError, 0x1p-9, "loss \(fp32.loss) vs \(bf16.loss)")
      let relative = norm(zip(bf16.gradients, fp32.gradients).map { $0 - $1 }) / norm(fp32.gradients)
      XCTAssertLessThanOrEqual(relative, 0x1p-6)
      for entry in model.layout.entries {
        let x = Array(fp32.gradients[entry.offset..<(entry.offset + entry.count)])
        let y = Array(bf16.gradients[entry.offset..<(entry.offset + entry.count)])
        let cosine = zip(x, y).map { $0 * $1 }.reduce(0, +) / max(norm(x) * norm(y), .leastNormalMagnitude)
        if norm(x) > 1e-6 { XCTAssertGreaterThanOrEqual(cosine, 0.99, entry.name) }
      }
      print("bf16 vs fp32, LSTM H\(hidden): loss relative \(lossError), gradient relative \(relative)")
    }
  }

  /// Evaluation in bf16 (one stream, and B side-by-side streams with the token table) reads the
  /// same text to within the loss bound above (2⁻⁹ relative).
  func testEvaluationInBF16StaysCloseToFP32() throws {
    var rng = RandomGenerator(seed: 4)
    let tokens = TokenSequence(tokens: (0..<3001).map { _ in Int32(rng.next() % 20) }, vocabularySize: 20)
    for cell in CellKind.allCases {
      let config = ModelConfig(cell: cell, vocabSize: 20, embed: 8, hidden: 48, layers: 2)
      let model = try LanguageModel(config: config, seed: 2)
      for streams in [1, 8] {
        let fp32 = try Evaluator.evaluate(model: model, tokens: tokens, streams: streams)
        let bf16 = try Evaluator.evaluate(model: model, tokens: tokens, streams: streams, precision: .bf16)
        XCTAssertEqual(bf16.characters, fp32.characters)
        XCTAssertLessThanOrEqual(abs(bf16.loss - fp32.loss) / fp32.loss, 0x1p-9, "\(cell) streams \(streams)")
        XCTAssertNotEqual(bf16.loss, fp32.loss, "bf16 must actually round")
      }
    }
  }

  private func norm(_ v: [Float]) -> Float { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
}
