import Foundation
import NumericCore
import RNNModels
import TestSupport
import XCTest

/// A tied checkpoint loads strictly into PyTorch's word_language_model `RNNModel` with `--tied`
/// (`scripts/python/tied_torch_check.py`), and PyTorch's autograd through the shared weight gives
/// the loss and the gradients `rnn`'s backward gives (the shared one the sum of both uses), to
/// 1e-5 relative in norm. Skipped without PyTorch, like `TorchInteropTests`.
final class TiedTorchTests: XCTestCase {
  func testTiedModelMatchesPyTorchTiedModule() throws {
    guard TorchInteropTests.torchAvailable else { throw XCTSkip("python3 with torch and safetensors is not available") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tied-torch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let corpus = try Corpus(text: String(repeating: "the tied weight reads and writes ", count: 20))
    for cell in CellKind.allCases {
      let config = ModelConfig(cell: cell, vocabSize: corpus.vocabulary.count, embed: 8, hidden: 8, layers: 2, tied: true)
      let options = TrainingOptions(batch: 2, seq: 8, learningRate: 0.01)
      let model = try LanguageModel(config: config, seed: 3)
      let trainer = Trainer(
        model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 3))
      _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 3)
      let path = dir.appendingPathComponent("\(cell).safetensors").path
      try ModelCheckpoint.save(
        CheckpointContents(model: model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus),
        to: path)

      let tokens = (0..<13).map { corpus.tokens(of: .train)[$0 * 3 % 40] }
      let tokensPath = dir.appendingPathComponent("tokens.json")
      try JSONSerialization.data(withJSONObject: tokens.map(Int.init)).write(to: tokensPath)
      let script = Fixtures.packageRoot().appendingPathComponent("scripts/python/tied_torch_check.py").path
      let result = try TorchInteropTests.run(["python3", script, path, tokensPath.path])
      XCTAssertEqual(result.status, 0, result.stderr)
      let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let grads = try XCTUnwrap(json["grads"] as? [String: [Double]])
      XCTAssertNil(grads["decoder.weight"], "PyTorch lists a tied weight once")

      let (loss, gradients) = forwardBackward(model, tokens: tokens)
      let torchLoss = try XCTUnwrap(json["loss"] as? Double)
      XCTAssertEqual(loss, torchLoss, accuracy: 1e-5 * torchLoss, "\(cell)")
      for entry in model.layout.entries {
        let ours = gradients[entry.offset..<(entry.offset + entry.count)].map(Double.init)
        let theirs = try XCTUnwrap(grads[entry.name], entry.name)
        XCTAssertEqual(ours.count, theirs.count, entry.name)
        let difference = zip(ours, theirs).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let norm = theirs.map { $0 * $0 }.reduce(0, +).squareRoot()
        XCTAssertLessThanOrEqual(difference, 1e-5 * max(norm, 1e-6), "\(cell) \(entry.name)")
      }
    }
  }

  /// The loss and gradients of one chunk (`tokens` = inputs then the last target) read as one
  /// stream from a zero state.
  private func forwardBackward(_ model: LanguageModel, tokens: [Int32]) -> (Double, [Float]) {
    let T = tokens.count - 1
    let ws = Workspace(config: model.config, batch: 1, steps: T)
    var state = HiddenState(config: model.config, batch: 1)
    var rng = RandomGenerator(seed: 1)
    let inputs = Array(tokens.dropLast()), targets = Array(tokens.dropFirst())
    inputs.withUnsafeBufferPointer { model.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: true, rng: &rng) }
    let loss = targets.withUnsafeBufferPointer { model.backward(targets: $0.baseAddress!, workspace: ws) }
    return (Double(loss), model.gradients.array)
  }
}
