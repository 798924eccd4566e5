/// One message about the source: an error, a warning or a note, with where it applies.
///
/// Produced by the parser (``ParseError/diagnostic``) and by the interpreter (unknown commands,
/// bad option values); rendered by ``DiagnosticRenderer``.
public struct Diagnostic: Sendable, Hashable {
  /// How serious it is.
  public enum Severity: String, Sendable, Hashable {
    case error, warning, note
  }

  /// Extra information: where an unclosed bracket opened, a hint.
  public struct Note: Sendable, Hashable {
    /// The note's text.
    public var message: String
    /// Where it points, if anywhere.
    public var range: SourceRange?

    /// Creates a note.
    public init(_ message: String, at range: SourceRange? = nil) {
      self.message = message
      self.range = range
    }
  }

  /// How serious it is.
  public var severity: Severity
  /// The one-line message (without the "did you mean" part).
  public var message: String
  /// The source range it is about.
  public var range: SourceRange
  /// Follow-up notes.
  public var notes: [Note]
  /// A replacement to suggest, rendered as ` (did you mean 'x'?)`.
  public var suggestion: String?

  /// Creates a diagnostic.
  public init(
    _ severity: Severity, _ message: String, at range: SourceRange, notes: [Note] = [],
    suggestion: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.range = range
    self.notes = notes
    self.suggestion = suggestion
  }

  /// The message with the suggestion appended, as the first rendered line shows it.
  public var fullMessage: String {
    guard let suggestion else { return message }
    return "\(message) (did you mean '\(suggestion)'?)"
  }
}
