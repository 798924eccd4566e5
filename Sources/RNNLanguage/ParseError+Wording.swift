extension Expectation {
  /// What was expected, in words.
  public var wording: String {
    switch self {
    case .statement: return "a command"
    case .commandName: return "a command name after '='"
    case .loopVariable: return "a loop variable name after 'for'"
    case .keywordIn: return "'in' after the loop variable"
    case .expression: return "a value"
    case .blockOpen: return "'{' to open the block"
    case .listSeparator: return "',' or ']' in list"
    case .argumentOrEnd: return "an argument or the end of the statement"
    case .endOfStatement: return "a new line or ';' after '}'"
    }
  }
}

extension ParseErrorKind {
  /// The one-line message, without location.
  public var message: String {
    switch self {
    case .unexpectedCharacter(let scalar): return "unexpected character \(Self.describe(scalar))"
    case .invalidUTF8(let byte): return "invalid UTF-8 byte \(Self.hex(byte))"
    case .unterminatedString: return "unterminated string literal"
    case .invalidEscape(let text): return "invalid escape sequence '\(text)' in string"
    case .invalidUnicodeEscape(let text): return "invalid Unicode escape '\(text)' in string"
    case .controlCharacterInString(let scalar):
      return "control character \(Self.describe(scalar)) in string literal"
    case .invalidUTF8InString(let byte):
      return "invalid UTF-8 byte \(Self.hex(byte)) in string literal"
    case .invalidNumberSuffix(let number, let suffix):
      return "invalid suffix '\(suffix)' on number '\(number)'"
    case .numberOutOfRange(let text): return "number '\(text)' is out of range"
    case .negativeDuration(let text): return "duration '\(text)' cannot be negative"
    case .lineTooLong(let limit): return "line is longer than \(limit) bytes"
    case .unexpectedToken(let found, let expected):
      return "expected \(expected.wording), found \(found.diagnosticDescription)"
    case .unmatchedClosing(let kind): return "unmatched \(kind.diagnosticDescription)"
    case .mismatchedClosing(let found, _):
      let wanted = found == .rightBracket ? "'}'" : "']'"
      return "expected \(wanted), found \(found.diagnosticDescription)"
    case .unterminatedList: return "expected ']' to close the list"
    case .unterminatedBlock: return "expected '}' to close the block"
    case .nestingTooDeep(let limit): return "lists and blocks are nested more than \(limit) deep"
    case .tooManyErrors(let limit): return "too many errors (\(limit)); stopping here"
    }
  }

  /// Notes attached to the diagnostic: the opener of an unclosed construct, hints.
  public var notes: [Diagnostic.Note] {
    switch self {
    case .unterminatedList(let opener), .mismatchedClosing(.rightBrace, let opener):
      return [Diagnostic.Note("to match this '['", at: opener)]
    case .unterminatedBlock(let opener), .mismatchedClosing(_, let opener):
      return [Diagnostic.Note("to match this '{'", at: opener)]
    case .invalidNumberSuffix(_, let suffix) where suffix.first?.isLetter == true:
      return [Diagnostic.Note("durations use the units ms, s, m and h, as in '30s' or '1.5h'")]
    case .invalidEscape:
      return [Diagnostic.Note("valid escapes are \\n \\t \\r \\0 \\\" \\\\ and \\u{…}")]
    case .unexpectedCharacter("'"): return [Diagnostic.Note("strings use double quotes")]
    case .lineTooLong: return [Diagnostic.Note("read long text from a file instead")]
    default: return []
    }
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
  }

  /// `'x'` for printable scalars, `U+0000` for control and invisible ones.
  static func describe(_ scalar: Unicode.Scalar) -> String {
    if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
      || scalar.properties.generalCategory == .format
    {
      var hex = String(scalar.value, radix: 16, uppercase: true)
      while hex.count < 4 { hex = "0" + hex }
      return "U+" + hex
    }
    return scalar == "'" ? "\"'\"" : "'\(scalar)'"
  }
}

extension ParseError {
  /// The error as a renderable diagnostic.
  public var diagnostic: Diagnostic {
    Diagnostic(.error, kind.message, at: range, notes: kind.notes)
  }
}
