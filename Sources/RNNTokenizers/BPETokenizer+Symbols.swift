/// Byte-level BPE over a text held as character ids (`ScalarAlphabet`): what a corpus uses, so that
/// learning and encoding read its token array in place. Both give exactly what the `String` methods
/// give for the text the ids spell: the pieces are the same (one pre-tokenizer over either units),
/// each is encoded from its UTF-8 bytes, and only distinct pieces are ever written out as UTF-8.
extension BPETokenizer {
  /// `init(training:vocabularySize:minFrequency:)` of the text `symbols` spells in `alphabet`.
  public init(training symbols: SymbolText, alphabet: ScalarAlphabet, vocabularySize: Int, minFrequency: Int = 2) {
    precondition(vocabularySize >= 256, "a byte-level BPE vocabulary has at least the 256 bytes")
    let frequency = max(1, minFrequency)
    let merges =
      switch symbols {
      case .bytes(let b): BPETrainer.train(symbols: b, alphabet: alphabet, vocabularySize: vocabularySize, minFrequency: frequency)
      case .halfwords(let b):
        BPETrainer.train(symbols: b, alphabet: alphabet, vocabularySize: vocabularySize, minFrequency: frequency)
      case .words(let b): BPETrainer.train(symbols: b, alphabet: alphabet, vocabularySize: vocabularySize, minFrequency: frequency)
      }
    self.init(merges: merges)
  }

  /// An encoder of texts held as ids into `alphabet`.
  public func makeEncoder(alphabet: ScalarAlphabet) -> BPESymbolEncoder { BPESymbolEncoder(self, alphabet: alphabet) }
}

/// Encodes texts held as character ids with a `BPETokenizer`, remembering the tokens of each
/// distinct piece (keyed by its ids; bounded as `BPEEncoder`'s cache is).
public struct BPESymbolEncoder {
  public let tokenizer: BPETokenizer
  public let alphabet: ScalarAlphabet
  private var cache = PieceCache()
  /// Scratch: a piece's UTF-8 bytes, its tokens, the merge loop's symbols.
  private var bytes: [UInt8] = []
  private var tokens: [Int32] = []
  private var symbols: [Int32] = []

  init(_ tokenizer: BPETokenizer, alphabet: ScalarAlphabet) {
    self.tokenizer = tokenizer
    self.alphabet = alphabet
  }

  /// The tokens of `parts` (texts held as ids, e.g. a corpus's splits) back to back, as narrow as
  /// the vocabulary allows, and where each part's tokens end. Capacity is reserved once, at the
  /// tokens per character of the first (up to) 1 Mi ids, so the array rarely grows by copying.
  public mutating func encode(parts: [SymbolText]) -> (tokens: TokenArray, ends: [Int]) {
    let size = tokenizer.vocabularySize
    if size <= 256 {
      let (tokens, ends) = encode(parts, as: UInt8.self)
      return (.bytes(tokens), ends)
    } else if size <= 65_536 {
      let (tokens, ends) = encode(parts, as: UInt16.self)
      return (.halfwords(tokens), ends)
    }
    let (tokens, ends) = encode(parts, as: UInt32.self)
    return (.words(tokens), ends)
  }

  /// Appends the tokens of `text` to `out`.
  public mutating func encode(_ text: SymbolText, into out: inout [Int32]) {
    switch text {
    case .bytes(let b): encode(b, into: &out)
    case .halfwords(let b): encode(b, into: &out)
    case .words(let b): encode(b, into: &out)
    }
  }

  private mutating func encode<U: FixedWidthInteger>(_ parts: [SymbolText], as: U.Type) -> ([U], [Int]) {
    let total = parts.reduce(0) { $0 + $1.count }
    var out: [U] = []
    if let first = parts.first(where: { $0.count > 0 }) {
      let sample = first.prefix(1 << 20)
      switch sample {
      case .bytes(let b): encode(b, into: &out)
      case .halfwords(let b): encode(b, into: &out)
      case .words(let b): encode(b, into: &out)
      }
      let perCharacter = Double(out.count) / Double(sample.count)
      out = []
      out.reserveCapacity(Int(Double(total) * perCharacter * 1.02) + 4096)
    }
    var ends: [Int] = []
    for part in parts {
      switch part {
      case .bytes(let b): encode(b, into: &out)
      case .halfwords(let b): encode(b, into: &out)
      case .words(let b): encode(b, into: &out)
      }
      ends.append(out.count)
    }
    return (out, ends)
  }

  /// Appends the tokens of the text `text` spells to `out` (each token as `U`, which must hold
  /// every id below `tokenizer.vocabularySize`).
  mutating func encode<T: FixedWidthInteger & UnsignedInteger, U: FixedWidthInteger>(
    _ text: UnsafeBufferPointer<T>, into out: inout [U]
  ) {
    precondition(tokenizer.vocabularySize - 1 <= Int(U.max), "the output type cannot hold every token")
    let alphabet = self.alphabet
    alphabet.codes.withUnsafeBufferPointer { codes in
      alphabet.forEachPiece(of: text) { ids, n in
        if n == 1 && codes[Int(ids[0])] < 0x80 {
          out.append(U(codes[Int(ids[0])]))
          return
        }
        let hit = ScalarAlphabet.withKey(ids, n) { key, size in
          guard let cached = cache.find(key, size) else { return false }
          for t in cached { out.append(U(truncatingIfNeeded: t)) }
          return true
        }
        if hit { return }
        bytes.removeAll(keepingCapacity: true)
        for i in 0..<n { alphabet.forEachByte(of: ids[i]) { bytes.append($0) } }
        tokens.removeAll(keepingCapacity: true)
        bytes.withUnsafeBufferPointer { tokenizer.encodePiece($0.baseAddress!, $0.count, into: &tokens, symbols: &symbols) }
        ScalarAlphabet.withKey(ids, n) { key, size in cache.remember(key, size, tokens[...]) }
        for t in tokens { out.append(U(truncatingIfNeeded: t)) }
      }
    }
  }
}
