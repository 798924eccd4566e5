/// Byte-level BPE over a text held as character ids (`ScalarAlphabet`): what a corpus uses, so that
/// learning and encoding read its token array in place. Both give exactly what the `String` methods
/// give for the text the ids spell: the pieces are the same (one pre-tokenizer over either units),
/// each is encoded from its UTF-8 bytes, and only distinct pieces are ever written out as UTF-8.
extension BPETokenizer {
  /// `init(training:vocabularySize:minFrequency:)` of the text `symbols` spells in `alphabet`. With
  /// `threads` above 1 the text is cut into that many chunks at piece boundaries
  /// (`ScalarAlphabet.chunks`) whose pieces are counted by `run` at once and merged in order: the
  /// same counts, so the same merges, as one thread.
  public init(
    training symbols: SymbolText, alphabet: ScalarAlphabet, vocabularySize: Int, minFrequency: Int = 2,
    threads: Int = 1, run: PartRunner = runInOrder
  ) {
    precondition(vocabularySize >= 256, "a byte-level BPE vocabulary has at least the 256 bytes")
    let counts = PieceCounts.counting(symbols, alphabet: alphabet, threads: threads, run: run)
    self.init(
      merges: BPETrainer.train(counts: counts, alphabet: alphabet, vocabularySize: vocabularySize, minFrequency: max(1, minFrequency)))
  }

  /// An encoder of texts held as ids into `alphabet`.
  public func makeEncoder(alphabet: ScalarAlphabet) -> BPESymbolEncoder { BPESymbolEncoder(self, alphabet: alphabet) }

  /// The tokens of `parts` (texts held as ids, e.g. a corpus's splits) back to back, as narrow as
  /// the vocabulary allows, and where each part's tokens end, on `threads` encoders at once. Each
  /// part is cut at piece boundaries (`ScalarAlphabet.chunks`) into chunks of about `chunkLength`
  /// ids; `run` encodes `threads` chunks at a time, each by its own encoder into its own array, and
  /// those are appended in order to the result (reserved once, at the tokens per character of the
  /// first 1 Mi ids). A piece's tokens do not depend on where it stands, so the tokens are exactly
  /// one encoder's, whatever `threads`; the memory beyond the result is `threads` chunks' tokens
  /// and one piece cache per encoder.
  public func encode(
    parts: [SymbolText], alphabet: ScalarAlphabet, threads: Int = 1, chunkLength: Int = 1 << 21,
    run: PartRunner = runInOrder
  ) -> (tokens: TokenArray, ends: [Int]) {
    let threads = max(1, threads)
    if vocabularySize <= 256 {
      let (tokens, ends) = encode(parts, alphabet, threads, chunkLength, run, as: UInt8.self)
      return (.bytes(tokens), ends)
    } else if vocabularySize <= 65_536 {
      let (tokens, ends) = encode(parts, alphabet, threads, chunkLength, run, as: UInt16.self)
      return (.halfwords(tokens), ends)
    }
    let (tokens, ends) = encode(parts, alphabet, threads, chunkLength, run, as: UInt32.self)
    return (.words(tokens), ends)
  }

