import RNNLanguage
import XCTest

/// Error positions are marked inside the source with 1️⃣ 2️⃣ …; rendered output is checked exactly.
final class DiagnosticTests: XCTestCase {
  func testUnexpectedCharacterRendersCaret() {
    assertDiagnostics(
      "train m steps 1️⃣$ 3\n", [("1️⃣", "unexpected character '$'")],
      rendered: """
        test.rnn:1:15: error: unexpected character '$'
        train m steps $ 3
                      ^

        """)
  }

  func testRangeIsUnderlinedWithTildes() {
    assertDiagnostics(
      "sample m 1️⃣300x\n", [("1️⃣", "invalid suffix 'x' on number '300'")],
      rendered: """
        test.rnn:1:10: error: invalid suffix 'x' on number '300'
        sample m 300x
                 ^~~~
        note: durations use the units ms, s, m and h, as in '30s' or '1.5h'

        """)
  }

  func testUnclosedListPointsAtEndAndNotesOpener() {
    assertDiagnostics(
      "x = list [1, 2\n\n1️⃣", [("1️⃣", "expected ']' to close the list")],
      rendered: """
        test.rnn:3:1: error: expected ']' to close the list

        ^
        test.rnn:1:10: note: to match this '['
        x = list [1, 2
                 ^

        """)
  }

  func testUnclosedBlock() {
    assertDiagnostics(
      "repeat 2 {\n  help\n1️⃣", [("1️⃣", "expected '}' to close the block")],
      rendered: """
        test.rnn:3:1: error: expected '}' to close the block

        ^
        test.rnn:1:10: note: to match this '{'
        repeat 2 {
                 ^

        """)
  }

  func testUnterminatedStringPointsAtOpeningQuote() {
    assertDiagnostics(
      "sample m prime 1️⃣\"ROMEO:\n", [("1️⃣", "unterminated string literal")],
      rendered: """
        test.rnn:1:16: error: unterminated string literal
        sample m prime "ROMEO:
                       ^

        """)
  }

  func testEveryErrorInAFileIsReported() {
    assertDiagnostics(
      """
      train m 1️⃣= 3
      sample m 10
      m = 2️⃣[1]
      eval m 3️⃣}
      repeat 2 { help 4️⃣( ; save m "5️⃣\\q" }
      for 6️⃣7 in [1] { help }
      """,
      [
        ("1️⃣", "expected an argument or the end of the statement, found '='"),
        ("2️⃣", "expected a command name after '=', found '['"),
        ("3️⃣", "unmatched '}'"),
        ("4️⃣", "unexpected character '('"),
        ("5️⃣", "invalid escape sequence '\\q' in string"),
        ("6️⃣", "expected a loop variable name after 'for', found number '7'"),
      ])
  }

  func testMismatchedClosingBracket() {
    assertDiagnostics(
      "x = list [1, 2 1️⃣}\n", [("1️⃣", "expected ']', found '}'")],
      rendered: """
        test.rnn:1:16: error: expected ']', found '}'
        x = list [1, 2 }
                       ^
        test.rnn:1:10: note: to match this '['
        x = list [1, 2 }
                 ^

        """)
  }

  func testColumnsCountScalarsAndTabsStayAligned() {
    assertDiagnostics(
      "\tsample m \"é☃\" 1️⃣%\n", [("1️⃣", "unexpected character '%'")],
      rendered: "test.rnn:1:16: error: unexpected character '%'\n\tsample m \"é☃\" %\n\t"
        + String(repeating: " ", count: 14) + "^\n")
  }

  func testInvalidUTF8AndNULAreReportedNotCrashing() {
    let bytes: [UInt8] = Array("help ".utf8) + [0xFF] + Array(" x\nhelp \0\n".utf8)
    let file = SourceFile(name: "bin.rnn", bytes: bytes)
    let result = Parser.parseAll(file)
    XCTAssertEqual(result.errors.map(\.kind), [.invalidUTF8(0xFF), .unexpectedCharacter("\0")])
    XCTAssertEqual(
      DiagnosticRenderer(file: file).render(result.diagnostics),
      """
      bin.rnn:1:6: error: invalid UTF-8 byte 0xFF
      help \u{FFFD} x
           ^
      bin.rnn:2:6: error: unexpected character U+0000
      help \u{FFFD}
           ^

      """)
  }

  func testSuggestionIsAppendedToTheMessage() {
    let file = SourceFile(name: "train.rnn", text: "m = lstm c\n\ntrain m steps 5 sed 7\n")
    let diagnostic = Diagnostic(
      .error, "unknown option 'sed' for 'train'", at: SourceRange(start: 28, end: 31),
      suggestion: Suggestions.didYouMean("sed", among: ["steps", "seq", "seed", "lr"]))
    XCTAssertEqual(
      DiagnosticRenderer(file: file).render(diagnostic),
      """
      train.rnn:3:17: error: unknown option 'sed' for 'train' (did you mean 'seed'?)
      train m steps 5 sed 7
                      ^~~

      """)
  }

  func testMultiLineRangeIsUnderlinedToEndOfFirstLine() {
    let file = SourceFile(name: "f.rnn", text: "x = [1,\n 2]\n")
    let diagnostic = Diagnostic(.warning, "long list", at: SourceRange(start: 4, end: 11))
    XCTAssertEqual(
      DiagnosticRenderer(file: file).render(diagnostic),
      "f.rnn:1:5: warning: long list\nx = [1,\n    ^~~\n")
  }
}
