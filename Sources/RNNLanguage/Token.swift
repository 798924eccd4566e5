/// One lexical token with its byte range.
public struct Token: Sendable, Hashable {
  /// What the token is, with its decoded payload.
  public enum Kind: Sendable, Hashable {
    /// `[A-Za-z_][A-Za-z0-9_]*` other than `true`/`false`. (`for`, `in`, `repeat` are identifiers
    /// too; the parser gives them meaning only where a statement starts.)
    case identifier(String)
    /// A number such as `500`, `2e-3`, `-1`, `.5`.
    case number(NumberLiteral)
    /// A duration such as `30s`.
    case duration(DurationLiteral)
    /// A string literal, escapes already decoded.
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `=`
    case equals
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `,`
    case comma
    /// `{`
    case leftBrace
    /// `}`
    case rightBrace
    /// A line break (statement separator).
    case newline
    /// `;` (statement separator).
    case semicolon
    /// End of the source; returned again on every further call.
    case endOfInput
  }

  /// The token kind.
  public var kind: Kind
  /// Where it is.
  public var range: SourceRange

  /// Creates a token.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

extension Token.Kind {
  /// True for `newline` and `semicolon`.
  public var isSeparator: Bool { self == .newline || self == .semicolon }

  /// True for tokens that can begin an expression.
  public var startsExpression: Bool {
    switch self {
    case .identifier, .number, .duration, .string, .bool, .leftBracket: return true
    default: return false
    }
  }

  /// Wording for diagnostics: `'='`, `newline`, `number '5'`, `identifier 'x'`, …
  public var diagnosticDescription: String {
    switch self {
    case .identifier(let name): return "identifier '\(name)'"
    case .number(let n): return "number '\(n.text)'"
    case .duration(let d): return "duration '\(d.text)'"
    case .string: return "string"
    case .bool(let b): return "'\(b)'"
    case .equals: return "'='"
    case .leftBracket: return "'['"
    case .rightBracket: return "']'"
    case .comma: return "','"
    case .leftBrace: return "'{'"
    case .rightBrace: return "'}'"
    case .newline: return "end of line"
    case .semicolon: return "';'"
    case .endOfInput: return "end of input"
    }
  }
}
