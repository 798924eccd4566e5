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
/// An interpreter on a real folder, as `makeInterpreter(files:)` is on an in-memory one.
func makeInterpreter(root: URL) -> (Interpreter, RecordingSink) {
  let sink = RecordingSink()
  let interpreter = Interpreter(
    sink: sink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false))
  return (interpreter, sink)
}

/// A new temporary folder holding `corpora/tiny.txt` (`tinyText`), removed when `test` ends.
func makeTinyCorpusFolder(for test: XCTestCase, prefix: String) throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: root.appendingPathComponent("corpora"), withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: root) }
  try tinyText.write(to: root.appendingPathComponent("corpora/tiny.txt"), atomically: true, encoding: .utf8)
  return root
}

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
