import RNNLanguage

/// Why a statement failed: a message, where in the source it applies, and optionally a
/// "did you mean" suggestion and notes. Rendered compiler-style by ``Interpreter``.
public struct InterpreterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure, for callers that react differently (the REPL on an interruption).
  public enum Kind: Sendable, Equatable {
    /// A bad command, option or value, found before anything ran.
    case invalid
    /// The command ran and failed (a missing file, training diverged).
    case runtime
    /// A stop was requested (Ctrl-C); the command that saw it finished cleanly.
    case interrupted
  }

  /// What kind of failure.
  public var kind: Kind
  /// The message (without the suggestion).
  public var message: String
  /// Where it applies.
  public var range: SourceRange
  /// A replacement to suggest.
  public var suggestion: String?
  /// Extra lines (`note: …`).
  public var notes: [String]

  /// Creates an error found before anything ran (``Kind/invalid``).
  public init(
    _ message: String, at range: SourceRange, suggestion: String? = nil, notes: [String] = []
  ) {
    self.init(.invalid, message, at: range, suggestion: suggestion, notes: notes)
  }

  /// Creates an error.
  public init(
    _ kind: Kind, _ message: String, at range: SourceRange, suggestion: String? = nil,
    notes: [String] = []
  ) {
    self.kind = kind
    self.message = message
    self.range = range
    self.suggestion = suggestion
    self.notes = notes
  }

  /// The error as a diagnostic for ``DiagnosticRenderer``.
  public var diagnostic: Diagnostic {
    Diagnostic(
      .error, message, at: range, notes: notes.map { Diagnostic.Note($0) }, suggestion: suggestion)
  }

  public var description: String { diagnostic.fullMessage }
}
