/// Byte-level byte-pair encoding. Ids `0..<256` are the bytes; merge `i` makes id `256 + i` from a
/// pair of earlier ids, and a token's bytes are its pair's bytes joined. Any UTF-8 text is encoded
/// (a character no merge covers is spelled by its bytes), and `decode(encode(x)) == x` for every
/// string. Encoding pre-tokenizes exactly as training did (`PreTokenizer.byteLevelPieces`) and, in
/// each piece, repeatedly merges every non-overlapping occurrence, left to right, of the adjacent
/// pair with the earliest merge, until no adjacent pair has one.
public struct BPETokenizer: Tokenizer {
  /// One learned merge: the ids of the pair it joins.
  public struct Merge: Sendable, Equatable {
    public let left: Int32
    public let right: Int32
    public init(left: Int32, right: Int32) {
      self.left = left
      self.right = right
    }
  }

  public let merges: [Merge]
  /// Merge index by `left << 32 | right`.
  private let ranks: [UInt64: Int32]
  /// Token `t`'s bytes are `pieces[pieceStarts[t]..<pieceStarts[t + 1]]`.
  private let pieces: [UInt8]
  private let pieceStarts: [Int]

  /// Learns up to `vocabularySize - 256` merges from `text` (see `BPETrainer`); fewer when no pair
  /// is left that occurs `minFrequency` times.
  public init(training text: String, vocabularySize: Int, minFrequency: Int = 2) {
    precondition(vocabularySize >= 256, "a byte-level BPE vocabulary has at least the 256 bytes")
    var text = text
    let merges = text.withUTF8 { BPETrainer.train($0, vocabularySize: vocabularySize, minFrequency: max(1, minFrequency)) }
    self.init(merges: merges)
  }

  /// The tokenizer of `merges`; each must join two earlier ids (the serialised form's reader checks).
  init(merges: [Merge]) {
    self.merges = merges
    var ranks: [UInt64: Int32] = [:]
    ranks.reserveCapacity(merges.count)
    var pieces = (0..<256).map { UInt8($0) }
    var starts = Array(0...256)
    for (i, m) in merges.enumerated() {
      ranks[Self.key(m.left, m.right)] = Int32(i)
      for t in [Int(m.left), Int(m.right)] { pieces += pieces[starts[t]..<starts[t + 1]] }
      starts.append(pieces.count)
    }
    self.ranks = ranks
    self.pieces = pieces
    self.pieceStarts = starts
  }

  @inline(__always)
  static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

  public var kind: TokenizerKind { .bpe }
  public var vocabularySize: Int { 256 + merges.count }

  /// Never fails: every text is spelled by bytes at worst.
  public func encode(_ text: String) -> [Int32] {
    var encoder = makeEncoder()
    var ids: [Int32] = []
    encoder.encode(text, into: &ids)
    return ids
  }

  /// An encoder that remembers the pieces it has encoded, for encoding many texts.
  public func makeEncoder() -> BPEEncoder { BPEEncoder(self) }

  public func pieceBytes(_ id: Int32) -> [UInt8] { Array(pieces[pieceStarts[Int(id)]..<pieceStarts[Int(id) + 1]]) }

  public func decode(_ ids: [Int32]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(ids.count * 4)
    for id in ids { bytes += pieces[pieceStarts[Int(id)]..<pieceStarts[Int(id) + 1]] }
    return String(decoding: bytes, as: UTF8.self)
  }

  public var serialized: String { TokenizerFormat.write(self) }

  public static func == (a: BPETokenizer, b: BPETokenizer) -> Bool { a.merges == b.merges }

  /// Appends the tokens of one piece, `p[0..<n]`, to `out` (`symbols` is scratch space).
  func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [Int32], symbols: inout [Int32]) {
    symbols.removeAll(keepingCapacity: true)
    for i in 0..<n { symbols.append(Int32(p[i])) }
    while symbols.count > 1 {
      var best = Int32.max
      for i in 0..<(symbols.count - 1) {
        if let r = ranks[Self.key(symbols[i], symbols[i + 1])], r < best { best = r }
      }
      guard best != Int32.max else { break }
      let m = merges[Int(best)]
      let token = 256 + best
      var read = 0
      var write = 0
      while read < symbols.count {
        if read + 1 < symbols.count && symbols[read] == m.left && symbols[read + 1] == m.right {
          symbols[write] = token
          read += 2
        } else {
          symbols[write] = symbols[read]
          read += 1
        }
        write += 1
      }
      symbols.removeLast(symbols.count - write)
    }
    out += symbols
  }
}

