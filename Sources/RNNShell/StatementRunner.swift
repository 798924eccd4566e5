import RNNInterpreter
import RNNLanguage

/// Runs a source statement by statement, like ``Interpreter/run(_:keepGoing:)``, with a hook that
/// sees each statement's text before it runs (`--echo`).
public enum StatementRunner {
  /// How a source ran.
  public struct Outcome: Sendable, Equatable {
    /// Statements that failed (parse errors count one each).
    public var errorCount = 0
    /// Whether a stop request (Ctrl-C) ended the run.
    public var interrupted = false
    /// True when nothing failed.
    public var succeeded: Bool { errorCount == 0 && !interrupted }
  }

  /// Parses all of `file` first (a parse error runs nothing and reports every error), then runs
  /// its statements in order, calling `echo` with each one's source text first; stops at the first
  /// error unless `keepGoing`, and at an interruption.
  public static func run(
    _ file: SourceFile, with interpreter: Interpreter, keepGoing: Bool = false,
    echo: ((String) -> Void)? = nil
  ) -> Outcome {
    let parsed = Parser.parseAll(file)
    if !parsed.errors.isEmpty {
      let renderer = DiagnosticRenderer(file: file)
      for diagnostic in parsed.diagnostics {
        interpreter.sink.emit(.error(renderer.render(diagnostic)))
      }
      return Outcome(errorCount: parsed.errors.count)
    }
    var outcome = Outcome()
    for statement in parsed.statements {
      echo?(text(of: statement, in: file))
      do {
        try interpreter.execute(statement, in: file)
      } catch {
        interpreter.report(error, in: file)
        if error.kind == .interrupted {
          outcome.interrupted = true
          return outcome
        }
        outcome.errorCount += 1
        if !keepGoing { return outcome }
      }
    }
    return outcome
  }

  /// The source text of `statement`.
  static func text(of statement: Statement, in file: SourceFile) -> String {
    let start = max(0, min(statement.range.start, file.bytes.count))
    let end = max(start, min(statement.range.end, file.bytes.count))
    return String(decoding: file.bytes[start..<end], as: UTF8.self)
  }
}
