import Foundation
import StrictUTF8
import XCTest

@testable import RNNModels

/// Streamed loading (two passes through a small buffer) gives exactly what decoding the whole text
/// at once gives: same vocabulary, tokens, fingerprint and error offsets, whatever the chunk size.
final class CorpusStreamingTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-streaming-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func write(_ bytes: [UInt8], _ name: String = "t.txt") -> String {
    let url = dir.appendingPathComponent(name)
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
    return url.path
  }

  /// Decodes `bytes` fed in chunks of `chunk` bytes.
  func decodeChunked(_ bytes: [UInt8], chunk: Int, replacing: Bool) -> (scalars: [UInt32], bad: Int?) {
    var decoder = UTF8Decoder(replacing: replacing)
    var out: [UInt32] = []
    var start = 0
    var bad: Int?
    bytes.withUnsafeBufferPointer { all in
      while start < all.count, bad == nil {
        let end = min(all.count, start + chunk)
        bad = decoder.feed(UnsafeBufferPointer(rebasing: all[start..<end])) { out.append($0) }
        start = end
      }
    }
    if bad == nil { bad = decoder.finish { out.append($0) } }
    return (out, bad)
  }

  /// The reference: what the pre-streaming loader computed (whole text decoded, sorted set, map).
  func reference(_ text: String) -> (vocabulary: [UInt32], tokens: [Int32], fingerprint: UInt64) {
    let scalars = text.unicodeScalars.map(\.value)
    let vocabulary = Set(scalars).sorted()
    let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return (vocabulary, scalars.map { index[$0]! }, hash)
  }

  func testMultiByteScalarsSplitAtEveryPosition() throws {
    let text = "aé€𝄞b\u{10FFFF}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{D7FF}\u{E000}z"
    let bytes = Array(text.utf8)
    let expected = text.unicodeScalars.map(\.value)
    for chunk in 1...bytes.count {
      let (scalars, bad) = decodeChunked(bytes, chunk: chunk, replacing: false)
      XCTAssertNil(bad, "chunk \(chunk)")
      XCTAssertEqual(scalars, expected, "chunk \(chunk)")
    }
    // Each 4-byte scalar put across a boundary at each of its inner positions, through the file path.
    for cut in 1...3 {
      let prefix = Array(repeating: UInt8(ascii: "x"), count: 8 - cut)
      let data = prefix + Array("𝄞".utf8) + Array("yy".utf8)
      let corpus = try Corpus.load(path: write(data), source: nil, fractions: .init(train: 1), invalidUTF8: .error, chunkSize: 8)
      XCTAssertEqual(corpus.vocabulary.decode(corpus.tokens.array), String(decoding: data, as: UTF8.self))
    }
  }

  func testInvalidBytesAtChunkBoundariesReportTheirOffset() throws {
    // (bytes, offset of the first bad sequence)
    let cases: [([UInt8], Int)] = [
      (Array("abc".utf8) + [0xFF] + Array("def".utf8), 3),
      (Array("ab".utf8) + [0xE2, 0x82] + Array("cd".utf8), 2),  // truncated € before ASCII
      (Array("abcd".utf8) + [0xF0, 0x9D, 0x84], 4),  // truncated at the end of the text
      (Array("a".utf8) + [0xE0, 0x80, 0x80], 1),  // overlong
      (Array("ab".utf8) + [0xED, 0xA0, 0x80], 2),  // surrogate
      (Array("abc".utf8) + [0xF4, 0x90, 0x80, 0x80], 3),  // above U+10FFFF
      (Array("é".utf8) + [0x80], 2),  // stray continuation
      (Array("€€".utf8) + [0xC0, 0xAF], 6),
    ]
    for (bytes, offset) in cases {
      for chunk in 1...bytes.count {
        XCTAssertEqual(decodeChunked(bytes, chunk: chunk, replacing: false).bad, offset, "\(bytes) chunk \(chunk)")
        let path = write(bytes)
        XCTAssertThrowsError(
          try Corpus.load(path: path, source: "f.txt", fractions: .init(train: 1), invalidUTF8: .error, chunkSize: chunk)
        ) { error in
          XCTAssertEqual(error as? CorpusError, .invalidUTF8(path: "f.txt", byteOffset: offset), "chunk \(chunk)")
        }
      }
    }
  }

  func testReplacementMatchesSwiftsDecoderOnRandomBytes() {
    var rng = SystemRandomNumberGenerator()
    // Bytes drawn to hit lead bytes, continuation bytes and the boundary values of table 3-7.
    let palette: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
      0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]
    for trial in 0..<3000 {
      let length = Int.random(in: 0...24, using: &rng)
      let bytes: [UInt8] = (0..<length).map { _ in
        Bool.random(using: &rng) ? palette.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
      }
      let expected = String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
      for chunk in [1, 2, 3, 5, max(1, length)] {
        let (scalars, bad) = decodeChunked(bytes, chunk: chunk, replacing: true)
        XCTAssertNil(bad)
        XCTAssertEqual(scalars, expected, "trial \(trial) chunk \(chunk): \(bytes)")
      }
      // Strict decoding fails exactly when Swift's validation does.
      let strict = decodeChunked(bytes, chunk: 3, replacing: false).bad
      XCTAssertEqual(strict == nil, String(validating: bytes, as: UTF8.self) != nil, "trial \(trial): \(bytes)")
    }
  }

  func testReplaceOptionLoadsTheTextSwiftWouldDecode() throws {
    let bytes: [UInt8] = Array("ab".utf8) + [0xE2, 0x82] + Array("c".utf8) + [0xFF, 0xF0, 0x9D] + Array("dd".utf8)
    let path = write(bytes)
    for chunk in [1, 2, 3, 4, 7, 1 << 20] {
      let corpus = try Corpus.load(
        path: path, source: nil, fractions: .init(train: 1), invalidUTF8: .replace, chunkSize: chunk)
      XCTAssertEqual(corpus.vocabulary.decode(corpus.tokens.array), String(decoding: bytes, as: UTF8.self))
      XCTAssertEqual(corpus.replacedSequences, 3)
      XCTAssertEqual(corpus.byteCount, bytes.count)
      XCTAssertTrue(corpus.vocabulary.scalars.contains("\u{FFFD}"))
    }
    let valid = try Corpus.load(path: write(Array("abcabc".utf8)), invalidUTF8: .replace)
    XCTAssertEqual(valid.replacedSequences, 0)
  }

  func testStreamedLoadEqualsTheWholeTextPathOnRandomText() throws {
    var rng = SystemRandomNumberGenerator()
    let alphabets: [[Unicode.Scalar]] = [
      Array("abc \n".unicodeScalars),
      Array("hello wörld 👋 é€𝄞\u{0}\r\n".unicodeScalars),
      (0..<300).map { Unicode.Scalar(0x4E00 + $0)! } + ["a", "\n"],  // two bytes per token
      (0..<70_000).map { Unicode.Scalar(0x20000 + $0)! },  // four bytes per token
    ]
    for (a, alphabet) in alphabets.enumerated() {
      for trial in 0..<6 {
        let length = a == 3 ? 80_000 : Int.random(in: trial == 0 ? 3000...3000 : 2...3000, using: &rng)
        var view = String.UnicodeScalarView()
        for i in 0..<length { view.append(a == 3 ? alphabet[(i * 7919 + trial) % alphabet.count] : alphabet.randomElement(using: &rng)!) }
        let text = String(view)
        let expected = reference(text)
        let path = write(Array(text.utf8))
        for chunk in [1, 3, 64, 1 << 20] where !(a == 3 && chunk < 64) {
          let corpus = try Corpus.load(path: path, source: nil, fractions: .init(train: 1), invalidUTF8: .error, chunkSize: chunk)
          XCTAssertEqual(corpus.vocabulary.scalars.map(\.value), expected.vocabulary, "alphabet \(a) chunk \(chunk)")
          XCTAssertEqual(corpus.tokens.array, expected.tokens, "alphabet \(a) chunk \(chunk)")
          XCTAssertEqual(corpus.fingerprint, expected.fingerprint)
          let v = expected.vocabulary.count
          XCTAssertEqual(corpus.tokens.bytesPerToken, v <= 256 ? 1 : v <= 65_536 ? 2 : 4)
        }
        let inMemory = try Corpus(text: text, fractions: .init(train: 1))
        XCTAssertEqual(inMemory.tokens.array, expected.tokens)
        XCTAssertEqual(inMemory.fingerprint, expected.fingerprint)
      }
    }
  }

  func testSplitsAreViewsThatShareTheTokens() throws {
    let corpus = try Corpus(text: String(repeating: "abcdefghij", count: 10), fractions: .init(train: 0.5, validation: 0.3))
    let train = corpus.tokens(of: .train), validation = corpus.tokens(of: .validation), test = corpus.tokens(of: .test)
    XCTAssertEqual(train.count + validation.count + test.count, 100)
    XCTAssertEqual(validation.array, Array(corpus.tokens.array[50..<80]))
    XCTAssertEqual(validation.slice(5..<10).array, Array(corpus.tokens.array[55..<60]))
    XCTAssertEqual(validation.offset, 50)
    XCTAssertEqual(test[0], corpus.tokens[80])
    var out = [Int32](repeating: -1, count: 4)
    test.copy(from: 2, count: 4, to: &out)
    XCTAssertEqual(out, Array(corpus.tokens.array[82..<86]))
    // The same storage array, not a copy.
    guard case .bytes(let whole) = corpus.tokens.storage, case .bytes(let part) = validation.storage else {
      return XCTFail("expected byte storage")
    }
    whole.withUnsafeBufferPointer { w in part.withUnsafeBufferPointer { p in XCTAssertEqual(w.baseAddress, p.baseAddress) } }
  }

  func testTextsWithNothingToLearnFromAreErrors() {
    func error(_ body: () throws -> Corpus) -> CorpusError? {
      do { _ = try body(); return nil } catch { return error as? CorpusError }
    }
    XCTAssertEqual(error { try Corpus(text: "") }, .empty(path: "<text>"))
    XCTAssertEqual(error { try Corpus.load(path: self.write([], "e.txt"), source: "e.txt") }, .empty(path: "e.txt"))
    XCTAssertEqual(
      error { try Corpus.load(path: self.write([0xEF, 0xBB, 0xBF], "bom.txt"), source: "bom.txt") },
      .onlyByteOrderMark(path: "bom.txt"))
    XCTAssertEqual(error { try Corpus(text: "\u{FEFF}\u{FEFF}", source: "b") }, .onlyByteOrderMark(path: "b"))
    // A BOM before real text stays a character, as it always was.
    XCTAssertEqual(try Corpus(text: "\u{FEFF}abc", fractions: .init(train: 1)).tokens.count, 4)
    // One character, or a split that leaves fewer than 2 for training: nothing to learn from.
    guard case .splitTooSmall(let split, let n, let needed, _)? = error({ try Corpus(text: "a", fractions: .init(train: 1)) }) else {
      return XCTFail("a one-character text should not load")
    }
    XCTAssertEqual([split, "\(n)", "\(needed)"], ["training", "1", "2"])
    XCTAssertNotNil(error { try Corpus(text: "abcdefghij", fractions: .init(train: 0.1)) })
    XCTAssertNil(error { try Corpus(text: "abcdefghij", fractions: .init(train: 0.2)) })
  }

  func testAFileThatChangesBetweenPassesIsAnErrorNotAWrongCorpus() throws {
    // A source whose second pass differs from its first.
    final class Flaky: CorpusByteSource {
      var passes = 0
      func forEachChunk(size: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Void) throws(CorpusError) {
        passes += 1
        let bytes = Array((passes == 1 ? "abcabc" : "abcabcxyz").utf8)
        try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in try body(buffer) }
      }
    }
    XCTAssertThrowsError(
      try Corpus(reading: Flaky(), label: "f", fractions: .init(train: 1), invalidUTF8: .error, chunkSize: 4)
    ) { XCTAssertEqual($0 as? CorpusError, .unreadable(path: "f", reason: "the file changed while it was being read")) }
  }
}
