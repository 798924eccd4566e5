import StrictUTF8

/// Loading in two streamed passes over the bytes, so that peak memory is the token array plus a
/// constant (the read buffer, a 136 KiB scalar bitmap and a 256 KiB index table):
/// 1. validate the UTF-8, fingerprint the bytes, mark the scalars seen and count the characters;
/// 2. decode again and write each character's token straight into storage of the counted length,
///    one byte per token for at most 256 symbols, two for at most 65,536, four beyond.
extension Corpus {
  /// Bytes read per chunk: 1 MiB.
  static let readSize = 1 << 20

  init(
    reading source: some CorpusByteSource, label: String, fractions: SplitFractions,
    invalidUTF8: InvalidUTF8Handling, chunkSize: Int
  ) throws(CorpusError) {
    precondition(chunkSize > 0, "chunk size must be positive")
    let replacing = invalidUTF8 == .replace
    // Pass 1.
    var decoder = UTF8Decoder(replacing: replacing)
    var seen = ScalarSet()
    var count = 0
    var hash = Corpus.fnvOffsetBasis
    var byteCount = 0
    try source.forEachChunk(size: chunkSize) { chunk throws(CorpusError) in
      hash = Corpus.fnv1a(chunk, from: hash)
      byteCount += chunk.count
      // Closure literals, not a local function passed by name: that would box `seen` and `count`
      // and check exclusivity dynamically on every character (a -O build keeps those checks).
      let bad = decoder.feed(chunk) { scalar in
        seen.insert(scalar)
        count += 1
      }
      if let bad { throw .invalidUTF8(path: label, byteOffset: bad) }
    }
    let bad = decoder.finish { scalar in
      seen.insert(scalar)
      count += 1
    }
    if let bad { throw .invalidUTF8(path: label, byteOffset: bad) }
    guard byteCount > 0 else { throw .empty(path: label) }
    let scalars = seen.sorted
    guard scalars != [0xFEFF] else { throw .onlyByteOrderMark(path: label) }
    let splits = try CorpusSplits(count: count, fractions: fractions)
    guard splits.train.count >= 2 else {
      throw .splitTooSmall(
        split: "training", characters: splits.train.count, needed: 2,
        hint: "a model learns from pairs of consecutive characters; give the training split a larger fraction "
          + "of the \(count) characters, or use a longer text")
    }
    // Pass 2.
    let index = ScalarIndex(scalars)
    let storage: TokenSequence.Storage
    if scalars.count <= 256 {
      storage = .bytes(
        try Corpus.tokenize(source, as: UInt8.self, count: count, index: index, replacing: replacing, label: label, chunkSize: chunkSize))
    } else if scalars.count <= 65_536 {
      storage = .halfwords(
        try Corpus.tokenize(source, as: UInt16.self, count: count, index: index, replacing: replacing, label: label, chunkSize: chunkSize))
    } else {
      storage = .words(
        try Corpus.tokenize(source, as: UInt32.self, count: count, index: index, replacing: replacing, label: label, chunkSize: chunkSize))
    }
    self.source = label
    self.vocabulary = Vocabulary(scalars: scalars.map { Unicode.Scalar($0)! })
    self.tokens = TokenSequence(storage: storage)
    self.splits = splits
    self.fractions = fractions
    self.fingerprint = hash
    self.byteCount = byteCount
    self.replacedSequences = decoder.replacements
  }

  /// Pass 2: the `count` tokens of the text, written in place into an array of `T`. A text that is
  /// not what pass 1 saw (the file changed in between) is an error, never a wrong or partial result.
  static func tokenize<T: FixedWidthInteger & UnsignedInteger>(
    _ source: some CorpusByteSource, as: T.Type, count: Int, index: ScalarIndex, replacing: Bool,
    label: String, chunkSize: Int
  ) throws(CorpusError) -> [T] {
    var failure: CorpusError?
    let tokens = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let out = buffer.baseAddress else { return }
      var position = 0
      var consistent = true
      var decoder = UTF8Decoder(replacing: replacing)
      let changed = CorpusError.unreadable(path: label, reason: "the file changed while it was being read")
      do throws(CorpusError) {
        try source.forEachChunk(size: chunkSize) { chunk throws(CorpusError) in
          let bad = decoder.feed(chunk) { scalar in
            let token = index(scalar)
            guard token != ScalarIndex.missing, position < count else { consistent = false; return }
            out[position] = T(truncatingIfNeeded: token)
            position += 1
          }
          guard bad == nil, consistent else { throw changed }
        }
        let bad = decoder.finish { scalar in
          let token = index(scalar)
          guard token != ScalarIndex.missing, position < count else { consistent = false; return }
          out[position] = T(truncatingIfNeeded: token)
          position += 1
        }
        guard bad == nil, consistent, position == count else { throw changed }
      } catch {
        failure = error
      }
      (out + position).initialize(repeating: 0, count: count - position)
      initialized = count
    }
    if let failure { throw failure }
    return tokens
  }
}
