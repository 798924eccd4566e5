#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A text prepared for training: its vocabulary, its tokens, and contiguous train / validation /
/// test splits (in that order, by fraction of the characters).
public struct Corpus: Sendable {
  /// Where it came from (a path, or a label for in-memory text).
  public let source: String
  public let vocabulary: Vocabulary
  /// Every character of the text as tokens.
  public let tokens: TokenSequence
  public let splits: CorpusSplits
  /// The fractions the splits were cut with.
  public let fractions: SplitFractions
  /// FNV-1a 64 of the UTF-8 bytes: tells a checkpoint whether it is trained on the same text.
  public let fingerprint: UInt64
  /// Size of the file in bytes.
  public let byteCount: Int

  /// A corpus of in-memory `text`.
  public init(text: String, source: String = "<text>", fractions: SplitFractions = .init()) throws(CorpusError) {
    var bytes = Array(text.utf8)
    self = try bytes.withUnsafeMutableBufferPointer { buffer throws(CorpusError) in
      try Corpus(utf8: UnsafeBufferPointer(buffer), source: source, fractions: fractions)
    }
  }

  /// Decodes and tokenizes UTF-8 bytes.
  public init(utf8 bytes: UnsafeBufferPointer<UInt8>, source: String, fractions: SplitFractions) throws(CorpusError) {
    guard bytes.count > 0 else { throw .empty(path: source) }
    var seen = Set<UInt32>()
    var scalars: [UInt32] = []
    scalars.reserveCapacity(bytes.count)
    if let bad = UTF8Decoder.decode(bytes, { scalars.append($0); seen.insert($0) }) {
      throw .invalidUTF8(path: source, byteOffset: bad)
    }
    let vocabulary = Vocabulary(scalars: seen.map { Unicode.Scalar($0)! })
    var index: [UInt32: Int32] = [:]
    for (i, s) in vocabulary.scalars.enumerated() { index[s.value] = Int32(i) }
    let tokens = scalars.map { index[$0]! }
    self.source = source
    self.vocabulary = vocabulary
    self.tokens = TokenSequence(tokens: tokens, vocabularySize: vocabulary.count)
    self.splits = try CorpusSplits(count: tokens.count, fractions: fractions)
    self.fractions = fractions
    self.fingerprint = Corpus.fnv1a(bytes)
    self.byteCount = bytes.count
  }

  /// Reads and prepares the UTF-8 text file at `path`.
  public static func load(path: String, fractions: SplitFractions = .init()) throws(CorpusError) -> Corpus {
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw .fileNotFound(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    let size = Int(info.st_size)
    guard size > 0 else { throw .empty(path: path) }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    let failure: String? = bytes.withUnsafeMutableBytes { raw in
      while done < size {
        let n = read(fd, raw.baseAddress! + done, size - done)
        if n < 0 {
          if errno == EINTR { continue }
          return String(cString: strerror(errno))
        }
        if n == 0 { break }
        done += n
      }
      return nil
    }
    if let failure { throw .unreadable(path: path, reason: failure) }
    return try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in
      try Corpus(utf8: UnsafeBufferPointer(rebasing: buffer[0..<done]), source: path, fractions: fractions)
    }
  }

  /// The tokens of one split.
  public func tokens(of split: CorpusSplits.Name) -> TokenSequence { tokens.slice(splits.range(split)) }

  static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      hash ^= UInt64(b)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
