import RNNLanguage

/// How a whole source ran.
public struct RunOutcome: Sendable, Equatable {
  /// Statements that failed (parse errors count one each).
  public var errorCount: Int
  /// Whether a stop request (Ctrl-C) ended the run.
  public var interrupted: Bool

  /// True when nothing failed.
  public var succeeded: Bool { errorCount == 0 && !interrupted }
}

extension Interpreter {
  /// Parses all of `file` first; if anything fails to parse, reports every parse error and runs
  /// nothing. Otherwise runs the statements in order, stopping at the first error (or, with
  /// `keepGoing`, reporting it and continuing with the next statement). `beforeEach` sees each
  /// statement just before it runs (the CLI's `--echo`).
  public func run(
    _ file: SourceFile, keepGoing: Bool = false, beforeEach: ((Statement) -> Void)? = nil
  ) -> RunOutcome {
    run(Parser.parseAll(file), in: file, keepGoing: keepGoing, beforeEach: beforeEach)
  }

  /// Runs `parsed`, the parse of `file` made by the caller (the REPL parses each input once, to
  /// know whether it is complete, and hands that parse on), as ``run(_:keepGoing:beforeEach:)``.
  public func run(
    _ parsed: ParseResult, in file: SourceFile, keepGoing: Bool = false,
    beforeEach: ((Statement) -> Void)? = nil
  ) -> RunOutcome {
    if !parsed.errors.isEmpty {
      let renderer = DiagnosticRenderer(file: file)
      for diagnostic in parsed.diagnostics { sink.emit(.error(renderer.render(diagnostic))) }
      return RunOutcome(errorCount: parsed.errors.count, interrupted: false)
    }
    var outcome = RunOutcome(errorCount: 0, interrupted: false)
    for (index, statement) in parsed.statements.enumerated() {
      beforeEach?(statement)
      do {
        try execute(statement, in: file)
      } catch {
        if error.kind == .interrupted {
          // The stopped command has said how far it got; say only what did not run.
          let skipped = parsed.statements.count - index - 1
          if skipped > 0 { sink.emit(.warning("interrupted: \(skipped) more statement\(skipped == 1 ? "" : "s") not run")) }
          outcome.interrupted = true
          return outcome
        }
        report(error, in: file)
        outcome.errorCount += 1
        if !keepGoing { return outcome }
      }
    }
    return outcome
  }

  /// Emits an error rendered compiler-style against `file`. An interruption is reported as a
  /// warning (the command already said how far it got).
  public func report(_ error: InterpreterError, in file: SourceFile) {
    if error.kind == .interrupted {
      sink.emit(.warning("interrupted"))
      return
    }
    sink.emit(.error(DiagnosticRenderer(file: file).render(error.diagnostic)))
  }

  /// Checks `file` without running it: every parse error, then, for statements that parse,
  /// unknown commands and options and literal values out of range (names of session objects
  /// cannot be checked before they exist, so they are not). Returns the diagnostics.
  public static func check(_ file: SourceFile) -> [Diagnostic] {
    check(Parser.parseAll(file))
  }

  /// Checks `parsed` (a parse already made) as ``check(_:)`` checks a file.
  public static func check(_ parsed: ParseResult) -> [Diagnostic] {
    var diagnostics = parsed.diagnostics
    var errors: [InterpreterError] = []
    for statement in parsed.statements { StaticChecker.check(statement, into: &errors) }
    diagnostics += errors.map(\.diagnostic)
    return diagnostics.sorted { $0.range.start < $1.range.start }
  }
}
