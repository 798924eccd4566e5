import Foundation
import RNNModels
import TestSupport
import XCTest

final class CorpusTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func write(_ bytes: [UInt8], _ name: String) -> String {
    let url = dir.appendingPathComponent(name)
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
    return url.path
  }

  func testVocabularyIsSortedScalarsAndTokensAreCompact() throws {
    let corpus = try Corpus.load(path: write(Array("hello wörld 👋\n".utf8), "a.txt"), fractions: SplitFractions(train: 0.5))
    XCTAssertEqual(corpus.vocabulary.scalars.map(\.value), corpus.vocabulary.scalars.map(\.value).sorted())
    XCTAssertEqual(corpus.vocabulary.count, Set("hello wörld 👋\n".unicodeScalars).count)
    XCTAssertEqual(corpus.tokens.bytesPerToken, 1)
    XCTAssertEqual(corpus.vocabulary.decode(corpus.tokens.array), "hello wörld 👋\n")
    XCTAssertEqual(corpus.splits.train, 0..<7)
    XCTAssertEqual(corpus.splits.validation, 7..<14)
    let cjk = String((0..<400).map { Character(Unicode.Scalar(0x4E00 + $0)!) })
    XCTAssertEqual(try Corpus(text: cjk).tokens.bytesPerToken, 2)
  }

  func testBadFilesGetClearErrors() throws {
    func message(_ body: () throws -> Corpus) -> String {
      do {
        _ = try body()
        return "no error"
      } catch { return "\(error)" }
    }
    XCTAssertEqual(
      message { try Corpus.load(path: self.dir.appendingPathComponent("nope.txt").path) },
      "no such file: \(dir.appendingPathComponent("nope.txt").path)")
    XCTAssertTrue(message { try Corpus.load(path: self.write([], "empty.txt")) }.contains("is empty"))
    XCTAssertTrue(
      message { try Corpus.load(path: self.write([0x61, 0x62, 0xC3, 0x28, 0x61], "bad.txt")) }
        .contains("not valid UTF-8 (first bad byte at offset 2)"))
    XCTAssertTrue(message { try Corpus.load(path: self.dir.path) }.contains("not a regular file"))
    XCTAssertTrue(message { try Corpus(text: "abc", fractions: SplitFractions(train: 1.5)) }.contains("invalid split"))
    // NUL bytes are text like any other character.
    XCTAssertEqual(try Corpus.load(path: write([0x61, 0, 0x62], "nul.txt")).vocabulary.count, 3)
  }

  func testStreamsAreContiguousAsInCharRNN() throws {
    let corpus = try Corpus(text: "abcdefghijklmnopqrstuvwxyz", fractions: SplitFractions(train: 1))
    let streams = try BatchStreams(tokenCount: 26, batch: 2, steps: 3)
    XCTAssertEqual(streams.streamLength, 13)
    var inputs = [Int32](repeating: 0, count: 6), targets = inputs
    let (next, _) = streams.fill(from: corpus.tokens, cursor: 0, inputs: &inputs, targets: &targets)
    XCTAssertEqual(corpus.vocabulary.decode(inputs), "anbocp")  // time-major: t0 of both streams, then t1, t2
    XCTAssertEqual(corpus.vocabulary.decode(targets), "bocpdq")
    XCTAssertEqual(next, 3)
  }
}
