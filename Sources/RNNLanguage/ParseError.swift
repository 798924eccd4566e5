/// What the parser was looking for when it found something else.
public enum Expectation: Sendable, Hashable {
  /// The start of a statement (a command name, an assignment, `for` or `repeat`).
  case statement
  /// A command name after `name =`.
  case commandName
  /// The loop variable after `for`.
  case loopVariable
  /// The keyword `in` after `for x`.
  case keywordIn
  /// A value: number, string, duration, `true`/`false`, name or list.
  case expression
  /// `{` opening a block.
  case blockOpen
  /// `,` or `]` inside a list.
  case listSeparator
  /// An argument, or the end of the statement (newline, `;`, `}`).
  case argumentOrEnd
  /// The end of the statement after a block's `}`.
  case endOfStatement
}

/// A lexical or syntax error, as data. Its wording lives in `ParseError+Wording.swift`.
public enum ParseErrorKind: Sendable, Hashable {
  /// A byte or character that cannot start a token (a valid scalar).
  case unexpectedCharacter(Unicode.Scalar)
  /// A byte that is not valid UTF-8 outside a comment.
  case invalidUTF8(UInt8)
  /// A string whose closing `"` never comes (the REPL asks for more input).
  case unterminatedString
  /// A backslash escape that is not one of `\n \t \r \0 \" \\ \u{…}`.
  case invalidEscape(String)
  /// A malformed `\u{…}` escape or one naming an invalid scalar; payload is the source spelling.
  case invalidUnicodeEscape(String)
  /// A control character inside a string literal (other than tab and line breaks).
  case controlCharacterInString(Unicode.Scalar)
  /// Invalid UTF-8 inside a string literal.
  case invalidUTF8InString(UInt8)
  /// A number followed directly by letters that are not a duration unit (`5x`, `1.2.3`).
  case invalidNumberSuffix(number: String, suffix: String)
  /// A number too large to represent (`1e999`).
  case numberOutOfRange(String)
  /// A duration with a minus sign (`-5s`).
  case negativeDuration(String)
  /// A line longer than ``ParserLimits/maxLineLength`` bytes.
  case lineTooLong(limit: Int)
  /// A token other than what the grammar allows here.
  case unexpectedToken(found: Token.Kind, expected: Expectation)
  /// A `]` or `}` with nothing open to close.
  case unmatchedClosing(Token.Kind)
  /// A `]` closing a `{` or a `}` closing a `[`.
  case mismatchedClosing(found: Token.Kind, opener: SourceRange)
  /// End of input inside a list (the REPL asks for more input).
  case unterminatedList(opener: SourceRange)
  /// End of input inside a block (the REPL asks for more input).
  case unterminatedBlock(opener: SourceRange)
  /// Lists and blocks nested deeper than ``ParserLimits/maxNesting``.
  case nestingTooDeep(limit: Int)
  /// ``ParserLimits/maxErrors`` errors were reported; parsing stopped here.
  case tooManyErrors(limit: Int)
}

/// One lexical or syntax error: what and where.
public struct ParseError: Error, Sendable, Hashable {
  /// What went wrong.
  public var kind: ParseErrorKind
  /// Where it went wrong.
  public var range: SourceRange

  /// Creates an error.
  public init(_ kind: ParseErrorKind, at range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// True when the input merely stopped too early (open string, `[` or `{`): a REPL should show a
  /// continuation prompt and read more rather than report it.
  public var isIncompleteInput: Bool {
    switch kind {
    case .unterminatedString, .unterminatedList, .unterminatedBlock: return true
    default: return false
    }
  }
}

/// Every error found in one statement (at least one). Thrown by ``Parser/nextStatement()``, after
/// which the parser stands at the next statement, ready to continue.
public struct ParseFailure: Error, Sendable, Hashable {
  /// The errors, in source order of discovery.
  public var errors: [ParseError]

  /// Creates a failure.
  public init(errors: [ParseError]) {
    self.errors = errors
  }
}
