import Foundation
import NumericCore
import RNNTokenizers
import XCTest

@testable import RNNModels

/// A BPE corpus of many documents is learned and encoded on the project's threads (`Parallel`):
/// the merges and every split's tokens are exactly those of the `String` methods on the split
/// texts (one thread, no chunks), with the documents' separator, `invalid skip` and
/// `invalid replace`, and whatever the chunk length.
final class BPECorpusThreadsTests: XCTestCase {
  var dir: String!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-threads-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let fragments = [
      "To be, or not to be", " that is the question", "'ll", "'re", "'s", "\n", "\n\n", "  ", "\r\n", "123", " 45", "...",
      "e\u{301}", "한국어", "👨‍👩‍👧", " the", "\t", "ﬁ", "Tyger", " burning", "\u{A0}",
    ]
    var state: UInt64 = 7
    for d in 0..<30 {
      var text = ""
      for _ in 0..<(50 + d * 7) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += fragments[Int(state >> 33) % fragments.count]
      }
      XCTAssertTrue(FileManager.default.createFile(atPath: dir + String(format: "/doc%02d.txt", d), contents: Data(text.utf8)))
    }
    // Not UTF-8: left out with `invalid skip`, its bad bytes replaced with `invalid replace`.
    XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/doc15b.txt", contents: Data([0x61, 0x20, 0xFF, 0x62, 0x0A])))
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  /// The project's fork–join as the tokenizers' part runner.
  static func parallel(_ n: Int, _ body: (Int) -> Void) {
    Parallel.forEachPart(of: n, parts: n) { range in
      for i in range { body(i) }
    }
  }

  func testFolderCorpusOnThreadsEqualsTheStringMethods() throws {
    XCTAssertGreaterThan(Parallel.threads, 1, "the machine has several cores, so the threaded path runs")
    for invalid in [InvalidUTF8Handling.skip, .replace] {
      let corpus = try Corpus.load(files: dir, fractions: .init(train: 0.8, validation: 0.1), invalidUTF8: invalid)
      XCTAssertEqual(corpus.documentCount, invalid == .skip ? 30 : 31)
      XCTAssertNotNil(corpus.splits.documents, "split by whole documents")
      let splitText = { (split: CorpusSplits.Name) in corpus.vocabulary.decode(corpus.tokens(of: split).array) }
      XCTAssertTrue(splitText(.train).contains("\n\n"), "the separator is part of the text")
      XCTAssertEqual(splitText(.train).contains("a \u{FFFD}b"), invalid == .replace)
      let t = try corpus.tokenized(.bpe, vocabularySize: 500)
      let expected = BPETokenizer(training: splitText(.train), vocabularySize: 500)
      XCTAssertGreaterThan(expected.merges.count, 100)
      XCTAssertEqual(t.tokenizer, .bpe(expected), "\(invalid)")
      for split in CorpusSplits.Name.allCases {
        XCTAssertEqual(t.tokens(of: split).array, expected.encode(splitText(split)), "\(invalid), \(split)")
      }

      // Small chunks on real threads: the same tokens.
      let alphabet = ScalarAlphabet(scalars: corpus.vocabulary.scalars)
      guard case .bytes(let ids) = corpus.tokens.storage else { return XCTFail("under 256 characters: one byte each") }
      ids.withUnsafeBufferPointer { all in
        let parts = CorpusSplits.Name.allCases.map { split in
          let r = corpus.splits.range(split)
          let start = corpus.tokens.offset + r.lowerBound
          return SymbolText.bytes(UnsafeBufferPointer(rebasing: all[start..<start + r.count]))
        }
        let trained = BPETokenizer(training: parts[0], alphabet: alphabet, vocabularySize: 500, threads: 2, run: Self.parallel)
        XCTAssertEqual(trained, expected)
        for length in [13, 200, 5000] {
          let (tokens, ends) = expected.encode(parts: parts, alphabet: alphabet, threads: 2, chunkLength: length, run: Self.parallel)
          guard case .halfwords(let got) = tokens else { return XCTFail("500 tokens: two bytes each") }
          let want = CorpusSplits.Name.allCases.map { expected.encode(splitText($0)) }
          XCTAssertEqual(got.map { Int32($0) }, want.flatMap { $0 }, "chunks of \(length)")
          XCTAssertEqual(ends, want.map(\.count).reduce(into: []) { $0.append(($0.last ?? 0) + $1) })
        }
      }
    }
  }
}
