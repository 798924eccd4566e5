/// Everything parsed from one source: the statements that parsed cleanly and every error.
public struct ParseResult: Sendable, Hashable {
  /// Statements without errors, in order. (A statement with an error is left out entirely.)
  public var statements: [Statement]
  /// Every error, in source order of discovery.
  public var errors: [ParseError]

  /// Creates a result.
  public init(statements: [Statement], errors: [ParseError]) {
    self.statements = statements
    self.errors = errors
  }

  /// The errors as diagnostics, ready for a ``DiagnosticRenderer``.
  public var diagnostics: [Diagnostic] { errors.map(\.diagnostic) }

  /// True when the source stops inside an open string, list or block: a REPL should read another
  /// line (continuation prompt) instead of reporting errors.
  public var needsMoreInput: Bool { errors.contains(where: \.isIncompleteInput) }
}

extension Parser {
  /// Parses a whole source, reporting every error (for `rnn --check` and script loading), up to
  /// ``ParserLimits/maxErrors``; past that it stops with a final
  /// ``ParseErrorKind/tooManyErrors(limit:)`` error.
  public static func parseAll(_ file: SourceFile, limits: ParserLimits = .default) -> ParseResult {
    var parser = Parser(file, limits: limits)
    var statements: [Statement] = []
    var errors: [ParseError] = []
    while true {
      do {
        guard let statement = try parser.nextStatement() else { break }
        statements.append(statement)
      } catch {
        errors += error.errors
        if errors.count >= limits.maxErrors {
          let stop = errors[limits.maxErrors - 1].range
          errors.removeSubrange(limits.maxErrors...)
          errors.append(ParseError(.tooManyErrors(limit: limits.maxErrors), at: stop))
          break
        }
      }
    }
    return ParseResult(statements: statements, errors: errors)
  }

  /// Whether `text` is complete input for the REPL: `false` while a string, `[` or `{` is still open
  /// at the end (show a continuation prompt and read more); `true` otherwise, errors or not.
  public static func isComplete(_ text: String, limits: ParserLimits = .default) -> Bool {
    !parseAll(SourceFile(name: "<repl>", text: text), limits: limits).needsMoreInput
  }
}
