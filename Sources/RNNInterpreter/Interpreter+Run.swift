import RNNLanguage

/// How a whole source ran.
public struct RunOutcome: Sendable, Equatable {
  /// Statements that failed (parse errors count one each).
  public var errorCount: Int
  /// Whether a stop request (Ctrl-C) ended the run.
  public var interrupted: Bool
  /// Whether the source was rejected before anything ran (errors found by parsing and checking
  /// the whole of it).
  public var rejected = false

  /// True when nothing failed.
  public var succeeded: Bool { errorCount == 0 && !interrupted }
}

extension Interpreter {
  /// Parses and checks all of `file` first (``check(_:names:)``, against the names the session
  /// has now); if anything is wrong, reports every error and runs nothing. Otherwise runs the
  /// statements in order, stopping at the first error (or, with `keepGoing`, reporting it and
  /// continuing with the next statement; then only parse errors stop it from starting).
  /// `beforeEach` sees each statement just before it runs (the CLI's `--echo`).
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
    let diagnostics: [Diagnostic]
    if !parsed.errors.isEmpty {
      diagnostics = parsed.diagnostics
    } else if keepGoing {
      diagnostics = []
    } else {
      diagnostics = Self.staticDiagnostics(parsed.statements, names: StaticNames(session: session))
    }
    if !diagnostics.isEmpty {
      let renderer = DiagnosticRenderer(file: file)
      for diagnostic in diagnostics { sink.emit(.error(renderer.render(diagnostic))) }
      let errors = parsed.errors.isEmpty ? diagnostics.count : parsed.errors.count
      return RunOutcome(errorCount: errors, interrupted: false, rejected: true)
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
  /// unknown commands and options, literal values out of range, and corpora and models used
  /// before any statement that could define them (given `names`, those already bound). Returns
  /// the diagnostics in source order.
  public static func check(_ file: SourceFile, names: StaticNames = StaticNames()) -> [Diagnostic] {
    var names = names
    return check(file, names: &names)
  }

  /// ``check(_:names:)``, adding the names `file` binds to `names` (for the next file of a run).
  public static func check(_ file: SourceFile, names: inout StaticNames) -> [Diagnostic] {
    let parsed = Parser.parseAll(file)
    let diagnostics = parsed.diagnostics + staticDiagnostics(parsed.statements, names: &names)
    return diagnostics.sorted { $0.range.start < $1.range.start }
  }

  /// The static checker's errors for parsed `statements`, in source order.
  static func staticDiagnostics(_ statements: [Statement], names: StaticNames) -> [Diagnostic] {
    var names = names
    return staticDiagnostics(statements, names: &names)
  }

  /// The static checker's errors for parsed `statements`, recording the names they bind.
  static func staticDiagnostics(_ statements: [Statement], names: inout StaticNames) -> [Diagnostic] {
    var errors: [InterpreterError] = []
    for statement in statements { StaticChecker.check(statement, names: &names, into: &errors) }
    return errors.map(\.diagnostic).sorted { $0.range.start < $1.range.start }
  }
}
