import StrictUTF8

/// Loading in two streamed passes over the bytes of one or more documents, so that peak memory is the
/// token array plus a constant (the read buffer, a 136 KiB scalar bitmap and a 256 KiB index table):
/// 1. validate the UTF-8, fingerprint the bytes, mark the scalars seen and count the characters;
/// 2. decode again and write each character's token straight into storage of the counted length,
///    one byte per token for at most 256 symbols, two for at most 65,536, four beyond.
/// Documents are decoded one by one (an invalid byte is reported at its offset in its own document)
/// and joined by the separator, which is part of the text (and of the fingerprint). One document
/// with no separator is the single-file corpus, read exactly as before documents existed.
extension Corpus {
  /// Bytes read per chunk: 1 MiB.
  static let readSize = 1 << 20

  init(
    reading source: some CorpusByteSource, label: String, fractions: SplitFractions,
    invalidUTF8: InvalidUTF8Handling, chunkSize: Int
  ) throws(CorpusError) {
    try self.init(
      documents: [source], labels: [label], label: label, separator: [], fractions: fractions,
      invalidUTF8: invalidUTF8, chunkSize: chunkSize)
  }

  /// The corpus of `documents` (named `labels[i]` in messages) joined by `separator` (UTF-8).
  init<Source: CorpusByteSource>(
    documents: [Source], labels: [String], label: String, separator: [UInt8], fractions: SplitFractions,
    invalidUTF8: InvalidUTF8Handling, chunkSize: Int, skippedFiles: [String] = []
  ) throws(CorpusError) {
    precondition(chunkSize > 0, "chunk size must be positive")
    precondition(!documents.isEmpty && documents.count == labels.count, "one label per document")
    let replacing = invalidUTF8 == .replace
    let survey = try Survey(documents: documents, labels: labels, separator: separator, replacing: replacing, chunkSize: chunkSize)
    let (count, byteCount) = (survey.count, survey.byteCount)
    guard byteCount > 0 else { throw .empty(path: label) }
    let scalars = survey.seen.sorted
    guard scalars != [0xFEFF] else { throw .onlyByteOrderMark(path: label) }
    let splits = try CorpusSplits(count: count, documentStarts: survey.documentStarts, fractions: fractions)
    guard splits.train.count >= 2 else {
      throw .splitTooSmall(
        split: "training", characters: splits.train.count, needed: 2,
        hint: "a model learns from pairs of consecutive characters; give the training split a larger fraction "
          + "of the \(count) characters, or use a longer text")
    }
    // Pass 2.
    let index = ScalarIndex(scalars)
    let pass = TokenPass(
      documents: documents, separator: separator, count: count, index: index, replacing: replacing, label: label, chunkSize: chunkSize)
    let storage: TokenSequence.Storage
    if scalars.count <= 256 {
      storage = .bytes(try pass.tokenize(as: UInt8.self))
    } else if scalars.count <= 65_536 {
      storage = .halfwords(try pass.tokenize(as: UInt16.self))
    } else {
      storage = .words(try pass.tokenize(as: UInt32.self))
    }
    self.source = label
    self.vocabulary = Vocabulary(scalars: scalars.map { Unicode.Scalar($0)! })
    self.tokens = TokenSequence(storage: storage)
    self.splits = splits
    self.fractions = fractions
    self.fingerprint = survey.hash
    self.byteCount = byteCount
    self.replacedSequences = survey.replaced
    self.documentCount = documents.count
    self.skippedFiles = skippedFiles
    self.tokenization = nil
  }

  /// Pass 1 over the documents: the scalars seen, the characters counted (and where each document
  /// starts among them), the fingerprint and size of the bytes, the sequences replaced.
  struct Survey {
    let seen: ScalarSet
    let count: Int
    let documentStarts: [Int]
    let hash: UInt64
    let byteCount: Int
    let replaced: Int

    init<Source: CorpusByteSource>(
      documents: [Source], labels: [String], separator: [UInt8], replacing: Bool, chunkSize: Int
    ) throws(CorpusError) {
      var seen = ScalarSet()
      var count = 0
      var hash = Corpus.fnvOffsetBasis
      var byteCount = 0
      var replaced = 0
      var documentStarts: [Int] = []
      // Closure literals, not a local function passed by name: that would box `seen` and `count`
      // and check exclusivity dynamically on every character (a -O build keeps those checks).
      for (d, source) in documents.enumerated() {
        if d > 0 {
          Corpus.decodeSeparator(separator, hash: &hash, byteCount: &byteCount) { scalar in
            seen.insert(scalar)
            count += 1
          }
        }
        documentStarts.append(count)
        var decoder = UTF8Decoder(replacing: replacing)
        try source.forEachChunk(size: chunkSize) { chunk throws(CorpusError) in
          hash = Corpus.fnv1a(chunk, from: hash)
          byteCount += chunk.count
          let bad = decoder.feed(chunk) { scalar in
            seen.insert(scalar)
            count += 1
          }
          if let bad { throw .invalidUTF8(path: labels[d], byteOffset: bad) }
        }
        let bad = decoder.finish { scalar in
          seen.insert(scalar)
          count += 1
        }
        if let bad { throw .invalidUTF8(path: labels[d], byteOffset: bad) }
        replaced += decoder.replacements
      }
      (self.seen, self.count, self.documentStarts) = (seen, count, documentStarts)
      (self.hash, self.byteCount, self.replaced) = (hash, byteCount, replaced)
    }
  }

  /// Feeds the separator between two documents through the same bookkeeping as document bytes.
  static func decodeSeparator(_ separator: [UInt8], hash: inout UInt64, byteCount: inout Int, _ body: (UInt32) -> Void) {
    guard !separator.isEmpty else { return }
    separator.withUnsafeBufferPointer { bytes in
      hash = fnv1a(bytes, from: hash)
      byteCount += bytes.count
      _ = UTF8Decoder.decode(bytes, body)
    }
  }
}

/// Pass 2: the `count` tokens of the documents, written in place into an array of `T`. A text that
/// is not what pass 1 saw (a file changed in between) is an error, never a wrong or partial result.
struct TokenPass<Source: CorpusByteSource> {
  let documents: [Source]
  let separator: [UInt8]
  let count: Int
  let index: ScalarIndex
  let replacing: Bool
  let label: String
  let chunkSize: Int

  func tokenize<T: FixedWidthInteger & UnsignedInteger>(as: T.Type) throws(CorpusError) -> [T] {
    var failure: CorpusError?
    let tokens = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let out = buffer.baseAddress else { return }
      var position = 0
      var consistent = true
      let changed = CorpusError.unreadable(path: label, reason: "the file changed while it was being read")
      // Closure literals, not a local function passed by name (see `Survey`).
      do throws(CorpusError) {
        for (d, source) in documents.enumerated() {
          if d > 0 && !separator.isEmpty {
            _ = separator.withUnsafeBufferPointer { bytes in
              UTF8Decoder.decode(bytes) { scalar in
                let token = index(scalar)
                guard token != ScalarIndex.missing, position < count else { consistent = false; return }
                out[position] = T(truncatingIfNeeded: token)
                position += 1
              }
            }
          }
          var decoder = UTF8Decoder(replacing: replacing)
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
          guard bad == nil, consistent else { throw changed }
        }
        guard position == count else { throw changed }
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
