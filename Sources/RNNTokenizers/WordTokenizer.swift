/// Words, numbers, whitespace runs and single punctuation characters as tokens (see
/// `PreTokenizer.wordPieces`), lossless: ids `0..<C` are the C distinct scalars of the training text
/// sorted by code point (exactly `CharTokenizer`'s), and ids `C…` the multi-character pieces seen at
/// least `minCount` times, most frequent first (ties: by UTF-8 bytes). A piece without a token, such
/// as a rarer word, is spelled with character tokens, so there is no unknown token: only a character
/// the training text never had cannot be encoded. A tokenizer carried to a new text
/// (`extended(with:)`) has `appended` tokens after the words: new characters and new words, in the
/// order they were added, so every earlier id keeps its meaning.
public struct WordTokenizer: Tokenizer {
  /// Pieces longer than this many UTF-8 bytes are always spelled with characters.
  public static let maxWordBytes = 128

  public let characters: CharTokenizer
  /// The word tokens' texts, in id order (the first is id `characters.vocabularySize`).
  public let words: [String]
  /// Tokens added by `extended(with:)`, in id order after the words (the first is id
  /// `characters.vocabularySize + words.count`): single characters and words.
  public let appended: [String]
  /// The count a piece needed in the training text to become a token.
  public let minCount: Int
  /// The words, then the appended words; `tableIDs[k]` is the id of entry `k`.
  private let table: ByteSliceTable
  private let tableIDs: [Int32]
  /// The ids of the appended characters, by code point.
  private let appendedCharacters: [UInt32: Int32]

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
  init(characters: CharTokenizer, words: [String], minCount: Int, appended: [String] = []) {
    self.characters = characters
    self.words = words
    self.appended = appended
    self.minCount = minCount
    var table = ByteSliceTable(capacity: words.count + appended.count)
    var tableIDs: [Int32] = []
    var appendedCharacters: [UInt32: Int32] = [:]
    for (offset, piece) in (words + appended).enumerated() {
      let id = Int32(characters.vocabularySize + offset)
      if offset >= words.count, piece.unicodeScalars.count == 1 {
        appendedCharacters[piece.unicodeScalars.first!.value] = id
        continue
      }
      var bytes = Array(piece.utf8)
      _ = bytes.withUnsafeMutableBufferPointer { table.findOrInsert($0.baseAddress!, $0.count) }
      tableIDs.append(id)
    }
    self.table = table
    self.tableIDs = tableIDs
    self.appendedCharacters = appendedCharacters
  }

  public var kind: TokenizerKind { .word }
  public var vocabularySize: Int { characters.vocabularySize + words.count + appended.count }

  /// The token of one character, or nil when it has none.
  public func id(of scalar: Unicode.Scalar) -> Int32? {
    characters.id(of: scalar) ?? appendedCharacters[scalar.value]
  }

  /// The token of a word (a piece of two characters or more), or nil when it has none.
  func id(ofWord word: String) -> Int32? {
    var bytes = Array(word.utf8)
    return bytes.withUnsafeMutableBufferPointer { b in
      table.find(b.baseAddress!, b.count, hash: ByteSliceTable.hash(b.baseAddress!, b.count)).map { tableIDs[$0] }
    }
  }

  /// This tokenizer carried to a new text: `pieces` (characters and words, e.g. another word
  /// tokenizer's tokens in id order) that it has no token for are appended in the order given, so
  /// every existing id keeps its meaning; a new word's characters are appended before it when they
  /// are new too. Returns the tokenizer and the tokens added.
  public func extended(with pieces: [String]) -> (tokenizer: WordTokenizer, added: [String]) {
    var added: [String] = []
    var newCharacters = Set<UInt32>()
    var newWords = Set<String>()
    func add(_ piece: String) {
      let scalars = piece.unicodeScalars
      guard let first = scalars.first else { return }
      if scalars.count == 1 {
        guard id(of: first) == nil, newCharacters.insert(first.value).inserted else { return }
      } else {
        guard piece.utf8.count <= Self.maxWordBytes, id(ofWord: piece) == nil, !newWords.contains(piece) else { return }
        var count = 0
        var bytes = Array(piece.utf8)
        bytes.withUnsafeMutableBufferPointer { PreTokenizer.wordPieces(UnsafeBufferPointer($0)) { _ in count += 1 } }
        guard count == 1 else { return }  // only whole words become word tokens
        for s in scalars { add(String(s)) }
        newWords.insert(piece)
      }
      added.append(piece)
    }
    for piece in pieces { add(piece) }
    let tokenizer = WordTokenizer(characters: characters, words: words, minCount: minCount, appended: appended + added)
    return (tokenizer, added)
  }

  public func encode(_ text: String) throws(TokenizerError) -> [Int32] {
    var ids: [Int32] = []
    var unknown: [Unicode.Scalar] = []
    var utf8 = Array(text.utf8)
    utf8.withUnsafeMutableBufferPointer { buffer in
      let p = buffer.baseAddress!
      PreTokenizer.wordPieces(UnsafeBufferPointer(buffer)) { range in
        let start = p + range.lowerBound
        if range.count > 1, let k = table.find(start, range.count, hash: ByteSliceTable.hash(start, range.count)) {
          ids.append(tableIDs[k])
          return
        }
        var i = 0
        while i < range.count {
          let (value, length) = ValidUTF8.scalar(start, i)
          let scalar = Unicode.Scalar(value)!
          if let id = characters.id(of: scalar) ?? appendedCharacters[value] {
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
    let c = characters.vocabularySize
    let i = Int(id)
    if i < c { return characters.pieceBytes(id) }
    return Array((i < c + words.count ? words[i - c] : appended[i - c - words.count]).utf8)
  }

  public var serialized: String { TokenizerFormat.write(self) }

  public static func == (a: WordTokenizer, b: WordTokenizer) -> Bool {
    a.characters == b.characters && a.words == b.words && a.minCount == b.minCount && a.appended == b.appended
  }
}