  func encode<U: FixedWidthInteger>(
    _ parts: [SymbolText], _ alphabet: ScalarAlphabet, _ threads: Int, _ chunkLength: Int, _ run: PartRunner, as: U.Type
  ) -> ([U], [Int]) {
    var encoders = (0..<threads).map { _ in makeEncoder(alphabet: alphabet) }
    var out: [U] = []
    if let first = parts.first(where: { $0.count > 0 }) {
      let sample = first.prefix(1 << 20)
      let perCharacter = Double(encoders[0].tokens(of: sample, as: U.self).count) / Double(sample.count)
      out.reserveCapacity(Int(Double(parts.reduce(0) { $0 + $1.count }) * perCharacter * 1.02) + 4096)
    }
    let jobs = parts.indices.flatMap { p in
      parts[p].count == 0 ? [] : alphabet.chunks(of: parts[p], length: chunkLength).map { (part: p, text: $0) }
    }
    var ends = [Int](repeating: 0, count: parts.count)
    var done = [[U]](repeating: [], count: threads)
    var next = 0
    while next < jobs.count {
      let (base, n) = (next, min(threads, jobs.count - next))
      encoders.withUnsafeMutableBufferPointer { e in
        done.withUnsafeMutableBufferPointer { d in
          run(n) { i in d[i] = e[i].tokens(of: jobs[base + i].text, as: U.self) }
        }
      }
      for i in 0..<n {
        out += done[i]
        done[i] = []
        ends[jobs[base + i].part] = out.count
      }
      next += n
    }
    for p in parts.indices.dropFirst() { ends[p] = max(ends[p], ends[p - 1]) }
    return (out, ends)
  }
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

  /// Appends the tokens of `text` to `out`.
  public mutating func encode(_ text: SymbolText, into out: inout [Int32]) {
    out += tokens(of: text, as: Int32.self)
  }

  /// The tokens of `text`, each as `U` (which must hold every id below `tokenizer.vocabularySize`).
  mutating func tokens<U: FixedWidthInteger>(of text: SymbolText, as: U.Type) -> [U] {
    switch text {
    case .bytes(let b): tokens(of: b, as: U.self)
    case .halfwords(let b): tokens(of: b, as: U.self)
    case .words(let b): tokens(of: b, as: U.self)
    }
  }

  /// The tokens of the text `text` spells, written in place into an array with room for one token
  /// per UTF-8 byte of the text (every token has at least one byte).
  private mutating func tokens<T: FixedWidthInteger & UnsignedInteger, U: FixedWidthInteger>(
    of text: UnsafeBufferPointer<T>, as: U.Type
  ) -> [U] {
    precondition(tokenizer.vocabularySize - 1 <= Int(U.max), "the output type cannot hold every token")
    guard !text.isEmpty else { return [] }
    return [U](unsafeUninitializedCapacity: text.count * alphabet.maxUTF8Length) { buffer, written in
      written = encode(text, to: buffer.baseAddress!)
    }
  }

  /// Writes the tokens of `text` from `out` on and returns how many: each single ASCII character
  /// is its own byte's token, every other piece is looked up in the cache (and encoded once when
  /// it is not there yet).
  private mutating func encode<T: FixedWidthInteger & UnsignedInteger, U: FixedWidthInteger>(
    _ text: UnsafeBufferPointer<T>, to out: UnsafeMutablePointer<U>
  ) -> Int {
    var written = 0
    let alphabet = self.alphabet
    alphabet.codes.withUnsafeBufferPointer { codes in
      alphabet.forEachPiece(of: text) { ids, n in
        if n == 1 && codes[Int(ids[0])] < 0x80 {
          out[written] = U(codes[Int(ids[0])])
          written += 1
          return
        }
        let entry = ScalarAlphabet.withKey(ids, n) { key, size in cache.find(key, size) } ?? remember(ids, n)
        written += cache.write(entry, to: out + written)
      }
    }
    return written
  }

  /// Encodes the piece `ids[0..<n]` from its UTF-8 bytes and caches its tokens; returns its entry.
  private mutating func remember<T: FixedWidthInteger & UnsignedInteger>(_ ids: UnsafePointer<T>, _ n: Int) -> UInt64 {
    bytes.removeAll(keepingCapacity: true)
    for i in 0..<n { alphabet.forEachByte(of: ids[i]) { bytes.append($0) } }
    tokens.removeAll(keepingCapacity: true)
    bytes.withUnsafeBufferPointer { tokenizer.encodePiece($0.baseAddress!, $0.count, into: &tokens, symbols: &symbols) }
    return ScalarAlphabet.withKey(ids, n) { key, size in cache.remember(key, size, tokens[...]) }
  }
}
