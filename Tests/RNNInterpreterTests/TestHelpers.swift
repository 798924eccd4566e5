import Foundation
import RNNInterpreter
import RNNLanguage
import XCTest

/// A small deterministic text for tiny models: 1,200 characters of a repeated verse.
let tinyText = String(
  repeating:
    "Tyger Tyger, burning bright,\nIn the forests of the night;\nWhat immortal hand or eye,\n",
  count: 15)

/// An interpreter over a fresh session, an in-memory file system holding `corpora/hello.txt` and
/// `corpora/tiny.txt`, a recording sink, and no wall-clock figures in its output.
func makeInterpreter(files: [String: String] = [:]) -> (
  Interpreter, RecordingSink, InMemoryFileSystem
) {
  let fs = InMemoryFileSystem()
  fs.add("corpora/hello.txt", text: "hello")
  fs.add("corpora/tiny.txt", text: tinyText)
  for (path, text) in files { fs.add(path, text: text) }
  let sink = RecordingSink()
  let interpreter = Interpreter(
    sink: sink, fileSystem: fs, settings: InterpreterSettings(showTimings: false))
  return (interpreter, sink, fs)
}

extension Interpreter {
  /// Runs `text` as a script named `name`; returns whether it succeeded.
  @discardableResult
  func run(_ text: String, name: String = "test.rnn", keepGoing: Bool = false) -> Bool {
    run(SourceFile(name: name, text: text), keepGoing: keepGoing).succeeded
  }
}

/// The first error event's text, or "" when there was none.
func firstError(_ sink: RecordingSink) -> String {
  for event in sink.events { if case .error(let text) = event { return text } }
  return ""
}

/// Compares `actual` with the golden file `name` in `Golden/`, or rewrites the file when
/// `RNN_RECORD_GOLDEN=1`.
func assertGolden(
  _ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line
) throws {
  let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent(
    "Golden/\(name)")
  if ProcessInfo.processInfo.environment["RNN_RECORD_GOLDEN"] == "1" {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  if expected != actual {
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let index = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    XCTFail(
      "\(name) differs at line \(index + 1):\n  expected: \(index < e.count ? String(e[index]) : "<end>")\n"
        + "  actual:   \(index < a.count ? String(a[index]) : "<end>")\n(re-record with RNN_RECORD_GOLDEN=1)",
      file: file, line: line)
  }
}
