import Foundation
import RNNModels
import TestSupport
import XCTest

/// Checkpoints cross between `rnn` and PyTorch (`scripts/python/rnn_torch.py`) in both directions with the
/// same per-character loss to 1e-5 relative:
/// - Swift trains a tiny model, saves it with its whole training state; PyTorch drops the
///   `optimizer.`/`state.` tensors, verifies the CRC-32Cs, `load_state_dict(strict=True)`s the rest
///   into `nn.Embedding → nn.RNN/LSTM/GRU → nn.Linear` and evaluates the text as one stream;
/// - PyTorch builds and trains a model and writes it with `safetensors.torch.save_file`; Swift loads
///   it (with a fresh optimizer) and evaluates the same text;
/// - (LSTM) PyTorch continues training a Swift checkpoint, Swift loads the result with its
///   training state advanced (step, loss history, Adam's moments).
/// Skipped unless `python3 -c "import torch, safetensors"` succeeds: the tests never need PyTorch.
final class TorchInteropTests: XCTestCase {
  static let rtol = 1e-5
  var dir: URL!

  override func setUpWithError() throws {
    guard Self.torchAvailable else { throw XCTSkip("python3 with torch and safetensors is not available") }
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("torch-interop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    if let dir { try? FileManager.default.removeItem(at: dir) }
  }

  static let torchAvailable: Bool = {
    guard let result = try? run(["python3", "-c", "import torch, safetensors"], timeout: 120) else { return false }
    return result.status == 0
  }()

  static var script: String { Fixtures.packageRoot().appendingPathComponent("scripts/python/rnn_torch.py").path }

  /// A deterministic text with some variety (non-ASCII letters, a tab, CRLF line ends, a scalar
  /// outside the BMP), so that no stream is a copy of another.
  static let text: String = {
    let words = [
      "the", "rain", "in", "Spain", "falls", "mainly", "on", "plain", "café", "naïve", "—", "whether",
      "'tis", "nobler", "mind", "to", "suffer", "slings", "arrows", "of", "outrageous", "fortune", "🙂",
    ]
    var state: UInt64 = 0x9E3779B97F4A7C15
    var out = ""
    var k = 0
    while out.unicodeScalars.count < 2400 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      out += words[Int(state >> 33) % words.count]
      k += 1
      out += k % 11 == 0 ? ".\r\n" : (k % 7 == 0 ? ",\t" : " ")
    }
    return out
  }()

  struct ScriptFailure: Error {
    var message: String
  }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `arguments` through /usr/bin/env with stdout and stderr captured in files (no pipe
  /// deadlock), killing it after `timeout` seconds.
  static func run(_ arguments: [String], timeout: TimeInterval = 600) throws -> Output {
    let tmp = FileManager.default.temporaryDirectory
    let out = tmp.appendingPathComponent("torch-interop-\(UUID().uuidString).out")
    let err = tmp.appendingPathComponent("torch-interop-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["OMP_NUM_THREADS"] = "1"
    process.environment = environment
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    process.waitUntilExit()
    try? outHandle.close()
    try? errHandle.close()
    return Output(
      status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
  }

  /// Runs `scripts/python/rnn_torch.py` and fails the test (with its output) unless it exits 0.
  func python(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Output {
    let result = try Self.run(["python3", Self.script] + arguments)
    guard result.status == 0 else {
      XCTFail(
        "rnn_torch.py \(arguments.joined(separator: " ")) exited \(result.status):\n\(result.stdout)\n\(result.stderr)",
        file: file, line: line)
      throw ScriptFailure(message: "rnn_torch.py failed")
    }
    return result
  }

  /// The number after `key` on the line that starts with it.
  func value(_ key: String, in output: Output, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    for row in output.stdout.split(separator: "\n") where row.hasPrefix(key + " ") {
      if let x = Double(row.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)) { return x }
    }
    XCTFail("no '\(key)' line in:\n\(output.stdout)\n\(output.stderr)", file: file, line: line)
    throw ScriptFailure(message: "no '\(key)' in the output")
  }

  func writeText() throws -> (path: String, corpus: Corpus) {
    let path = dir.appendingPathComponent("text.txt").path
    try Data(Self.text.utf8).write(to: URL(fileURLWithPath: path))
    return (path, try Corpus.load(path: path))
  }

  func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-12) }

  /// Swift → PyTorch: a checkpoint with optimizer and training state, evaluated by both.
  func testSwiftCheckpointEvaluatesTheSameInPyTorch() throws {
    let (textPath, corpus) = try writeText()
    var report: [String] = []
    for cell in CellKind.allCases {
      let config = ModelConfig(cell: cell, vocabSize: corpus.vocabulary.count, embed: 6, hidden: 10, layers: 2, dropout: 0.1)
      let model = try LanguageModel(config: config, seed: 7)
      let options = TrainingOptions(batch: 3, seq: 12, learningRate: 0.01)
      let trainer = Trainer(
        model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 7))
      _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 6)
      let path = dir.appendingPathComponent("swift-\(cell).safetensors").path
      try ModelCheckpoint.save(
        CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus),
        to: path)

