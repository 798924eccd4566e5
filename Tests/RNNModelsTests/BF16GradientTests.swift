import NumericCore
import XCTest

@testable import RNNModels

/// `precision bf16` against fp32 on one training step (forward and backward over a chunk), from
/// the same parameters and state, for every cell, with and without layer 0's token table.
///
/// Bound. In bf16 every big product, forward and backward (input projection, recurrent product,
/// decoder; ∂L/∂x = dGx·W_ih, ∂L/∂h_{t−1} = dG·W_hh, ∂L/∂h = dlogits·W_dec; the weight gradients
/// dW = dGᵀ·X), carries at most (2⁻⁷ + 2⁻¹⁶ + k·2⁻²⁴)·Σ|a||b| of error per element
/// (`BF16GEMMTests`). The forward products are about 2⁻⁷ of a typical pre-activation's scale
/// (PyTorch's initialisation, |w| ≤ 1/√H, |h| ≤ 1) and the sigmoid and tanh (slopes ≤ 1) do not
/// amplify it. A gradient passes through at most two forward products (the activations it is
/// evaluated at) and, in backward, through its own weight-gradient product and the data-gradient
/// products that carried it down the layers and back through time; the model is small and
/// Lipschitz with constants of order 1 over T = 12 steps, and the roundings of different elements
/// are independent and mostly cancel in sums. The bounds: the loss moves by at most 2⁻⁹ relative
/// (the forward worst case, 2⁻⁷, over 4; backward does not touch the loss), the whole gradient by
/// at most 2⁻⁶ relative in the 2-norm (2⁻⁷ per product, for the forward pair and the backward
/// pair a gradient meets), and each tensor's gradient keeps its direction (cosine ≥ 0.99).
/// Measured (printed by the test): loss 1e-6–3e-5 relative, gradient 1.3–4.3e-3 (about 2⁻⁸) with the
/// backward products in bf16 (1.5e-3 with the forward alone). A wrong product (a transposed or
/// stale weight copy) gives relative errors of order 1.
final class BF16GradientTests: XCTestCase {
  func testStepGradientsAgreeWithFP32() throws {
    let cases: [(hidden: Int, text: String, batch: Int, steps: Int)] = [
      (40, "abcdefgh ijklmnop", 3, 12),  // V = 17 < N = 36: layer 0 by the token table
      (24, "the quick brown fox. ", 3, 12),
      (33, "abcdefgh ijklmnopqrstuvw", 2, 6),  // V = 24 > N = 12: layer 0's products by rows
    ]
    for cell in CellKind.allCases {
      for c in cases {
        let corpus = try Corpus(text: String(repeating: c.text, count: 20))
        let config = ModelConfig(
          cell: cell, vocabSize: corpus.vocabulary.count, embed: 10, hidden: c.hidden, layers: 2, dropout: 0)
        let model = try LanguageModel(config: config, seed: 5)
        let tokens = corpus.tokens(of: .train).array
        let count = c.batch * c.steps
        let inputs = (0..<count).map { tokens[$0 % tokens.count] }
        let targets = (0..<count).map { tokens[($0 + 1) % tokens.count] }
        func step(_ precision: Precision) -> (loss: Float, gradients: [Float]) {
          let ws = Workspace(config: config, batch: c.batch, steps: c.steps)
          ws.precision = precision
          var state = HiddenState(config: config, batch: c.batch)
          var rng = RandomGenerator(seed: 1)
          model.forward(inputs: inputs, state: &state, workspace: ws, training: true, rng: &rng)
          let loss = model.backward(targets: targets, workspace: ws)
          return (loss, model.gradients.array)
        }
        let fp32 = step(.fp32), bf16 = step(.bf16)
        XCTAssertEqual(step(.fp32).gradients, fp32.gradients, "fp32 is deterministic")
        XCTAssertEqual(step(.bf16).gradients, bf16.gradients, "bf16 is deterministic")
        let name = "\(cell) H\(c.hidden) B\(c.batch) T\(c.steps)"
        let lossError = abs(bf16.loss - fp32.loss) / fp32.loss
        XCTAssertLessThanOrEqual(lossError, 0x1p-9, "\(name): loss \(fp32.loss) vs \(bf16.loss)")
        let relative = norm(zip(bf16.gradients, fp32.gradients).map { $0 - $1 }) / norm(fp32.gradients)
        XCTAssertLessThanOrEqual(relative, 0x1p-6, name)
        XCTAssertGreaterThan(relative, 0, "\(name): bf16 must actually round")
        for entry in model.layout.entries {
          let x = Array(fp32.gradients[entry.offset..<(entry.offset + entry.count)])
          let y = Array(bf16.gradients[entry.offset..<(entry.offset + entry.count)])
          let cosine = zip(x, y).map { $0 * $1 }.reduce(0, +) / max(norm(x) * norm(y), .leastNormalMagnitude)
          if norm(x) > 1e-6 { XCTAssertGreaterThanOrEqual(cosine, 0.99, "\(name) \(entry.name)") }
        }
        print("bf16 vs fp32, \(name): loss relative \(lossError), gradient relative \(relative)")
      }
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
