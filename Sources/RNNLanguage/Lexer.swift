import StrictUTF8

/// Turns source bytes into tokens, one ``next()`` at a time.
///
/// A value type: the parser peeks by copying it. After an error the lexer has already moved past the
/// offending bytes, so lexing can resume. Statements are separated by newlines or `;`; `#` starts a
/// comment to the end of the line; spaces, tabs and `\r` are skipped.
public struct Lexer: Sendable {
  /// The source bytes.
  public let bytes: [UInt8]
  /// Offset of the next unread byte.
  public internal(set) var offset: Int = 0
  let maxLineLength: Int
  /// Offset where the current line starts; for the line-length limit.
  var lineStart = 0
  /// Whether the current line already produced a line-too-long error.
  var reportedLongLine = false

  /// Creates a lexer over `bytes`.
  public init(bytes: [UInt8], limits: ParserLimits = .default) {
    self.bytes = bytes
    maxLineLength = limits.maxLineLength
  }

  /// Returns the next token (`.endOfInput` forever once the bytes are used up).
  public mutating func next() throws(ParseError) -> Token {
    let token = try lexToken()
    if token.kind != .newline && token.range.end - lineStart > maxLineLength && !reportedLongLine {
      reportedLongLine = true
      throw ParseError(.lineTooLong(limit: maxLineLength), at: token.range)
    }
    return token
  }

  /// Starts a new line after the `\n` at `offset - 1`.
  mutating func startLine() {
    lineStart = offset
    reportedLongLine = false
  }

  private mutating func lexToken() throws(ParseError) -> Token {
    skipTrivia()
    let start = offset
    guard offset < bytes.count else {
      return Token(.endOfInput, SourceRange(start: start, end: start))
    }
    let byte = bytes[offset]
    func single(_ kind: Token.Kind) -> Token {
      offset += 1
      return Token(kind, SourceRange(start: start, end: offset))
    }
    switch byte {
    case UInt8(ascii: "\n"):
      let token = single(.newline)
      startLine()
      return token
    case UInt8(ascii: ";"): return single(.semicolon)
    case UInt8(ascii: "="): return single(.equals)
    case UInt8(ascii: "["): return single(.leftBracket)
    case UInt8(ascii: "]"): return single(.rightBracket)
    case UInt8(ascii: ","): return single(.comma)
    case UInt8(ascii: "{"): return single(.leftBrace)
    case UInt8(ascii: "}"): return single(.rightBrace)
    case UInt8(ascii: "\""): return try lexString()
    case _ where startsNumber():
      return try lexNumber()
    case _ where Self.isIdentifierStart(byte): return lexIdentifier()
    default: throw unexpectedCharacter()
    }
  }

  /// Skips spaces, tabs, carriage returns and comments (not the newline ending a comment).
  private mutating func skipTrivia() {
    while offset < bytes.count {
      switch bytes[offset] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        offset += 1
      case UInt8(ascii: "#"):
        while offset < bytes.count && bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
      default:
        return
      }
    }
  }

  private mutating func lexIdentifier() -> Token {
    let start = offset
    while offset < bytes.count && Self.isIdentifierContinue(bytes[offset]) { offset += 1 }
    let name = String(decoding: bytes[start..<offset], as: UTF8.self)
    let range = SourceRange(start: start, end: offset)
    switch name {
    case "true": return Token(.bool(true), range)
    case "false": return Token(.bool(false), range)
    default: return Token(.identifier(name), range)
    }
  }

  /// Consumes one unusable scalar (or one invalid byte) and describes it.
  private mutating func unexpectedCharacter() -> ParseError {
    let start = offset
    guard let (scalar, length) = StrictUTF8.scalar(bytes, at: offset) else {
      offset += 1
      return ParseError(.invalidUTF8(bytes[start]), at: SourceRange(start: start, end: offset))
    }
    offset += length
    return ParseError(.unexpectedCharacter(scalar), at: SourceRange(start: start, end: offset))
  }

  /// Whether a number starts here: a digit, or `-`/`.` followed by one, or `-.` and a digit.
  private func startsNumber() -> Bool {
    var i = offset
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    if i < bytes.count && bytes[i] == UInt8(ascii: ".") { i += 1 }
    return i < bytes.count && Self.isDigit(bytes[i])
  }

  /// The byte `distance` ahead of the current one, if any.
  func peekByte(_ distance: Int) -> UInt8? {
    offset + distance < bytes.count ? bytes[offset + distance] : nil
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  static func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
      || b == UInt8(ascii: "_")
  }

  static func isIdentifierContinue(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
}
