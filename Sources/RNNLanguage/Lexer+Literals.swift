import StrictUTF8

/// The outcome of lexing one escape sequence.
enum EscapeResult {
  case success(Unicode.Scalar)
  case failure(ParseErrorKind)
}

extension Lexer {
  /// Lexes a number or a duration starting at `offset`:
  /// `-? (digits ('.' digits)? | '.' digits) ([eE] [+-]? digits)?`, optionally followed directly by a
  /// unit (`ms`, `s`, `m`, `h`). Any other letters, digits, `_` or `.` glued to it are an error.
  mutating func lexNumber() throws(ParseError) -> Token {
    let start = offset
    if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
    skipDigits()
    if peekByte(0) == UInt8(ascii: "."), let next = peekByte(1), Self.isDigit(next) {
      offset += 1
      skipDigits()
    }
    if let e = peekByte(0), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      var k = 1
      if let sign = peekByte(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { k = 2 }
      if let digit = peekByte(k), Self.isDigit(digit) {
        offset += k
        skipDigits()
      }
    }
    let numberEnd = offset
    while let b = peekByte(0), Self.isIdentifierContinue(b) || b == UInt8(ascii: ".") {
      offset += 1
    }
    let range = SourceRange(start: start, end: offset)
    let text = String(decoding: bytes[start..<numberEnd], as: UTF8.self)
    let suffix = String(decoding: bytes[numberEnd..<offset], as: UTF8.self)
    let fullText = text + suffix
    var normalized = text
    if normalized.hasPrefix(".") { normalized = "0" + normalized }
    if normalized.hasPrefix("-.") { normalized = "-0" + normalized.dropFirst() }
    guard let value = Double(normalized) else {
      throw ParseError(.invalidNumberSuffix(number: text, suffix: suffix), at: range)
    }
    guard value.isFinite else { throw ParseError(.numberOutOfRange(fullText), at: range) }
    if suffix.isEmpty { return Token(.number(NumberLiteral(value: value, text: text)), range) }
    guard let unit = DurationLiteral.units.first(where: { $0.suffix == suffix }) else {
      throw ParseError(.invalidNumberSuffix(number: text, suffix: suffix), at: range)
    }
    guard bytes[start] != UInt8(ascii: "-") else {
      throw ParseError(.negativeDuration(fullText), at: range)
    }
    let seconds = value * unit.seconds
    guard seconds.isFinite else { throw ParseError(.numberOutOfRange(fullText), at: range) }
    return Token(.duration(DurationLiteral(seconds: seconds, text: fullText)), range)
  }

  private mutating func skipDigits() {
    while let b = peekByte(0), Self.isDigit(b) { offset += 1 }
  }

  /// Lexes a string literal starting at the opening `"`. Strings may span lines. Escapes:
  /// `\n \t \r \0 \" \\ \u{1–8 hex digits}`. On an error inside the string the lexer still moves
  /// past the closing quote, then reports the first error.
  mutating func lexString() throws(ParseError) -> Token {
    let start = offset
    offset += 1
    var decoded: [UInt8] = []
    var firstError: ParseError?
    func record(_ kind: ParseErrorKind, _ from: Int, _ to: Int) {
      if firstError == nil { firstError = ParseError(kind, at: SourceRange(start: from, end: to)) }
    }
    while true {
      guard offset < bytes.count else {
        throw ParseError(.unterminatedString, at: SourceRange(start: start, end: start + 1))
      }
      let b = bytes[offset]
      switch b {
      case UInt8(ascii: "\""):
        offset += 1
        if let firstError { throw firstError }
        let range = SourceRange(start: start, end: offset)
        return Token(.string(String(decoding: decoded, as: UTF8.self)), range)
      case UInt8(ascii: "\\"):
        let escapeStart = offset
        switch lexEscape() {
        case .success(let scalar): decoded.append(contentsOf: Array(String(scalar).utf8))
        case .failure(let kind): record(kind, escapeStart, offset)
        }
      case UInt8(ascii: "\n"):
        decoded.append(b)
        offset += 1
        startLine()
      case UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        decoded.append(b)
        offset += 1
      case 0..<0x20, 0x7F:
        record(.controlCharacterInString(Unicode.Scalar(b)), offset, offset + 1)
        offset += 1
      case 0x80...:
        if let length = StrictUTF8.scalar(bytes, at: offset)?.length {
          decoded.append(contentsOf: bytes[offset..<offset + length])
          offset += length
        } else {
          record(.invalidUTF8InString(b), offset, offset + 1)
          offset += 1
        }
      default:
        decoded.append(b)
        offset += 1
      }
    }
  }

  /// Lexes one escape at a backslash, leaving `offset` after what it consumed. A backslash at the end
  /// of input consumes only itself (the caller then reports the unterminated string).
  private mutating func lexEscape() -> EscapeResult {
    let start = offset
    offset += 1
    guard let b = peekByte(0) else { return .failure(.invalidEscape("\\")) }
    if let scalar = Self.simpleEscapes[b] {
      offset += 1
      return .success(scalar)
    }
    switch b {
    case UInt8(ascii: "u"): return lexUnicodeEscape(start: start)
    default:
      // Quote the escaped scalar (not a lone byte) in the message; never consume a newline or quote.
      let length = StrictUTF8.scalar(bytes, at: offset)?.length ?? 1
      if b != UInt8(ascii: "\n") { offset += length }
      return .failure(.invalidEscape(String(decoding: bytes[start..<offset], as: UTF8.self)))
    }
  }

  /// The one-character escapes and what they stand for.
  static let simpleEscapes: [UInt8: Unicode.Scalar] = [
    UInt8(ascii: "n"): "\n", UInt8(ascii: "t"): "\t", UInt8(ascii: "r"): "\r",
    UInt8(ascii: "0"): "\0",
    UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\",
  ]

  /// `\u{…}` with 1–8 hex digits naming a valid scalar.
  private mutating func lexUnicodeEscape(start: Int) -> EscapeResult {
    offset += 1  // u
    func failure() -> EscapeResult {
      .failure(.invalidUnicodeEscape(String(decoding: bytes[start..<offset], as: UTF8.self)))
    }
    guard peekByte(0) == UInt8(ascii: "{") else { return failure() }
    offset += 1
    var value: UInt32 = 0
    var digits = 0
    while let b = peekByte(0), let digit = Self.hexValue(b) {
      offset += 1
      digits += 1
      if digits <= 8 { value = value << 4 | digit }
    }
    guard peekByte(0) == UInt8(ascii: "}") else { return failure() }
    offset += 1
    guard (1...8).contains(digits), let scalar = Unicode.Scalar(value) else { return failure() }
    return .success(scalar)
  }

  private static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }
}
