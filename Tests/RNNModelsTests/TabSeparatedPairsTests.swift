@testable import RNNModels
import XCTest

/// The shared `first<TAB>second` reader: what it keeps and skips, and that every failure names
/// `file:line`; and that `ClassificationData` (which reads through it) says what it said before.
final class TabSeparatedPairsTests: XCTestCase {
  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch { return "\(error)" }
  }

  func testPairsCarryLineNumbersAndFieldsAsWritten() throws {
    let text = "# comment\n a b \tx\ty\n\n \t \r\nthe 3rd of March, 1997\t1997-03-03\r\n"
    let pairs = try TabSeparatedPairs(text: text, source: "p.tsv", layout: .sourceTarget).pairs
    XCTAssertEqual(
      pairs,
      [
        .init(line: 2, first: " a b ", second: "x\ty"),
        .init(line: 5, first: "the 3rd of March, 1997", second: "1997-03-03"),
      ])
    let labelled = try TabSeparatedPairs(text: text, source: "p.tsv", layout: .labelText).pairs
    XCTAssertEqual(labelled.map(\.first), ["a b", "the 3rd of March, 1997"])
  }

  func testMissingTabNamesTheLineAndTheLayout() {
    let text = "a\tb\nno tab here\n"
    XCTAssertEqual(
      message { _ = try TabSeparatedPairs(text: text, source: "p.tsv", layout: .sourceTarget) },
      "p.tsv:2: expected 'source<TAB>target', found no tab")
    XCTAssertEqual(
      message { _ = try TabSeparatedPairs(text: text, source: "w.tsv", layout: .labelText) },
      "w.tsv:2: expected 'label<TAB>text', found no tab")
  }

  func testEmptyFieldsNameTheLineAndTheField() {
    let cases: [(String, TabSeparatedPairs.Layout, String)] = [
      ("a\tb\n\tb\n", .sourceTarget, "p.tsv:2: empty source"),
      ("a\t\n", .sourceTarget, "p.tsv:1: empty target"),
      ("x\ty\n  \ttext\n", .labelText, "p.tsv:2: empty label"),
      ("x\ty\nz\ty\nlabel\t\r\n", .labelText, "p.tsv:3: empty text"),
    ]
    for (text, layout, expected) in cases {
      XCTAssertEqual(message { _ = try TabSeparatedPairs(text: text, source: "p.tsv", layout: layout) }, expected)
    }
  }

  func testLineOverTheLimitNamesTheLine() throws {
    let limits = TabSeparatedPairs.Limits(lineLength: 8)
    let ok = try TabSeparatedPairs(text: "abc\tdéf\n", source: "p.tsv", layout: .sourceTarget, limits: limits)
    XCTAssertEqual(ok.count, 1)
    XCTAssertEqual(
      message {
        _ = try TabSeparatedPairs(text: "abc\tdéf\n# a long comment\n", source: "p.tsv", layout: .sourceTarget, limits: limits)
      },
      "p.tsv:2: the line is 16 characters long; the limit is 8")
  }

  func testTooManyPairsNamesTheFirstLineOver() throws {
    let limits = TabSeparatedPairs.Limits(pairs: 2)
    let text = "a\t1\n# skipped\nb\t2\n\nc\t3\n"
    XCTAssertEqual(
      message { _ = try TabSeparatedPairs(text: text, source: "p.tsv", layout: .sourceTarget, limits: limits) },
      "p.tsv:5: too many lines: at most 2 pairs are read")
    let two = try TabSeparatedPairs(text: text, source: "p.tsv", layout: .sourceTarget, limits: .init(pairs: 3))
    XCTAssertEqual(two.pairs.map(\.line), [1, 3, 5])
  }

  func testInvalidUTF8NamesTheLineAndOffset() throws {
    let bytes: [UInt8] = Array("a\tb\nc\td".utf8) + [0xC3, 0x28] + Array("\ne\tf\n".utf8)
    XCTAssertEqual(
      message { _ = try TabSeparatedPairs(bytes: bytes, source: "p.tsv", layout: .sourceTarget) },
      "p.tsv:2: not valid UTF-8 (first bad byte at offset 7); convert it to UTF-8 first, e.g. with iconv")
    let truncated: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\tb\n\n\nc\td".utf8) + [0xE2, 0x82]
    XCTAssertEqual(
      message { _ = try TabSeparatedPairs(bytes: truncated, source: "p.tsv", layout: .sourceTarget) },
      "p.tsv:4: not valid UTF-8 (first bad byte at offset 12); convert it to UTF-8 first, e.g. with iconv")
    let withMark = try TabSeparatedPairs(
      bytes: [0xEF, 0xBB, 0xBF] + Array("née\tborn\n".utf8), source: "p.tsv", layout: .sourceTarget)
    XCTAssertEqual(withMark.pairs, [.init(line: 1, first: "née", second: "born")])
  }

  /// The classifier's reader goes through the shared type; its messages are the ones it had.
  func testClassificationDataMessagesAreUnchanged() {
    XCTAssertEqual(
      message { _ = try ClassificationData(tsv: "pos\tok\npos good\n", source: "d.tsv") },
      "d.tsv:2: expected 'label<TAB>text', found no tab")
    XCTAssertEqual(message { _ = try ClassificationData(tsv: " \tgood\n", source: "d.tsv") }, "d.tsv:1: empty label")
    XCTAssertEqual(message { _ = try ClassificationData(tsv: "pos\t\n", source: "d.tsv") }, "d.tsv:1: empty text")
    XCTAssertEqual(message { _ = try ClassificationData(tsv: "# only\n\n", source: "d.tsv") }, "d.tsv has no examples")
  }
}
