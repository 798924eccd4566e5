/// Words, numbers, whitespace runs and single punctuation characters as tokens (see
/// `PreTokenizer.wordPieces`), lossless: ids `0..<C` are the C distinct scalars of the training text
/// sorted by code point (exactly `CharTokenizer`'s), and ids `C…` the multi-character pieces seen at
/// least `minCount` times, most frequent first (ties: by UTF-8 bytes). A piece without a token, such
/// as a rarer word, is spelled with character tokens, so there is no unknown token: only a character
/// the training text never had cannot be encoded.
public struct WordTokenizer: Tokenizer {
  /// Pieces longer than this many UTF-8 bytes are always spelled with characters.
  public static let maxWordBytes = 128

  public let characters: CharTokenizer
  /// The word tokens' texts, in id order (the first is id `characters.vocabularySize`).
  public let words: [String]
  /// The count a piece needed in the training text to become a token.
  public let minCount: Int
  private let table: ByteSliceTable

  /// Learns the vocabulary of `text`: every scalar (or the scalars of `alphabet` when given, which
  /// must hold every scalar of `text`), and the pieces of at least two scalars (and at most
  /// `maxWordBytes` bytes) seen `minCount` times or more; at most `maxWords` of them when given.
  public init(training text: String, minCount: Int = 1, maxWords: Int? = nil, alphabet: CharTokenizer? = nil) {
    precondition(minCount >= 1, "min_count must be at least 1")
    var counts: [Int] = []
    var table = ByteSliceTable(capacity: 4096)
    var utf8 = text.utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(text.utf8)
    utf8.withUnsafeBufferPointer { buffer in
      PreTokenizer.wordPieces(buffer) { range in
        let (k, inserted) = table.findOrInsert(buffer.baseAddress! + range.lowerBound, range.count)
        if inserted { counts.append(0) }
        counts[k] += 1
      }
    }
    utf8 = []
    var candidates: [(bytes: ArraySlice<UInt8>, count: Int)] = []
    for k in 0..<table.count where counts[k] >= minCount && table.lengths[k] <= Self.maxWordBytes {
      let bytes = table.key(k)
      if String(decoding: bytes, as: UTF8.self).unicodeScalars.count >= 2 { candidates.append((bytes, counts[k])) }
    }
    candidates.sort { $0.count != $1.count ? $0.count > $1.count : $0.bytes.lexicographicallyPrecedes($1.bytes) }
    if let maxWords { candidates = Array(candidates.prefix(max(0, maxWords))) }
    self.init(
      characters: alphabet ?? CharTokenizer(training: text), words: candidates.map { String(decoding: $0.bytes, as: UTF8.self) },
      minCount: minCount)
  }

  /// A tokenizer of exactly these parts (the serialised form's reader checks them first).
  init(characters: CharTokenizer, words: [String], minCount: Int) {
    self.characters = characters
    self.words = words
    self.minCount = minCount
    var table = ByteSliceTable(capacity: words.count)
    for word in words {
      var bytes = Array(word.utf8)
      _ = bytes.withUnsafeMutableBufferPointer { table.findOrInsert($0.baseAddress!, $0.count) }
    }
    self.table = table
  }

  public var kind: TokenizerKind { .word }
  public var vocabularySize: Int { characters.vocabularySize + words.count }

  public func encode(_ text: String) throws(TokenizerError) -> [Int32] {
    var ids: [Int32] = []
    var unknown: [Unicode.Scalar] = []
    let base = Int32(characters.vocabularySize)
    var utf8 = Array(text.utf8)
    utf8.withUnsafeMutableBufferPointer { buffer in
      let p = buffer.baseAddress!
      PreTokenizer.wordPieces(UnsafeBufferPointer(buffer)) { range in
        let start = p + range.lowerBound
        if range.count > 1, let k = table.find(start, range.count, hash: ByteSliceTable.hash(start, range.count)) {
          ids.append(base + Int32(k))
          return
        }
        var i = 0
        while i < range.count {
          let (value, length) = ValidUTF8.scalar(start, i)
          let scalar = Unicode.Scalar(value)!
          if let id = characters.id(of: scalar) {
            ids.append(id)
          } else if !unknown.contains(scalar) {
            unknown.append(scalar)
          }
          i += length
        }
      }
    }
    guard unknown.isEmpty else { throw .unknownCharacters(unknown) }
    return ids
  }

  public func pieceBytes(_ id: Int32) -> [UInt8] {
    let c = Int32(characters.vocabularySize)
    return id < c ? characters.pieceBytes(id) : Array(words[Int(id - c)].utf8)
  }

  public var serialized: String { TokenizerFormat.write(self) }

  public static func == (a: WordTokenizer, b: WordTokenizer) -> Bool {
    a.characters == b.characters && a.words == b.words && a.minCount == b.minCount
  }
}
