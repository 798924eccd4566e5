import Foundation
import RNNInterpreter
import RNNShell
import XCTest

/// An interpreter over an in-memory file system holding `corpora/hello.txt`, recording its output.
func makeREPL(_ results: [LineReadResult], historyPath: String? = nil) -> (
  REPL, ScriptedLineReader, RecordingSink
) {
  let fs = InMemoryFileSystem()
  fs.add("corpora/hello.txt", text: String(repeating: "hello world\n", count: 20))
  let sink = RecordingSink()
  let interpreter = Interpreter(
    sink: sink, fileSystem: fs, settings: InterpreterSettings(showTimings: false))
  let reader = ScriptedLineReader(results)
  let repl = REPL(interpreter: interpreter, reader: reader, history: History(path: historyPath))
  return (repl, reader, sink)
}

/// A fresh temporary file path (not created).
func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent(
    "rnn-shell-\(UUID().uuidString)-\(name)"
  ).path
}

extension RecordingSink {
  /// The warnings received.
  var warnings: [String] {
    events.compactMap { if case .warning(let w) = $0 { w } else { nil } }
  }
  /// The errors received.
  var errors: [String] {
    events.compactMap { if case .error(let e) = $0 { e } else { nil } }
  }
}
