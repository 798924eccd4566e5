/// A small, hardened JSON parser (RFC 8259) for safetensors headers.
///
/// Hostile input can cost at most linear time and memory in the input length:
/// - nesting deeper than ``maxDepth`` is an error (recursion is bounded by it);
/// - duplicate keys in any object are an error (JSON leaves them undefined; we refuse to guess);
/// - `NaN`, `Infinity`, leading zeros, lone surrogates, raw control characters and trailing
///   garbage are errors; trailing JSON whitespace is accepted (writers pad headers with spaces).
/// The input must already be valid UTF-8 (see `StrictUTF8`); strings are decoded from it.
struct JSONParser {
  /// What went wrong and where (byte offset into the parsed text).
  struct Failure: Error, Equatable {
    enum Kind: Equatable {
      case syntax(String)
      case tooDeep(limit: Int)
      case duplicateKey(String)
    }
    var kind: Kind
    var offset: Int
  }

  /// Deepest allowed nesting of arrays/objects. A safetensors header needs 3.
  static let maxDepth = 16

  private let bytes: [UInt8]
  private var i = 0

  /// Parses one JSON value that must span all of `bytes` (up to trailing whitespace).
  static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.i == bytes.count else {
      throw Failure(kind: .syntax("unexpected \(parser.describeCurrent()) after the end of the JSON value"), offset: parser.i)
    }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  // MARK: Values

  private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
    guard i < bytes.count else { throw fail("unexpected end of header, expected a value") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    default: throw fail("unexpected \(describeCurrent()), expected a value")
    }
  }

  private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
    guard depth <= Self.maxDepth else { throw Failure(kind: .tooDeep(limit: Self.maxDepth), offset: i) }
    i += 1  // '{'
    var members: [JSONMember] = []
    var seen: Set<String> = []
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
        throw fail("expected a string key, found \(describeCurrent())")
      }
      let keyOffset = i
      let key = try parseString()
      guard seen.insert(key).inserted else { throw Failure(kind: .duplicateKey(key), offset: keyOffset) }
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "':' after object key")
      skipWhitespace()
      let value = try parseValue(depth: depth)
      members.append(JSONMember(key: key, value: value, offset: keyOffset))
      skipWhitespace()
      guard i < bytes.count else { throw fail("unexpected end of header inside an object") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
      throw fail("expected ',' or '}' in object, found \(describeCurrent())")
    }
  }

  private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
    guard depth <= Self.maxDepth else { throw Failure(kind: .tooDeep(limit: Self.maxDepth), offset: i) }
    i += 1  // '['
    var elements: [JSONValue] = []
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth))
      skipWhitespace()
      guard i < bytes.count else { throw fail("unexpected end of header inside an array") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
      throw fail("expected ',' or ']' in array, found \(describeCurrent())")
    }
  }

  // MARK: Scalars

  /// A string at its opening quote; leaves `i` after the closing one. Strings without escapes
  /// (all of a safetensors header's, in practice) are decoded straight from the input.
  private mutating func parseString() throws(Failure) -> String {
    i += 1  // opening quote
    let start = i
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        defer { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
      }
      if b == UInt8(ascii: "\\") { break }
      guard b >= 0x20 else { throw fail("raw control character 0x\(String(b, radix: 16)) in string") }
      i += 1
    }
    return try parseEscapedString(prefix: bytes[start..<i])
  }

  /// The rest of a string from its first backslash (or its end), `prefix` being the bytes read
  /// before it.
  private mutating func parseEscapedString(prefix: ArraySlice<UInt8>) throws(Failure) -> String {
    var buffer = Array(prefix)
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return String(decoding: buffer, as: UTF8.self)
      }
      guard b >= 0x20 else { throw fail("raw control character 0x\(String(b, radix: 16)) in string") }
      guard b == UInt8(ascii: "\\") else {
        buffer.append(b)
        i += 1
        continue
      }
      i += 1
      guard i < bytes.count else { break }
      try parseEscape(into: &buffer)
    }
    throw fail("unterminated string")
  }

  /// One escape after its backslash (`\n`, `\u00e9`, a surrogate pair `\ud83d\ude00`, …),
  /// appending its UTF-8 bytes to `buffer`.
  private mutating func parseEscape(into buffer: inout [UInt8]) throws(Failure) {
    let e = bytes[i]
    i += 1
    switch e {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
    case UInt8(ascii: "b"): buffer.append(0x08)
    case UInt8(ascii: "f"): buffer.append(0x0C)
    case UInt8(ascii: "n"): buffer.append(0x0A)
    case UInt8(ascii: "r"): buffer.append(0x0D)
    case UInt8(ascii: "t"): buffer.append(0x09)
    case UInt8(ascii: "u"):
      let scalar = try parseUnicodeEscape()
      buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
    default:
      i -= 1
      throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
    }
  }

  /// The scalar of a `\uXXXX` escape after its `\u`, joining a UTF-16 surrogate pair
  /// (`\uD83D\uDE00`); a lone surrogate is an error.
  private mutating func parseUnicodeEscape() throws(Failure) -> Unicode.Scalar {
    var scalar = UInt32(try parseHex4())
    if (0xD800...0xDBFF).contains(scalar) {
      guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
        throw fail("unpaired UTF-16 high surrogate in \\u escape")
      }
      i += 2
      let low = UInt32(try parseHex4())
      guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid UTF-16 low surrogate in \\u escape") }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00...0xDFFF).contains(scalar) {
      throw fail("unpaired UTF-16 low surrogate in \\u escape")
    }
    // Valid by construction: not a surrogate and at most 0x10FFFF.
    return Unicode.Scalar(scalar)!
  }

  private mutating func parseHex4() throws(Failure) -> UInt16 {
    guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let b = bytes[i]
      let digit: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
      default: throw fail("invalid hex digit in \\u escape")
      }
      value = value << 4 | UInt16(digit)
      i += 1
    }
    return value
  }

  private mutating func parseNumber() throws(Failure) -> JSONNumber {
    let start = i
    var plain = true
    if bytes[i] == UInt8(ascii: "-") { plain = false; i += 1 }
    guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit in number") }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
      if i < bytes.count, isDigit(bytes[i]) { throw fail("leading zero in number") }
    } else {
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      plain = false
      i += 1
      guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit after '.' in number") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      plain = false
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit in exponent") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    let digits = bytes[start..<i]
    var value: UInt64? = nil
    if plain {
      var v: UInt64 = 0
      var overflow = false
      for d in digits {
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt64(d - UInt8(ascii: "0")))
        if o1 || o2 { overflow = true; break }
        v = s
      }
      value = overflow ? nil : v
    }
    return JSONNumber(text: String(decoding: digits, as: UTF8.self), isPlainInteger: plain, unsignedValue: value)
  }

  // MARK: Helpers

  private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  private mutating func skipWhitespace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
    guard i < bytes.count, bytes[i] == byte else { throw fail("expected \(what), found \(describeCurrent())") }
    i += 1
  }

  private mutating func expectLiteral(_ word: String) throws(Failure) {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, bytes[i..<i + w.count].elementsEqual(w) else {
      throw fail("invalid literal, expected '\(word)'")
    }
    i += w.count
  }

  private func fail(_ message: String) -> Failure { Failure(kind: .syntax(message), offset: i) }

  /// "end of header", "'x'", or "byte 0xNN" for the byte at the cursor.
  private func describeCurrent() -> String {
    guard i < bytes.count else { return "end of header" }
    let b = bytes[i]
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x\(String(b, radix: 16, uppercase: true))"
  }
}
