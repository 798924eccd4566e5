import XCTest

@testable import SafeTensors

final class JSONParserTests: XCTestCase {
  private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

  private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONParser.Failure? {
    do {
      let value = try parse(text)
      XCTFail("parsed \(text) as \(value)", file: file, line: line)
      return nil
    } catch {
      return error
    }
  }

  /// Each text must fail with exactly this syntax error at this byte offset.
  private func assertFailures(_ cases: [(String, Int, String)], file: StaticString = #filePath, line: UInt = #line) {
    for (text, offset, message) in cases {
      XCTAssertEqual(
        failure(text, file: file, line: line), JSONParser.Failure(kind: .syntax(message), offset: offset),
        text.debugDescription, file: file, line: line)
    }
  }

  func testValues() throws {
    XCTAssertEqual(
      try parse(" [true, false, null, \"s\", {}, []] \n"),
      .array([.bool(true), .bool(false), .null, .string("s"), .object([]), .array([])]))
    XCTAssertEqual(
      try parse("{\"a\":1,\"b\":[2]}"),
      .object([
        JSONMember(key: "a", value: .number(JSONNumber(text: "1", isPlainInteger: true, unsignedValue: 1)), offset: 1),
        JSONMember(key: "b", value: .array([.number(JSONNumber(text: "2", isPlainInteger: true, unsignedValue: 2))]), offset: 7),
      ]))
  }

  func testNumbers() throws {
    func number(_ text: String) throws -> JSONNumber {
      guard case .number(let n) = try parse(text) else { throw XCTSkip("not a number") }
      return n
    }
    XCTAssertEqual(try number("0").unsignedValue, 0)
    XCTAssertEqual(try number("18446744073709551615").unsignedValue, .max)
    XCTAssertEqual(try number("18446744073709551616").unsignedValue, nil)
    XCTAssertTrue(try number("18446744073709551616").isPlainInteger)
    for text in ["-1", "1.5", "1e3", "1E+3", "-0.0e-0"] {
      XCTAssertEqual(try number(text), JSONNumber(text: text, isPlainInteger: false, unsignedValue: nil), text)
    }
    assertFailures([
      ("01", 1, "leading zero in number"),
      ("-", 1, "expected a digit in number"),
      ("1.", 2, "expected a digit after '.' in number"),
      (".5", 0, "unexpected '.', expected a value"),
      ("1e", 2, "expected a digit in exponent"),
      ("+1", 0, "unexpected '+', expected a value"),
      ("NaN", 0, "unexpected 'N', expected a value"),
      ("Infinity", 0, "unexpected 'I', expected a value"),
      ("-Infinity", 1, "expected a digit in number"),
      ("0x10", 1, "unexpected 'x' after the end of the JSON value"),
      ("1_000", 1, "unexpected '_' after the end of the JSON value"),
    ])
  }

  func testStrings() throws {
    XCTAssertEqual(try parse(#""\"\\\/\b\f\n\r\t""#), .string("\"\\/\u{8}\u{C}\n\r\t"))
    XCTAssertEqual(try parse(#""\u00e9\u20AC\ud83d\ude00""#), .string("é€😀"))
    XCTAssertEqual(try parse("\"ünï 🎉\""), .string("ünï 🎉"))
    XCTAssertEqual(try parse(#""\u0000""#), .string("\u{0}"))
    assertFailures([
      (#""\ud83d""#, 7, #"unpaired UTF-16 high surrogate in \u escape"#),
      (#""\ude00""#, 7, #"unpaired UTF-16 low surrogate in \u escape"#),
      (#""\ud83d\u0041""#, 13, #"invalid UTF-16 low surrogate in \u escape"#),
      (#""\x""#, 2, #"invalid escape '\x' in string"#),
      (#""\u12G4""#, 5, #"invalid hex digit in \u escape"#),
      (#""\u12""#, 3, #"truncated \u escape"#),
      ("\"a\nb\"", 2, "raw control character 0xa in string"),
      ("\"open", 5, "unterminated string"),
      ("\"\\", 2, "unterminated string"),
    ])
  }

  func testStructureErrors() {
    assertFailures([
      ("", 0, "unexpected end of header, expected a value"),
      ("{", 1, "expected a string key, found end of header"),
      ("[", 1, "unexpected end of header, expected a value"),
      ("{\"a\"}", 4, "expected ':' after object key, found '}'"),
      ("{\"a\":}", 5, "unexpected '}', expected a value"),
      ("{a:1}", 1, "expected a string key, found 'a'"),
      ("[1,]", 3, "unexpected ']', expected a value"),
      ("{\"a\":1,}", 7, "expected a string key, found '}'"),
      ("[1 2]", 3, "expected ',' or ']' in array, found '2'"),
      ("{} {}", 3, "unexpected '{' after the end of the JSON value"),
      ("tru", 0, "invalid literal, expected 'true'"),
      ("nul", 0, "invalid literal, expected 'null'"),
      ("{'a':1}", 1, "expected a string key, found '''"),
      ("\u{FEFF}{}", 0, "unexpected byte 0xEF, expected a value"),
    ])
    XCTAssertEqual(failure("{\"k\":1,\"k\":2}"), JSONParser.Failure(kind: .duplicateKey("k"), offset: 7))
  }

  func testDepthLimit() throws {
    let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
    XCTAssertNoThrow(try parse(ok))
    let deep = "[" + ok + "]"
    XCTAssertEqual(failure(deep)?.kind, .tooDeep(limit: JSONParser.maxDepth))
    // A million open brackets: rejected at the limit, no deep recursion.
    XCTAssertEqual(failure(String(repeating: "[", count: 1_000_000))?.kind, .tooDeep(limit: JSONParser.maxDepth))
  }

  /// The header's UTF-8 check (the shared `StrictUTF8`): the offset `headerNotUTF8` reports, or
  /// nil when the header got past it.
  func testHeaderUTF8Validation() {
    func check(_ bytes: [UInt8]) -> Int? {
      do {
        _ = try HeaderLayout.parse(header: bytes, bufferSize: 0)
      } catch {
        if case .headerNotUTF8(let offset) = error { return offset }
      }
      return nil
    }
    XCTAssertNil(check(Array("aé€😀".utf8)))
    XCTAssertNil(check([0xF4, 0x8F, 0xBF, 0xBF]))  // U+10FFFF
    XCTAssertEqual(check([0x61, 0x80]), 1)  // stray continuation
    XCTAssertEqual(check([0xC0, 0xAF]), 0)  // overlong
    XCTAssertEqual(check([0xE0, 0x9F, 0xBF]), 0)  // overlong 3-byte
    XCTAssertEqual(check([0xED, 0xA0, 0x80]), 0)  // surrogate
    XCTAssertEqual(check([0xF4, 0x90, 0x80, 0x80]), 0)  // > U+10FFFF
    XCTAssertEqual(check([0x61, 0xE2, 0x82]), 1)  // truncated
    XCTAssertEqual(check([0xFF]), 0)
  }

  func testWriterEscapesRoundTrip() throws {
    var writer = JSONWriter()
    let tricky = "q\"b\\s/\u{0}\u{1F}\n\t\u{7F}é😀"
    writer.stringMap([tricky: tricky, "": ""])
    XCTAssertEqual(
      try JSONParser.parse(writer.bytes),
      .object([
        JSONMember(key: "", value: .string(""), offset: 1),
        JSONMember(key: tricky, value: .string(tricky), offset: 7),
      ]))
  }
}
