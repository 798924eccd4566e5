import Foundation
import RNNInterpreter
import RNNLanguage
import RNNModels
import XCTest

/// Behaviour that transcripts do not show well: time budgets, the pull-parser API the REPL uses,
/// checkpoint failures, output events.
final class CommandBehaviourTests: XCTestCase {
  func testTimeBudgetStopsAtAStepBoundary() {
    let (interpreter, sink, _) = makeInterpreter()
    let start = Date()
    XCTAssertTrue(
      interpreter.run(
        "c = corpus \"corpora/tiny.txt\"\nm = rnn c hidden 4 embed 2\ntrain m for 300ms batch 2 seq 8"
      ))
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertGreaterThanOrEqual(elapsed, 0.3)
    XCTAssertLessThan(elapsed, 5)
    let model = interpreter.session.model("m")!
    XCTAssertGreaterThan(model.step, 0)
    XCTAssertEqual(model.trainer.state.trainLosses.count, model.step)
    XCTAssertTrue(sink.transcript.contains("m: trained \(model.step) steps"), sink.transcript)
  }

  /// A parse made by the caller is run as given (the REPL parses each input once), and a parse
  /// with errors runs nothing, reported against the caller's file.
  func testRunsTheParseItIsGiven() {
    let (interpreter, sink, _) = makeInterpreter()
    let file = SourceFile(name: "<input>", text: "print 1; print 2")
    let parsed = Parser.parseAll(file)
    let outcome = interpreter.run(
      ParseResult(statements: Array(parsed.statements.dropFirst()), errors: []), in: file)
    XCTAssertTrue(outcome.succeeded)
    XCTAssertEqual(sink.events, [.line("2")])
    let broken = SourceFile(name: "<input>", text: "print 3\nprint [")
    XCTAssertEqual(interpreter.run(Parser.parseAll(broken), in: broken).errorCount, 1)
    XCTAssertFalse(sink.transcript.contains("3"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("<input>:2:"), sink.transcript)
  }

  func testOneStatementAtATimeAsTheREPLWillDo() throws {
    let (interpreter, sink, _) = makeInterpreter()
    let file = SourceFile(
      name: "<repl>",
      text: "c = corpus \"corpora/hello.txt\" split 1; m = gru c hidden 4\nshow mm\nlist")
    var parser = Parser(file)
    var failures = 0
    while let statement = try parser.nextStatement() {
      do { try interpreter.execute(statement, in: file) } catch {
        failures += 1
        interpreter.report(error, in: file)
      }
    }
    XCTAssertEqual(failures, 1)
    XCTAssertTrue(
      sink.transcript.contains("<repl>:2:6: error: unknown name 'mm' (did you mean 'm'?)"),
      sink.transcript)
    XCTAssertTrue(sink.transcript.contains("m  GRU 1×4"), sink.transcript)
    XCTAssertFalse(interpreter.session.hasUnsavedTraining)
  }

  func testSampleStreamsCharactersAsEvents() {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(
      interpreter.run(
        "c = corpus \"corpora/tiny.txt\"\nm = rnn c hidden 4 embed 2\nsample m 12 prime \"Ty\" seed 1"
      ))
    let characters = sink.events.filter { if case .sampleCharacter = $0 { true } else { false } }
    XCTAssertEqual(characters.count, 12)
    XCTAssertTrue(sink.events.contains(.sampleBegan(model: "m", prime: "Ty")))
    XCTAssertEqual(sink.events.last, .sampleEnded)
  }

  func testCorruptCheckpointIsAClearErrorAndChangesNothing() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rnn-ckpt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try tinyText.write(
      to: root.appendingPathComponent("tiny.txt"), atomically: true, encoding: .utf8)
    let sink = RecordingSink()
    let interpreter = Interpreter(sink: sink, fileSystem: LocalFileSystem(root: root.path))
    XCTAssertTrue(
      interpreter.run(
        "c = corpus \"tiny.txt\"\nm = rnn c hidden 4 embed 2\ntrain m steps 2 batch 2 seq 8\nsave m \"ck/m.safetensors\""
      ))
    var bytes = try Data(contentsOf: root.appendingPathComponent("ck/m.safetensors"))
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: root.appendingPathComponent("ck/bad.safetensors"))
    try Data("not a checkpoint".utf8).write(to: root.appendingPathComponent("ck/junk.safetensors"))
    for path in ["ck/bad.safetensors", "ck/junk.safetensors", "ck/none.safetensors"] {
      sink.clear()
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run("m = load \"\(path)\""))
      XCTAssertTrue(firstError(sink).contains("error: "), firstError(sink))
      XCTAssertTrue(firstError(sink).contains(path), firstError(sink))
      XCTAssertEqual(interpreter.session.fingerprint, before)
    }
    sink.clear()
    XCTAssertTrue(
      interpreter.run("m3 = load \"ck/m.safetensors\"\ntrain m3 steps 1\ntrain m steps 1"))
    XCTAssertEqual(
      interpreter.session.model("m3")!.model.parameters.array,
      interpreter.session.model("m")!.model.parameters.array)
  }
}

extension CommandBehaviourTests {
  /// `autosave` saves a rolling checkpoint when training is stopped (Ctrl-C, SIGTERM), at the
  /// step it stopped at, and the checkpoint continues exactly from there.
  func testAutosaveSavesWhenStopped() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-auto-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try tinyText.write(to: root.appendingPathComponent("tiny.txt"), atomically: true, encoding: .utf8)
    let interpreter = Interpreter(sink: RecordingSink(), fileSystem: LocalFileSystem(root: root.path))
    XCTAssertTrue(interpreter.run("c = corpus \"tiny.txt\"\nm = gru c hidden 4 embed 2"))
    var polls = 0
    interpreter.shouldStop = {
      polls += 1
      return polls > 7
    }
    _ = interpreter.run("train m steps 1000 batch 2 seq 8 autosave 1h save_dir \"auto\" keep 1")
    interpreter.shouldStop = { false }
    let step = interpreter.session.model("m")!.step
    XCTAssertGreaterThan(step, 0)
    XCTAssertLessThan(step, 1000)
    let path = root.appendingPathComponent("auto/m-step\(String(repeating: "0", count: 7 - String(step).count))\(step).safetensors").path
    let saved = try ModelCheckpoint.load(path: path)
    XCTAssertEqual(saved.training?.step, step)
    XCTAssertEqual(saved.parameters, interpreter.session.model("m")!.model.parameters.array)
  }
}
