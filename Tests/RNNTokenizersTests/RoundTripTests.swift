import XCTest

@testable import RNNTokenizers

/// decode(encode(x)) == x for every tokenizer, on random texts full of Unicode's hard cases.
final class RoundTripTests: XCTestCase {
  func testCharRoundTripsItsTrainingTextAndSortsByCodePoint() throws {
    var random = RandomText(seed: 1)
    for _ in 0..<200 {
      let text = random.string(length: 1 + random.next(60))
      let t = CharTokenizer(training: text)
      XCTAssertEqual(t.decode(try t.encode(text)), text)
      XCTAssertEqual(t.scalars.map(\.value), Set(text.unicodeScalars.map(\.value)).sorted())
      XCTAssertEqual(try t.encode(text).count, text.unicodeScalars.count)
    }
  }

  func testWordRoundTripsForEveryMinCount() throws {
    var random = RandomText(seed: 2)
    for round in 0..<200 {
      let text = random.string(length: 1 + random.next(80))
      let t = WordTokenizer(training: text, minCount: 1 + round % 3)
      XCTAssertEqual(t.decode(try t.encode(text)), text)
      XCTAssertGreaterThanOrEqual(t.vocabularySize, t.characters.vocabularySize)
    }
  }

  func testBPERoundTripsTextsItNeverSaw() {
    let training = String(repeating: "To be, or not to be, that is the question: 한국어 e\u{301} 👨‍👩‍👧\r\n", count: 20)
    let t = BPETokenizer(training: training, vocabularySize: 400)
    XCTAssertGreaterThan(t.merges.count, 10)
    var random = RandomText(seed: 3)
    for _ in 0..<500 {
      let text = random.string(length: random.next(100))
      let ids = t.encode(text)
      XCTAssertEqual(t.decode(ids), text)
      XCTAssertTrue(ids.allSatisfy { $0 >= 0 && Int($0) < t.vocabularySize })
    }
  }

  func testBPEEncoderWithACacheEncodesLikeAFreshOne() {
    var random = RandomText(seed: 4)
    let training = (0..<50).map { _ in random.string(length: 40) }.joined()
    let t = BPETokenizer(training: training, vocabularySize: 600)
    var encoder = t.makeEncoder()
    for _ in 0..<300 {
      let text = random.string(length: random.next(50))
      var ids: [Int32] = []
      encoder.encode(text, into: &ids)
      XCTAssertEqual(ids, t.encode(text))
    }
  }

  /// Token-by-token decoding (BPE pieces that end inside a character) gives exactly `decode`, even
  /// for random ids whose bytes are not UTF-8.
  func testStreamingDecodeMatchesWholeDecode() {
    var random = RandomText(seed: 5)
    let t = BPETokenizer(training: String(repeating: "日本語 한국어 👍🏽 emoji ", count: 30), vocabularySize: 320)
    for round in 0..<300 {
      let ids: [Int32] =
        round % 2 == 0
        ? t.encode(random.string(length: random.next(40)))
        : (0..<random.next(30)).map { _ in Int32(random.next(t.vocabularySize)) }
      var stream = TokenTextStream(t)
      var text = ""
      for id in ids { text += stream.append(id) }
      text += stream.finish()
      XCTAssertEqual(Array(text.utf8), Array(t.decode(ids).utf8))
    }
  }

  func testStreamingHoldsBackAnUnfinishedCharacter() {
    let t = BPETokenizer(merges: [])
    var stream = TokenTextStream(t)
    let bytes = Array("€".utf8)
    XCTAssertEqual(stream.append(Int32(bytes[0])), "")
    XCTAssertEqual(stream.append(Int32(bytes[1])), "")
    XCTAssertEqual(stream.append(Int32(bytes[2])), "€")
    XCTAssertEqual(stream.append(Int32(bytes[0])), "")
    XCTAssertEqual(stream.finish(), "\u{FFFD}")
  }
}
