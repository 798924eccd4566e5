/// A pull parser: yields one statement at a time (``nextStatement()``), so a REPL or a script runner
/// can feed it and act between statements.
///
/// Peeks by copying the ``Lexer`` (a value type). A statement with any error is never returned in
/// part: ``nextStatement()`` throws every error found in it, after moving to the next statement
/// boundary (a newline or `;` outside brackets; inside a block, the next body statement, so errors in
/// several body statements are all reported).
///
/// Grammar (`NL` is a newline; separators are `NL` or `;`):
/// ```
/// script     := sep* (statement (sep+ statement)*)? sep* EOF
/// statement  := for | repeat | assignment | command
/// assignment := IDENT '=' command
/// command    := IDENT expr*
/// for        := 'for' IDENT 'in' expr block
/// repeat     := 'repeat' expr block
/// block      := '{' sep* (statement (sep+ statement)*)? sep* '}'
/// expr       := NUMBER | STRING | DURATION | BOOL | IDENT | list
/// list       := '[' NL* (expr NL* (',' NL* expr NL*)* ','? NL*)? ']'
/// ```
/// A statement ends at a separator, at a `}` closing its block, or at end of input.
public struct Parser: Sendable {
  /// A `[` or `{` that is still open, for nesting limits, recovery and "to match this" notes.
  struct OpenDelimiter: Sendable, Hashable {
    var isBrace: Bool
    var range: SourceRange
  }

  struct Lookahead: Sendable {
    var token: Token
    var after: Lexer
  }

  var lexer: Lexer
  var lookahead: Lookahead?
  let limits: ParserLimits
  /// `[` and `{` opened since the current top-level statement began.
  var open: [OpenDelimiter] = []
  /// Errors recorded in the current top-level statement.
  var errors: [ParseError] = []

  /// Creates a parser over `file`.
  public init(_ file: SourceFile, limits: ParserLimits = .default) {
    lexer = Lexer(bytes: file.bytes, limits: limits)
    self.limits = limits
  }

  /// Returns the next statement, or `nil` at the end of input.
  ///
  /// - Throws: ``ParseFailure`` with every error in the statement; the parser has then moved past
  ///   it, and the next call continues with the following statement.
  public mutating func nextStatement() throws(ParseFailure) -> Statement? {
    errors = []
    open = []
    do {
      while true {
        let token = try peek()
        if token.kind == .endOfInput { return nil }
        guard token.kind.isSeparator else { break }
        advance()
      }
      let statement = try parseStatement()
      try expectStatementEnd(after: statement)
      if errors.isEmpty { return statement }
    } catch {
      record(error)
    }
    recover(toDepth: 0)
    throw ParseFailure(errors: errors)
  }

  // MARK: Token access

  /// The next token, without consuming it. A lexical error consumes the bad bytes and is thrown.
  mutating func peek() throws(ParseError) -> Token {
    if let lookahead { return lookahead.token }
    var copy = lexer
    do {
      let token = try copy.next()
      lookahead = Lookahead(token: token, after: copy)
      return token
    } catch {
      lexer = copy
      throw error
    }
  }

  /// Consumes the token returned by the last ``peek()``.
  mutating func advance() {
    guard let lookahead else { preconditionFailure("advance() without peek()") }
    lexer = lookahead.after
    self.lookahead = nil
  }

  /// Consumes newlines (inside lists).
  mutating func skipNewlines() throws(ParseError) {
    while try peek().kind == .newline { advance() }
  }

  /// Records an error once (a failed block rethrows the error recorded last).
  mutating func record(_ error: ParseError) {
    if errors.last != error { errors.append(error) }
  }

  /// Opens a `[` or `{`, enforcing the nesting limit (the delimiter is pushed either way, so recovery
  /// stays balanced).
  mutating func push(_ token: Token) throws(ParseError) {
    open.append(OpenDelimiter(isBrace: token.kind == .leftBrace, range: token.range))
    if open.count > limits.maxNesting {
      throw ParseError(.nestingTooDeep(limit: limits.maxNesting), at: token.range)
    }
  }

  /// The error for `token` where `expected` was wanted, specialised for end of input inside an open
  /// list or block and for closing brackets that close nothing or the wrong thing.
  func unexpected(_ token: Token, _ expected: Expectation) -> ParseError {
    switch token.kind {
    case .endOfInput:
      if let innermost = open.last {
        return ParseError(
          innermost.isBrace
            ? .unterminatedBlock(opener: innermost.range)
            : .unterminatedList(opener: innermost.range),
          at: token.range)
      }
    case .rightBracket, .rightBrace:
      guard let innermost = open.last else {
        return ParseError(.unmatchedClosing(token.kind), at: token.range)
      }
      if innermost.isBrace != (token.kind == .rightBrace) {
        return ParseError(
          .mismatchedClosing(found: token.kind, opener: innermost.range), at: token.range)
      }
    default:
      break
    }
    return ParseError(.unexpectedToken(found: token.kind, expected: expected), at: token.range)
  }
}
