import RNNLanguage
import XCTest

final class LexerTests: XCTestCase {
  /// All token kinds of `text`, up to and excluding end of input; fails on a lexical error.
  func kinds(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [Token.Kind] {
    var lexer = Lexer(bytes: Array(text.utf8))
    var out: [Token.Kind] = []
    while true {
      do {
        let token = try lexer.next()
        if token.kind == .endOfInput { return out }
        out.append(token.kind)
      } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return out
      }
    }
  }

  /// The first lexical error in `text`.
  func firstError(_ text: String) -> ParseError? {
    var lexer = Lexer(bytes: Array(text.utf8))
    while true {
      do {
        if try lexer.next().kind == .endOfInput { return nil }
      } catch {
        return error
      }
    }
  }

  func number(_ text: String) -> Token.Kind? { kinds(text).first }

  func testPunctuationSeparatorsAndComments() {
    XCTAssertEqual(
      kinds("a = [b, c] { } ; # comment = [\n  d\r\n"),
      [
        .identifier("a"), .equals, .leftBracket, .identifier("b"), .comma, .identifier("c"),
        .rightBracket, .leftBrace, .rightBrace, .semicolon, .newline, .identifier("d"), .newline,
      ])
  }

  func testNumbers() {
    for (text, value) in [
      ("500", 500.0), ("2e-3", 0.002), ("0.9", 0.9), ("-1", -1), (".5", 0.5), ("-.5", -0.5),
      ("1E+2", 100),
    ] {
      XCTAssertEqual(number(text), .number(NumberLiteral(value: value, text: text)), text)
    }
    XCTAssertEqual(NumberLiteral(value: 500, text: "500").intValue, 500)
    XCTAssertNil(NumberLiteral(value: 0.5, text: "0.5").intValue)
    XCTAssertNil(NumberLiteral(value: 1e3, text: "1e3").intValue)
    XCTAssertNil(NumberLiteral(value: 1e30, text: "1000000000000000000000000000000").intValue)
  }

  func testDurationsAreSeconds() {
    for (text, seconds) in [
      ("30s", 30.0), ("2m", 120), ("1.5h", 5400), ("500ms", 0.5), ("1e1s", 10),
    ] {
      XCTAssertEqual(number(text), .duration(DurationLiteral(seconds: seconds, text: text)), text)
    }
  }

  func testNumberErrors() {
    XCTAssertEqual(firstError("5x")?.kind, .invalidNumberSuffix(number: "5", suffix: "x"))
    XCTAssertEqual(firstError("1.2.3")?.kind, .invalidNumberSuffix(number: "1.2", suffix: ".3"))
    XCTAssertEqual(firstError("2e")?.kind, .invalidNumberSuffix(number: "2", suffix: "e"))
    XCTAssertEqual(firstError("1e999")?.kind, .numberOutOfRange("1e999"))
    XCTAssertEqual(firstError("-5s")?.kind, .negativeDuration("-5s"))
    XCTAssertEqual(firstError("-x")?.kind, .unexpectedCharacter("-"))
    XCTAssertEqual(firstError(".")?.kind, .unexpectedCharacter("."))
  }

  func testStringsAndEscapes() {
    XCTAssertEqual(
      kinds(#""a\nb\t\"q\" \\ \u{41}\u{1F600} \r\0""#), [.string("a\nb\t\"q\" \\ A😀 \r\0")])
    XCTAssertEqual(kinds("\"two\nlines\" x"), [.string("two\nlines"), .identifier("x")])
    XCTAssertEqual(kinds("\"# not a comment\""), [.string("# not a comment")])
  }

  func testStringErrors() {
    XCTAssertEqual(firstError(#""a\qb""#)?.kind, .invalidEscape("\\q"))
    XCTAssertEqual(firstError(#""\u{D800}""#)?.kind, .invalidUnicodeEscape("\\u{D800}"))
    XCTAssertEqual(firstError(#""\u{}""#)?.kind, .invalidUnicodeEscape("\\u{}"))
    XCTAssertEqual(firstError(#""\u41""#)?.kind, .invalidUnicodeEscape("\\u"))
    XCTAssertEqual(firstError(#""\u{123456789}""#)?.kind, .invalidUnicodeEscape("\\u{123456789}"))
    XCTAssertEqual(firstError("\"abc")?.kind, .unterminatedString)
    XCTAssertEqual(firstError("\"abc\\")?.kind, .unterminatedString)
    XCTAssertEqual(firstError("\"a\u{7}b\"")?.kind, .controlCharacterInString("\u{7}"))
  }

  func testErrorsAdvancePastTheBadBytes() throws {
    var lexer = Lexer(bytes: Array("a $ \"x\\q\" b".utf8))
    XCTAssertEqual(try lexer.next().kind, .identifier("a"))
    XCTAssertThrowsError(try lexer.next()) {
      XCTAssertEqual($0 as? ParseError, ParseError(.unexpectedCharacter("$"), at: SourceRange(start: 2, end: 3)))
    }
    // The string is consumed to its closing quote; its first error is the escape.
    XCTAssertThrowsError(try lexer.next()) {
      XCTAssertEqual($0 as? ParseError, ParseError(.invalidEscape("\\q"), at: SourceRange(start: 6, end: 8)))
    }
    XCTAssertEqual(try lexer.next().kind, .identifier("b"))
    XCTAssertEqual(try lexer.next().kind, .endOfInput)
    XCTAssertEqual(try lexer.next().kind, .endOfInput)
  }

  func testInvalidUTF8() {
    var lexer = Lexer(bytes: [0x22, 0x61, 0xC3, 0x22, 0x20, 0xE2, 0x82])
    XCTAssertEqual(Self.error(&lexer)?.kind, .invalidUTF8InString(0xC3))
    XCTAssertEqual(Self.error(&lexer)?.kind, .invalidUTF8(0xE2))
    XCTAssertEqual(Self.error(&lexer)?.kind, .invalidUTF8(0x82))
    XCTAssertEqual(try? lexer.next().kind, .endOfInput)
  }

  func testTokenRangesAreByteOffsets() throws {
    var lexer = Lexer(bytes: Array("é = 1".utf8))
    XCTAssertEqual(Self.error(&lexer)?.range, SourceRange(start: 0, end: 2))
    XCTAssertEqual(try lexer.next().range, SourceRange(start: 3, end: 4))
    XCTAssertEqual(try lexer.next().range, SourceRange(start: 5, end: 6))
  }

  func testKeywordsAreIdentifiersButBoolsAreLiterals() {
    XCTAssertEqual(
      kinds("for in repeat true false set"),
      [
        .identifier("for"), .identifier("in"), .identifier("repeat"), .bool(true), .bool(false),
        .identifier("set"),
      ])
  }

  /// The error thrown by the next token, or `nil` if it lexes.
  static func error(_ lexer: inout Lexer) -> ParseError? {
    do {
      _ = try lexer.next()
      return nil
    } catch {
      return error
    }
  }
}
