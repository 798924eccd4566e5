import XCTest

@testable import RNNTokenizers

/// BPE over character ids in chunks (what a corpus does on several cores): cutting a text at piece
/// boundaries, counting the chunks' pieces apart and merging the counts, and encoding chunks with
/// several encoders give exactly what one pass over the whole text gives, and what the `String`
/// methods give for the text the ids spell.
final class ChunkedBPETests: XCTestCase {
  /// Documents joined by a blank line, as a folder corpus joins its files: random Unicode (combining
  /// marks, emoji, Korean, CRLF, NUL, …), English words, and a document of no whitespace at all.
  static let documents: [String] = {
    var random = RandomText(seed: 15)
    var documents = (0..<12).map { _ in random.string(length: 40 + random.next(200)) }
    documents.append(String(repeating: "To be, or not to be: that is the question.\n", count: 30))
    documents.append(String(repeating: "word'sand123…", count: 40))
    documents.append("")
    documents.append(" \n\n  \t ")
    return documents
  }()

  static let text = documents.joined(separator: "\n\n")

  /// A part runner that runs the parts last first: each part must touch only what it owns.
  static func reversed(_ n: Int, _ body: (Int) -> Void) {
    for i in (0..<n).reversed() { body(i) }
  }

  /// `text` as ids into the alphabet of its scalars in code-point order, in one or two bytes each.
  static func ids(_ text: String) -> (alphabet: ScalarAlphabet, bytes: [UInt8]?, halfwords: [UInt16]) {
    let scalars = Array(Set(text.unicodeScalars)).sorted { $0.value < $1.value }
    let index = Dictionary(uniqueKeysWithValues: scalars.enumerated().map { ($1, $0) })
    let halfwords = text.unicodeScalars.map { UInt16(index[$0]!) }
    return (ScalarAlphabet(scalars: scalars), scalars.count <= 256 ? halfwords.map { UInt8($0) } : nil, halfwords)
  }

  /// The ids of `tokens`, whatever their width.
  static func ints(_ tokens: TokenArray) -> [Int32] {
    switch tokens {
    case .bytes(let a): a.map { Int32($0) }
    case .halfwords(let a): a.map { Int32($0) }
    case .words(let a): a.map { Int32(bitPattern: $0) }
    }
  }

  /// The pieces of `text`, each as its ids.
  static func pieces<T: FixedWidthInteger & UnsignedInteger>(
    _ text: UnsafeBufferPointer<T>, _ alphabet: ScalarAlphabet
  ) -> [[T]] {
    var result: [[T]] = []
    alphabet.forEachPiece(of: text) { p, n in result.append(Array(UnsafeBufferPointer(start: p, count: n))) }
    return result
  }

  func testChunksAreCutAtPieceBoundaries() {
    let (alphabet, _, ids) = Self.ids(Self.text)
    ids.withUnsafeBufferPointer { whole in
      let expected = Self.pieces(whole, alphabet)
      for length in [1, 2, 5, 17, 100, 1000, ids.count, ids.count + 5] {
        let chunks = alphabet.chunks(of: .halfwords(whole), length: length)
        var joined: [UInt16] = []
        var pieces: [[UInt16]] = []
        for (i, chunk) in chunks.enumerated() {
          guard case .halfwords(let c) = chunk else { return XCTFail("the chunks keep the ids' width") }
          if i < chunks.count - 1 { XCTAssertGreaterThanOrEqual(c.count, length) }
          joined += c
          pieces += Self.pieces(c, alphabet)
        }
        XCTAssertEqual(joined, ids, "length \(length)")
        XCTAssertEqual(pieces, expected, "length \(length)")
        if length < 100 { XCTAssertGreaterThan(chunks.count, 10) }
      }
    }
    let noWhitespace = Self.ids("abc,def!ghi")
    noWhitespace.halfwords.withUnsafeBufferPointer {
      XCTAssertEqual(noWhitespace.alphabet.chunks(of: .halfwords($0), length: 2).count, 1, "no place to cut: one chunk")
    }
  }

  func testCountsOfChunksAddUpToTheCountsOfTheWhole() {
    let (alphabet, _, ids) = Self.ids(Self.text)
    ids.withUnsafeBufferPointer { whole in
      var expected = PieceCounts()
      expected.count(.halfwords(whole), alphabet: alphabet)
      for length in [3, 50, 700] {
        var total = PieceCounts()
        for chunk in alphabet.chunks(of: .halfwords(whole), length: length) {
          var part = PieceCounts()
          part.count(chunk, alphabet: alphabet)
          total.add(part)
        }
        XCTAssertEqual(total.keys, expected.keys, "the same pieces in the same order, length \(length)")
        XCTAssertEqual(total.keyStarts, expected.keyStarts)
        XCTAssertEqual(total.frequency, expected.frequency)
      }
      let counted = Self.pieces(whole, alphabet).filter { $0.count > 1 || !alphabet.scalars[Int($0[0])].isASCII }
      XCTAssertEqual(expected.total, counted.count, "every piece but those of one ASCII character")
    }
  }

