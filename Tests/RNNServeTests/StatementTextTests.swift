import RNNLanguage
import XCTest

@testable import RNNServe

final class StatementTextTests: XCTestCase {
  /// Any text becomes one string literal that the lexer reads back unchanged: a request cannot add
  /// a statement of its own.
  func testQuotedTextParsesBackToItself() {
    let samples = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r\0", "\u{1}\u{7f}é🙂", "\"; drop m; \"", "}{]["]
    for text in samples {
      var st = StatementText("sample")
      st.append("m", field: "name")
      st.append("prime", field: "prime")
      st.append(StatementText.quoted(text), field: "prime")
      let parsed = Parser.parseAll(SourceFile(name: "t", text: st.text))
      XCTAssertEqual(parsed.errors.count, 0, st.text)
      XCTAssertEqual(parsed.statements.count, 1, st.text)
    }
  }

  func testFieldAtRangeNamesTheField() {
    var st = StatementText("sample")
    st.append("m", field: "name")
    try? st.option("length", .number(20), field: "length")
    try? st.option("temperature", .number(0.5), field: "temperature")
    XCTAssertEqual(st.text, "sample m length 20 temperature 0.5")
    let start = st.text.utf8.count - 3
    XCTAssertEqual(st.field(at: SourceRange(start: start, end: start + 3)), "temperature")
    XCTAssertEqual(st.field(at: SourceRange(start: 7, end: 8)), "name")
  }

  func testIdentifiers() {
    XCTAssertTrue(StatementText.isIdentifier("m_2"))
    for bad in ["", "2m", "a b", "a;b", "é", "a\"", String(repeating: "a", count: 65)] {
      XCTAssertFalse(StatementText.isIdentifier(bad), bad)
    }
  }
}
