/// An argument value: a literal, a name, or a list of expressions.
public struct Expression: Sendable, Hashable {
  /// The kinds of expression.
  public enum Kind: Sendable, Hashable {
    /// `500`, `2e-3`, `-1`, `.5`
    case number(NumberLiteral)
    /// `"ROMEO:"` (escapes decoded)
    case string(String)
    /// `30s`, `1.5h`, `500ms`
    case duration(DurationLiteral)
    /// `true`, `false`
    case bool(Bool)
    /// A bare name: a session object, a loop variable, or an option name such as `steps`
    /// (the interpreter decides which, from its command table).
    case identifier(String)
    /// `[e, e, …]`, possibly empty, possibly spanning lines.
    case list([Expression])
  }

  /// What it is.
  public var kind: Kind
  /// Where it is (for a list, from `[` through `]`).
  public var range: SourceRange

  /// Creates an expression.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The name, if this is a bare identifier.
  public var identifier: String? {
    if case .identifier(let name) = kind { return name }
    return nil
  }
}

/// A name with its range: a command name, an assignment target, a loop variable.
public struct Identifier: Sendable, Hashable {
  /// The name.
  public var name: String
  /// Where it is.
  public var range: SourceRange

  /// Creates an identifier.
  public init(_ name: String, _ range: SourceRange) {
    self.name = name
    self.range = range
  }
}