      let swiftLoss = try Evaluator.evaluate(model: trainer.model, tokens: corpus.tokens).loss
      let out = try python(["eval", path, textPath])
      let torchLoss = try value("loss_nats_per_char", in: out)
      XCTAssertTrue(out.stderr.contains("crc32c verified"), "PyTorch did not verify the checksums: \(out.stderr)")
      XCTAssertTrue(out.stderr.contains("dropped"), "PyTorch did not drop the training state: \(out.stderr)")
      let rel = relative(torchLoss, swiftLoss)
      report.append("\(cell): swift \(swiftLoss) torch \(torchLoss) rel \(rel)")
      XCTAssertLessThanOrEqual(rel, Self.rtol, "\(cell): Swift \(swiftLoss) vs PyTorch \(torchLoss)")
    }
    print("Swift → PyTorch loss, relative differences:\n  " + report.joined(separator: "\n  "))
  }

  /// PyTorch → Swift: a fresh PyTorch model trained a few steps and written with
  /// `safetensors.torch.save_file` (the GRU one without checksums) loads with a fresh optimizer and
  /// evaluates to the same loss; Swift then trains on from it with the options it carries.
  func testPyTorchCheckpointEvaluatesTheSameInSwift() throws {
    let (textPath, corpus) = try writeText()
    var report: [String] = []
    for cell in CellKind.allCases {
      let path = dir.appendingPathComponent("torch-\(cell).safetensors").path
      let noChecksum = cell == .gru
      _ = try python(
        [
          "random", "--cell", cell.rawValue, "--hidden", "16", "--layers", "2", "--embed", "8", "--text", textPath,
          "--out", path, "--steps", "4", "--threads", "1",
        ] + (noChecksum ? ["--no-checksum"] : []))
      let loaded = try ModelCheckpoint.load(path: path)
      XCTAssertNil(loaded.training)
      XCTAssertEqual(loaded.vocabulary, corpus.vocabulary)
      XCTAssertEqual(loaded.config.cell, cell)
      XCTAssertTrue(loaded.notes.joined(separator: "; ").contains("no training state"), "\(loaded.notes)")
      XCTAssertEqual(loaded.notes.joined(separator: "; ").contains("no checksum"), noChecksum, "\(loaded.notes)")
      XCTAssertNil(loaded.corpusWarning(against: corpus))
      let trainer = try loaded.makeTrainer()

      let swiftLoss = try Evaluator.evaluate(model: trainer.model, tokens: corpus.tokens).loss
      let torchLoss = try value("loss_nats_per_char", in: try python(["eval", path, textPath]))
      let rel = relative(swiftLoss, torchLoss)
      report.append("\(cell)\(noChecksum ? " (no crc32c)" : ""): torch \(torchLoss) swift \(swiftLoss) rel \(rel)")
      XCTAssertLessThanOrEqual(rel, Self.rtol, "\(cell): PyTorch \(torchLoss) vs Swift \(swiftLoss)")

      let options = try XCTUnwrap(loaded.options, "the PyTorch checkpoint should carry its training options")
      XCTAssertEqual(options.optimizer.kind, .adam)
      let outcome = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 2)
      XCTAssertEqual(outcome.stepsDone, 2)
      XCTAssertTrue(trainer.model.parametersAreFinite)
    }
    print("PyTorch → Swift loss, relative differences:\n  " + report.joined(separator: "\n  "))
  }

  /// The README path: `rnn` trains, PyTorch continues (`rnn_torch.py train`), `rnn` loads the
  /// result: the validation loss PyTorch reports is the one Swift computes.
  func testContinueTrainingInPyTorchAndComeBack() throws {
    let (textPath, corpus) = try writeText()
    let config = ModelConfig(cell: .lstm, vocabSize: corpus.vocabulary.count, embed: 6, hidden: 12, layers: 2, dropout: 0)
    let model = try LanguageModel(config: config, seed: 3)
    let options = TrainingOptions(batch: 4, seq: 16, learningRate: 0.01)
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 3))
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 5)
    let start = dir.appendingPathComponent("swift.safetensors").path
    try ModelCheckpoint.save(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus),
      to: start)
    let before = try Evaluator.evaluate(model: trainer.model, tokens: corpus.tokens(of: .validation)).loss

    let end = dir.appendingPathComponent("continued.safetensors").path
    let out = try python(
      ["train", start, textPath, "--steps", "8", "--batch", "4", "--seq", "16", "--lr", "0.01", "--threads", "1", "--out", end])
    let torchValidation = try value("val_loss_nats_per_char", in: out)

    let loaded = try ModelCheckpoint.load(path: end)
    let state = try XCTUnwrap(loaded.training, "PyTorch writes the training state it advanced")
    XCTAssertEqual(state.step, 13)
    XCTAssertEqual(Array(state.trainLosses.prefix(5)), trainer.state.trainLosses, "rnn's 5 losses, then PyTorch's 8")
    XCTAssertEqual(state.trainLosses.count, 13)
    XCTAssertEqual(state.validationLosses.last?.step, 13)
    XCTAssertNil(loaded.corpusWarning(against: corpus))
    XCTAssertEqual(loaded.options?.batch, 4)
    let resumed = try loaded.makeTrainer()
    let swiftValidation = try Evaluator.evaluate(model: resumed.model, tokens: corpus.tokens(of: .validation)).loss
    let rel = relative(swiftValidation, torchValidation)
    print("Swift → PyTorch train 8 steps → Swift: validation \(before) → torch \(torchValidation) swift \(swiftValidation) rel \(rel)")
    XCTAssertLessThanOrEqual(rel, Self.rtol)
    XCTAssertNotEqual(loaded.parameters, trainer.model.parameters.array, "PyTorch should have changed the weights")
  }
}