/// Encodes texts with a `BPETokenizer`, remembering the tokens of each distinct piece (up to
/// `cacheLimit` pieces, then it starts over), so a piece's merges are worked out once.
public struct BPEEncoder {
  public static let cacheLimit = PieceCache.limit
  public let tokenizer: BPETokenizer
  private var cache = PieceCache()
  private var symbols: [Int32] = []

  init(_ tokenizer: BPETokenizer) { self.tokenizer = tokenizer }

  /// Appends the tokens of `text` to `ids`.
  public mutating func encode(_ text: String, into ids: inout [Int32]) {
    var text = text
    text.withUTF8 { encode(utf8: $0, into: &ids) }
  }

  /// Appends the tokens of the well-formed UTF-8 `bytes` to `ids`.
  public mutating func encode(utf8 bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
    guard let base = bytes.baseAddress else { return }
    ids.reserveCapacity(ids.count + bytes.count / 3)
    PreTokenizer.byteLevelPieces(bytes) { range in
      let p = base + range.lowerBound
      let n = range.count
      if n == 1 {
        ids.append(Int32(p[0]))
        return
      }
      if let entry = cache.find(p, n) {
        cache.append(entry, to: &ids)
        return
      }
      let before = ids.count
      tokenizer.encodePiece(p, n, into: &ids, symbols: &symbols)
      cache.remember(p, n, ids[before...])
    }
  }
}

/// The tokens of pieces already encoded, by the bytes of their key (up to `limit` pieces, then it
/// forgets them all and starts over, so its memory is bounded whatever the text). A piece's entry is
/// one `UInt64`: up to three tokens below 65,536 inline (bit 63 set, the count in bits 48–49, the
/// tokens in bits 0–15, 16–31, 32–47), else `start << 32 | count` of its tokens in `cached`. Keys of
/// at most 7 bytes (most pieces) live in a `SmallKeyTable` whose slot holds the entry, so a common
/// piece costs one cache line to look up and write out.
struct PieceCache {
  static let limit = 1 << 17
  private var small = TieredKeyTable(capacity: 1 << 14)
  private var table = ByteSliceTable(capacity: 1 << 12)
  /// The tokens of pieces too long to keep inline, and the entry of each key of `table`.
  private var cached: [Int32] = []
  private var entries: [UInt64] = []

  /// The entry of the piece whose key is `p[0..<n]`, if cached.
  @inline(__always)
  func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
    if let key = SmallKeyTable.key(p, n) { return small.find(key) }
    guard let k = table.find(p, n, hash: ByteSliceTable.hash(p, n)) else { return nil }
    return entries[k]
  }

  /// Caches `tokens` as the tokens of the piece whose key is `p[0..<n]`; returns its entry.
  @discardableResult
  mutating func remember(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: ArraySlice<Int32>) -> UInt64 {
    if small.count + table.count >= Self.limit {
      small.removeAll()
      table.removeAll()
      cached.removeAll(keepingCapacity: true)
      entries.removeAll(keepingCapacity: true)
    }
    let entry: UInt64
    if tokens.count <= 3 && tokens.allSatisfy({ $0 < 65_536 }) {
      var packed = 1 << 63 | UInt64(tokens.count) << 48
      for (i, t) in tokens.enumerated() { packed |= UInt64(t) << (16 * i) }
      entry = packed
    } else {
      entry = UInt64(cached.count) << 32 | UInt64(tokens.count)
      cached += tokens
    }
    if let key = SmallKeyTable.key(p, n) {
      small.set(key, entry)
    } else {
      _ = table.findOrInsert(p, n)
      entries.append(entry)
    }
    return entry
  }

  /// Writes the tokens of `entry` from `out` on; returns how many.
  @inline(__always)
  func write<U: FixedWidthInteger>(_ entry: UInt64, to out: UnsafeMutablePointer<U>) -> Int {
    if entry >> 63 != 0 {
      let count = Int(entry >> 48) & 3
      for i in 0..<count { out[i] = U(truncatingIfNeeded: (entry >> (16 * UInt64(i))) & 0xFFFF) }
      return count
    }
    let (start, count) = (Int(entry >> 32), Int(entry & 0xFFFF_FFFF))
    cached.withUnsafeBufferPointer { c in
      for i in 0..<count { out[i] = U(truncatingIfNeeded: c[start + i]) }
    }
    return count
  }

  /// Appends the tokens of `entry` to `ids`.
  @inline(__always)
  func append(_ entry: UInt64, to ids: inout [Int32]) {
    if entry >> 63 != 0 {
      for i in 0..<(Int(entry >> 48) & 3) { ids.append(Int32((entry >> (16 * UInt64(i))) & 0xFFFF)) }
      return
    }
    let start = Int(entry >> 32)
    ids += cached[start..<start + Int(entry & 0xFFFF_FFFF)]
  }
}
