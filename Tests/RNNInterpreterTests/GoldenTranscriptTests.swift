import Foundation
import RNNInterpreter
import RNNLanguage
import TestSupport
import XCTest

/// Whole scripts (`Golden/*.rnn`) run in a fresh session; their transcripts (output, warnings and
/// errors as a script run prints them, without timings) must equal `Golden/*.out`. Models are tiny
/// and seeded, so the numbers and samples are reproducible. Re-record with `RNN_RECORD_GOLDEN=1`.
final class GoldenTranscriptTests: XCTestCase {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden")

  func transcript(of name: String, keepGoing: Bool = false, fileSystem: (any FileSystem)? = nil)
    throws -> String
  {
    let url = Self.directory.appendingPathComponent(name)
    let source = SourceFile(name: name, bytes: [UInt8](try Data(contentsOf: url)))
    var (interpreter, sink, _) = makeInterpreter()
    if let fileSystem {
      interpreter = Interpreter(
        sink: sink, fileSystem: fileSystem, settings: InterpreterSettings(showTimings: false))
    }
    let outcome = interpreter.run(source, keepGoing: keepGoing)
    return sink.transcript
      + "# exit: \(outcome.succeeded ? "ok" : "\(outcome.errorCount) error(s)")\n"
  }

  func testHello() throws {
    try Golden.assertMatches(transcript(of: "hello.rnn"), Golden.url("hello.out"))
  }

  func testLanguageFeatures() throws {
    try Golden.assertMatches(transcript(of: "language.rnn"), Golden.url("language.out"))
  }

  func testErrorsKeepGoing() throws {
    try Golden.assertMatches(transcript(of: "errors.rnn", keepGoing: true), Golden.url("errors.out"))
  }

  func testStopsAtFirstError() throws {
    try Golden.assertMatches(transcript(of: "errors.rnn"), Golden.url("errors-first.out"))
  }

  func testFirstHourMessages() throws {
    let url = Self.directory.appendingPathComponent("first-hour.rnn")
    let source = SourceFile(name: "first-hour.rnn", bytes: [UInt8](try Data(contentsOf: url)))
    var tsv = ""
    for i in 0..<20 { tsv += i % 2 == 0 ? "yes\tgood\n" : "no\tbad\n" }
    let (interpreter, sink, _) = makeInterpreter(files: ["odd.txt": "Tyger ~~ bright @ night", "data.tsv": tsv])
    let outcome = interpreter.run(source)
    Golden.assertMatches(
      sink.transcript + "# exit: \(outcome.succeeded ? "ok" : "\(outcome.errorCount) error(s)")\n",
      Golden.url("first-hour.out"))
  }

  func testHelp() throws {
    try Golden.assertMatches(transcript(of: "help.rnn"), Golden.url("help.out"))
  }

  /// `plot` of a log `train … log` wrote in the same script, of a hand-written CSV log of two
  /// models, of a malformed log and of a missing one (errors that name the line and the file).
  func testPlotFromMetricsLogs() throws {
    let fs = InMemoryFileSystem()
    fs.add("corpora/tiny.txt", text: tinyText)
    fs.add(
      "runs/old.csv",
      text: """
        kind,step,loss,bits_per_char,lr,grad_norm,chars_per_s,wall_s,model
        train,100,2.0,2.885,0.002,1.5,50000,1.0,a
        validation,100,2.1,3.03,,,,1.1,a
        train,200,1.5,2.164,0.002,1.2,50000,2.0,a
        validation,200,1.6,2.308,,,,2.1,a
        train,100,2.2,3.174,0.001,1.1,40000,1.5,b
        train,200,1.9,2.741,0.001,1.0,40000,3.0,b

        """)
    fs.add("runs/broken.jsonl", text: "{\"kind\":\"train\",\"step\":1,\"bits_per_char\":2}\n{\"kind\":\"train\",\"step\":2}\n")
    try Golden.assertMatches(
      transcript(of: "metrics-log.rnn", keepGoing: true, fileSystem: fs), Golden.url("metrics-log.out"))
  }

  func testCheckpointRoundTrip() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rnn-golden-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("corpora"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try tinyText.write(
      to: root.appendingPathComponent("corpora/tiny.txt"), atomically: true, encoding: .utf8)
    try Golden.assertMatches(
      transcript(of: "checkpoint.rnn", fileSystem: LocalFileSystem(root: root.path)), Golden.url("checkpoint.out"))
    XCTAssertTrue(
      FileManager.default.fileExists(
        atPath: root.appendingPathComponent("checkpoints/tiny.safetensors").path))
  }
}
