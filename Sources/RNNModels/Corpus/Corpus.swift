#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A text prepared for training: its vocabulary, its tokens, and contiguous train / validation /
/// test splits (in that order, by fraction of the characters).
///
/// Loading streams the bytes twice through a fixed buffer (see `Corpus+Reading.swift`), so the
/// memory a corpus needs is its token array (one byte per character when the vocabulary has at most
/// 256 symbols) plus a constant, whatever the file's size.
public struct Corpus: Sendable {
  /// Where it came from (a path, or a label for in-memory text).
  public let source: String
  public let vocabulary: Vocabulary
  /// Every character of the text as tokens.
  public let tokens: TokenSequence
  public let splits: CorpusSplits
  /// The fractions the splits were cut with.
  public let fractions: SplitFractions
  /// FNV-1a 64 of the UTF-8 bytes (as read, before any replacement): tells a checkpoint whether it
  /// is trained on the same text.
  public let fingerprint: UInt64
  /// Size of the text in bytes (the files' bytes and the separators between them).
  public let byteCount: Int
  /// Ill-formed UTF-8 sequences decoded as U+FFFD (only with `InvalidUTF8Handling.replace`).
  public let replacedSequences: Int
  /// Documents joined into the text (1 for a single file).
  public let documentCount: Int
  /// The word or BPE tokenization of the text, or nil when its tokens are its characters.
  public let tokenization: Tokenization?
  /// Files left out because they are not UTF-8 (only with `InvalidUTF8Handling.skip`), as named in messages.
  public let skippedFiles: [String]

  /// A corpus of in-memory `text`.
  public init(text: String, source: String = "<text>", fractions: SplitFractions = .init()) throws(CorpusError) {
    let bytes = Array(text.utf8)
    self = try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in
      try Corpus(utf8: buffer, source: source, fractions: fractions)
    }
  }

  /// Decodes and tokenizes UTF-8 bytes.
  public init(
    utf8 bytes: UnsafeBufferPointer<UInt8>, source: String, fractions: SplitFractions,
    invalidUTF8: InvalidUTF8Handling = .error
  ) throws(CorpusError) {
    try self.init(
      reading: MemoryByteSource(bytes: bytes), label: source, fractions: fractions, invalidUTF8: invalidUTF8,
      chunkSize: Corpus.readSize)
  }

  /// Reads and prepares the UTF-8 text file at `path`, streaming it (memory: the token array plus
  /// a 1 MiB buffer). Messages name the file as `source` (default: `path`).
  public static func load(
    path: String, source: String? = nil, fractions: SplitFractions = .init(),
    invalidUTF8: InvalidUTF8Handling = .error
  ) throws(CorpusError) -> Corpus {
    try load(path: path, source: source, fractions: fractions, invalidUTF8: invalidUTF8, chunkSize: readSize)
  }

  /// `load` with the read size given (tests use tiny ones to put sequences across chunk boundaries).
  static func load(
    path: String, source: String?, fractions: SplitFractions, invalidUTF8: InvalidUTF8Handling, chunkSize: Int
  ) throws(CorpusError) -> Corpus {
    let label = source ?? path
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw .fileNotFound(path: label) }
      throw .unreadable(path: label, reason: String(cString: strerror(errno)))
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      let directory = (info.st_mode & S_IFMT) == S_IFDIR
      throw .unreadable(path: label, reason: directory ? "is a directory, not a regular file" : "not a regular file")
    }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .unreadable(path: label, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    return try Corpus(
      reading: FileByteSource(descriptor: fd, path: label), label: label, fractions: fractions,
      invalidUTF8: invalidUTF8, chunkSize: chunkSize)
  }

  /// The tokens of one split (a view: nothing is copied).
  public func tokens(of split: CorpusSplits.Name) -> TokenSequence { tokens.slice(splits.range(split)) }

  static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

  /// FNV-1a 64 of `bytes`, continuing from `hash` (the offset basis for a fresh hash).
  static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, from hash: UInt64 = fnvOffsetBasis) -> UInt64 {
    var hash = hash
    for b in bytes {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
