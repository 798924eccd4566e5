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

/// `extended(with:)`: a word tokenizer carried to a new text keeps every id and appends what it
/// lacks, in the order given; the serialised form holds the appended tokens.
final class WordTokenizerExtensionTests: XCTestCase {
  func testEveryIdKeepsItsMeaningAndNewSymbolsComeInTheOrderGiven() throws {
    let old = WordTokenizer(training: "the cat sat on the mat")
    let other = WordTokenizer(training: "the zebra sat on the mat; zebra!")
    let pieces = (0..<other.vocabularySize).map { String(decoding: other.pieceBytes(Int32($0)), as: UTF8.self) }
    let (grown, added) = old.extended(with: pieces)
    XCTAssertEqual(grown.appended, added)
    XCTAssertEqual(grown.vocabularySize, old.vocabularySize + added.count)
    for id in 0..<old.vocabularySize { XCTAssertEqual(grown.pieceBytes(Int32(id)), old.pieceBytes(Int32(id))) }
    // other's characters by code point first (z, b, r, ;, !: those `old` lacks), then its new words.
    let newCharacters = other.characters.scalars.filter { old.id(of: $0) == nil }.map { String($0) }
    XCTAssertEqual(Array(added.prefix(newCharacters.count)), newCharacters)
    XCTAssertEqual(Array(added.dropFirst(newCharacters.count)), ["zebra"])
    let text = "the zebra sat; the cat!"
    XCTAssertEqual(grown.decode(try grown.encode(text)), text)
    XCTAssertEqual(try grown.encode("the cat"), try old.encode("the cat"))  // known text, same ids
    XCTAssertTrue(try grown.encode("zebra").count == 1)
    // Nothing new: nothing added.
    XCTAssertEqual(grown.extended(with: pieces).added, [])
    // A word whose characters are new brings them first.
    XCTAssertEqual(old.extended(with: ["qux"]).added, ["q", "u", "x", "qux"])
  }

  func testOnRandomUnicodeTheGrownTokenizerKeepsOldIdsRoundTripsBothTextsAndReadsBack() throws {
    var random = RandomText(seed: 15)
    for _ in 0..<40 {
      let a = random.string(length: 10 + random.next(80))
      let b = random.string(length: 10 + random.next(80))
      let old = WordTokenizer(training: a, minCount: 1 + random.next(2))
      let other = WordTokenizer(training: b, minCount: 1 + random.next(2))
      var grown = old
      for _ in 0..<2 {  // extended twice: the second extension appends after the first
        let pieces = (0..<other.vocabularySize).map { String(decoding: other.pieceBytes(Int32($0)), as: UTF8.self) }
        grown = grown.extended(with: pieces).tokenizer
      }
      for id in 0..<old.vocabularySize { XCTAssertEqual(grown.pieceBytes(Int32(id)), old.pieceBytes(Int32(id))) }
      XCTAssertEqual(grown.decode(try grown.encode(a)), a)
      XCTAssertEqual(grown.decode(try grown.encode(b)), b)
      XCTAssertEqual(grown.decode(try grown.encode(b + a)), b + a)
      let back = try AnyTokenizer(serialized: grown.serialized)
      XCTAssertEqual(back, .word(grown))
      XCTAssertEqual(try back.encode(b + a), try grown.encode(b + a))
    }
  }

  func testTheAppendedTokensAreSavedAndReadBack() throws {
    let old = WordTokenizer(training: "ab ab c")
    let (grown, _) = old.extended(with: ["é", "dé", "ab"])
    XCTAssertEqual(grown.appended, ["é", "d", "dé"])  // a new word's new character comes before it
    XCTAssertEqual(grown.serialized, old.serialized + "\nappended c3a9 64 64c3a9")
    XCTAssertEqual(try AnyTokenizer(serialized: grown.serialized), .word(grown))
    XCTAssertEqual(try AnyTokenizer(serialized: old.serialized), .word(old))  // unchanged form without extension
    let head = old.serialized
    func reject(_ line: String, _ value: String, _ reason: String) {
      XCTAssertThrowsError(try AnyTokenizer(serialized: head + "\n" + line)) { error in
        XCTAssertEqual(error as? TokenizerFormatError, .badValue(line: 5, field: "appended", value: value, reason: reason))
      }
    }
    reject("appended 61", "61", "is a character that already has a token")
    reject("appended 6162", "6162", "is a word that already has a token")
    reject("appended 7a7a", "7a7a", "has a character not defined before it")
    reject("appended 7a 7a20", "7a20", "is not one word")
    reject("appended ff", "ff", "is not UTF-8")
    reject("appended 6", "6", "is not 1 to 128 bytes in lowercase hex")
  }
}
