import TestSupport
import XCTest

@testable import RNNTokenizers

/// The incremental trainer learns exactly what the textbook algorithm learns, with the documented
/// tie-break, and encoding reproduces the training segmentation.
final class BPETrainingTests: XCTestCase {
  /// Textbook BPE over the distinct pieces: recount every pair each step, take the highest count
  /// (ties: smaller left id, then smaller right id), merge it everywhere left to right.
  static func referenceMerges(_ text: String, vocabularySize: Int, minFrequency: Int = 2) -> [BPETokenizer.Merge] {
    var counts: [[Int32]: Int] = [:]
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBufferPointer { b in
      PreTokenizer.byteLevelPieces(UnsafeBufferPointer(b)) { r in counts[b[r].map { Int32($0) }, default: 0] += 1 }
    }
    var words = counts.map { (symbols: $0.key, count: $0.value) }
    var merges: [BPETokenizer.Merge] = []
    while 256 + merges.count < vocabularySize {
      var pairs: [[Int32]: Int] = [:]
      for w in words where w.symbols.count > 1 {
        for i in 0..<(w.symbols.count - 1) { pairs[[w.symbols[i], w.symbols[i + 1]], default: 0] += w.count }
      }
      guard
        let best = pairs.filter({ $0.value >= minFrequency }).min(by: { a, b in
          a.value != b.value ? a.value > b.value : a.key.lexicographicallyPrecedes(b.key)
        })
      else { break }
      let token = Int32(256 + merges.count)
      merges.append(.init(left: best.key[0], right: best.key[1]))
      for k in words.indices {
        var out: [Int32] = []
        var i = 0
        let s = words[k].symbols
        while i < s.count {
          if i + 1 < s.count && s[i] == best.key[0] && s[i + 1] == best.key[1] {
            out.append(token)
            i += 2
          } else {
            out.append(s[i])
            i += 1
          }
        }
        words[k].symbols = out
      }
    }
    return merges
  }

  func testTheClassicExampleFollowsTheTieBreak() {
    // "aaabdaaabac": pairs aa 4, ab 2, …; merge 256 = a a. Then [256 a b d 256 a b a c]: 256 a and
    // a b both occur twice, and a b wins the tie (left id 97 < 256): merge 257 = a b. Then 256 257
    // occurs twice: merge 258.
    let t = BPETokenizer(training: "aaabdaaabac", vocabularySize: 259)
    XCTAssertEqual(t.merges, [.init(left: 97, right: 97), .init(left: 97, right: 98), .init(left: 256, right: 257)])
    XCTAssertEqual(t.encode("aaabdaaabac"), [258, 100, 258, 97, 99])
  }

  func testIncrementalTrainingEqualsTheTextbookAlgorithm() {
    var random = RandomText(seed: 11)
    for round in 0..<40 {
      let text = (0..<(5 + random.next(30))).map { _ in random.string(length: 1 + random.next(20)) }
        .joined(separator: ["", " ", "\n"][round % 3])
      let size = 256 + random.next(200)
      let reference = Self.referenceMerges(text, vocabularySize: size)
      XCTAssertEqual(BPETokenizer(training: text, vocabularySize: size).merges, reference, "round \(round)")
    }
  }

  func testRepeatedRunsMergeWithoutOverlap() {
    for text in ["aaaa aaaaa aaaaaaa", "ababab abab", "  \n\n\n\n    x"] {
      XCTAssertEqual(BPETokenizer(training: text, vocabularySize: 300).merges, Self.referenceMerges(text, vocabularySize: 300), text)
    }
  }

  func testPiecesFollowGPT2sPattern() {
    func pieces(_ s: String) -> [String] {
      var out: [String] = []
      var bytes = Array(s.utf8)
      bytes.withUnsafeMutableBufferPointer { b in
        PreTokenizer.byteLevelPieces(UnsafeBufferPointer(b)) { out.append(String(decoding: b[$0], as: UTF8.self)) }
      }
      return out
    }
    XCTAssertEqual(pieces("Hello world's 123 end!!"), ["Hello", " world", "'s", " 123", " end", "!!"])
    XCTAssertEqual(pieces("a   b\n\nc "), ["a", "  ", " b", "\n", "\n", "c", " "])
    XCTAssertEqual(pieces("cafe\u{301} x"), ["cafe\u{301}", " x"])
  }

  func testTinyShakespeareTrainsTheFullVocabularyAndRoundTrips() throws {
    guard let path = Fixtures.tinyShakespearePath() else { throw XCTSkip("../shared/corpora/tinyshakespeare.txt not found") }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let t = BPETokenizer(training: text, vocabularySize: 2048)
    XCTAssertEqual(t.vocabularySize, 2048)
    let ids = t.encode(text)
    XCTAssertEqual(t.decode(ids), text)
    // Subword tokens: far fewer tokens than characters.
    XCTAssertLessThan(Double(ids.count), Double(text.unicodeScalars.count) / 2.5)
  }
}