  /// Training and encoding on 1, 2 or 3 threads' worth of chunks, both id widths, several chunk
  /// lengths: the merges of the `String` trainer on the training part, and each part's tokens are
  /// the `String` encoder's.
  func testChunkedTrainingAndEncodingEqualTheStringMethods() {
    let parts = [Self.documents[0..<10], Self.documents[10..<13], Self.documents[13...]].map { $0.joined(separator: "\n\n") }
    let (alphabet, bytes, halfwords) = Self.ids(parts.joined())
    XCTAssertNil(bytes, "the random text has more than 256 characters")
    let expected = BPETokenizer(training: parts[0], vocabularySize: 700)
    XCTAssertGreaterThan(expected.merges.count, 100)
    let ends = parts.map { $0.unicodeScalars.count }.reduce(into: [0]) { $0.append($0.last! + $1) }
    halfwords.withUnsafeBufferPointer { all in
      let texts = (0..<3).map { SymbolText.halfwords(UnsafeBufferPointer(rebasing: all[ends[$0]..<ends[$0 + 1]])) }
      for threads in [1, 2, 3] {
        let t = BPETokenizer(training: texts[0], alphabet: alphabet, vocabularySize: 700, threads: threads, run: Self.reversed)
        XCTAssertEqual(t, expected, "\(threads) threads")
        for length in [1, 9, 64, 1 << 21] {
          let (tokens, tokenEnds) = t.encode(parts: texts, alphabet: alphabet, threads: threads, chunkLength: length, run: Self.reversed)
          guard case .halfwords(let ids) = tokens else { return XCTFail("700 tokens are stored in two bytes") }
          let encoded = parts.map { expected.encode($0) }
          XCTAssertEqual(ids.map { Int32($0) }, encoded.flatMap { $0 }, "\(threads) threads, chunks of \(length)")
          XCTAssertEqual(tokenEnds, encoded.map(\.count).reduce(into: []) { $0.append(($0.last ?? 0) + $1) })
        }
      }
    }
  }

  /// One-byte ids, and a vocabulary of at most 256 tokens (stored in one byte each).
  func testOneByteIdsAndTokens() {
    let text = Self.documents[12] + "\n\n" + Self.documents[13]
    let (alphabet, bytes, _) = Self.ids(text)
    bytes!.withUnsafeBufferPointer { ids in
      for size in [256, 300] {
        let t = BPETokenizer(training: .bytes(ids), alphabet: alphabet, vocabularySize: size, threads: 2, run: Self.reversed)
        XCTAssertEqual(t, BPETokenizer(training: text, vocabularySize: size))
        let (tokens, ends) = t.encode(parts: [.bytes(ids)], alphabet: alphabet, threads: 2, chunkLength: 11, run: Self.reversed)
        let got = Self.ints(tokens)
        XCTAssertEqual(got, t.encode(text))
        XCTAssertEqual(ends, [got.count])
        if size == 256, case .halfwords = tokens { XCTFail("256 tokens fit one byte each") }
      }
    }
  }

  /// Learning and encoding in one go (the training part written from the pieces recorded while
  /// counting) gives the `String` methods' merges and tokens, on 1 to 3 chunks, including a text
  /// of more distinct pieces than one stream unit can number (two units per piece beyond 32,640).
  func testLearningAndEncodingEqualsTheStringMethods() {
    let numbers = (0..<40_000).map { " \($0 * 7919 % 100_000)" }.joined() + " the end\n"
    let cases = [
      [Self.documents[0..<10], Self.documents[10..<13], Self.documents[13...]].map { $0.joined(separator: "\n\n") },
      [numbers, " 12 and 13\n", ""],
      ["", "nothing to learn from", " 5"],
    ]
    for parts in cases {
      let (alphabet, _, halfwords) = Self.ids(parts.joined())
      let expected = BPETokenizer(training: parts[0], vocabularySize: 700)
      let encoded = parts.map { expected.encode($0) }
      let ends = parts.map { $0.unicodeScalars.count }.reduce(into: [0]) { $0.append($0.last! + $1) }
      halfwords.withUnsafeBufferPointer { all in
        let texts = (0..<3).map { SymbolText.halfwords(UnsafeBufferPointer(rebasing: all[ends[$0]..<ends[$0 + 1]])) }
        for threads in [1, 2, 3] {
          let (t, tokens, tokenEnds) = BPETokenizer.learningAndEncoding(
            texts, alphabet: alphabet, vocabularySize: 700, threads: threads, run: Self.reversed)
          XCTAssertEqual(t, expected, "\(threads) threads")
          XCTAssertEqual(Self.ints(tokens), encoded.flatMap { $0 }, "\(threads) threads")
          if t.vocabularySize > 256, case .bytes = tokens { XCTFail("more than 256 tokens need two bytes each") }
          XCTAssertEqual(tokenEnds, encoded.map(\.count).reduce(into: []) { $0.append(($0.last ?? 0) + $1) })
        }
      }
    }
    var counts = PieceCounts(recording: true)
    let (alphabet, _, ids) = Self.ids(numbers)
    ids.withUnsafeBufferPointer { counts.count(.halfwords($0), alphabet: alphabet) }
    XCTAssertGreaterThan(counts.count, 0x8000, "pieces numbered beyond one stream unit")
  }
}
