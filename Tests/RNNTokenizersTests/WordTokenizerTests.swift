import XCTest

@testable import RNNTokenizers

final class WordTokenizerTests: XCTestCase {
  func testWordsNumbersPunctuationAndWhitespaceRunsAreTokens() throws {
    let text = "the cat, the hat: 42 and 42\n\nthe end"
    let t = WordTokenizer(training: text)
    let pieces = try t.encode(text).map { String(decoding: t.pieceBytes($0), as: UTF8.self) }
    XCTAssertEqual(
      pieces, ["the", " ", "cat", ",", " ", "the", " ", "hat", ":", " ", "42", " ", "and", " ", "42", "\n\n", "the", " ", "end"])
    XCTAssertEqual(t.words.first, "the")  // the most frequent word has the first word id
  }

  func testRareWordsAreSpelledWithCharactersNeverUnknown() throws {
    let t = WordTokenizer(training: "to be or not to be", minCount: 2)
    XCTAssertEqual(Set(t.words), ["to", "be"])
    let ids = try t.encode("not to bet")
    XCTAssertEqual(t.decode(ids), "not to bet")
    let spelled = ids.map { String(decoding: t.pieceBytes($0), as: UTF8.self) }
    XCTAssertEqual(spelled, ["n", "o", "t", " ", "to", " ", "b", "e", "t"])
  }

  func testCharactersNeverSeenAreListedOnce() {
    let t = WordTokenizer(training: "abc")
    XCTAssertThrowsError(try t.encode("abzqz")) { error in
      XCTAssertEqual(error as? TokenizerError, .unknownCharacters(["z", "q"]))
    }
  }

  func testMaxWordsKeepsTheMostFrequent() {
    let t = WordTokenizer(training: "aa aa aa bb bb cc", maxWords: 2)
    XCTAssertEqual(t.words, ["aa", "bb"])
  }
}
