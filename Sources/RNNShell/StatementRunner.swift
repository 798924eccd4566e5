import RNNInterpreter
import RNNLanguage

/// Runs a source statement by statement through ``Interpreter/run(_:keepGoing:beforeEach:)``,
/// with a hook that sees each statement's source text before it runs (`--echo`).
public enum StatementRunner {
  /// Parses all of `file` first (a parse error runs nothing and reports every error), then runs
  /// its statements in order, calling `echo` with each one's source text first; stops at the first
  /// error unless `keepGoing`, and at an interruption.
  public static func run(
    _ file: SourceFile, with interpreter: Interpreter, keepGoing: Bool = false,
    echo: ((String) -> Void)? = nil
  ) -> RunOutcome {
    run(Parser.parseAll(file), of: file, with: interpreter, keepGoing: keepGoing, echo: echo)
  }

  /// Runs `parsed`, the parse of `file` already made, as ``run(_:with:keepGoing:echo:)``.
  public static func run(
    _ parsed: ParseResult, of file: SourceFile, with interpreter: Interpreter,
    keepGoing: Bool = false, echo: ((String) -> Void)? = nil
  ) -> RunOutcome {
    interpreter.run(
      parsed, in: file, keepGoing: keepGoing,
      beforeEach: echo.map { echo in { echo(text(of: $0, in: file)) } })
  }

  /// The source text of `statement`.
  static func text(of statement: Statement, in file: SourceFile) -> String {
    let start = max(0, min(statement.range.start, file.bytes.count))
    let end = max(start, min(statement.range.end, file.bytes.count))
    return String(decoding: file.bytes[start..<end], as: UTF8.self)
  }
}
