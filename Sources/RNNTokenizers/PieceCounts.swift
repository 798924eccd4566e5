/// The distinct byte-level pieces of a text held as character ids (`ScalarAlphabet`) and how often
/// each occurs, in order of first appearance: what `BPETrainer` learns from. Pieces of one ASCII
/// character are left out: one byte has no pair to merge, and the merges depend only on the pairs'
/// counts (ties broken by ids, never by a piece's place), so they are what counting them would give. A piece is keyed by its
/// ids' bytes (one, two or four per id, the same for every text counted into one value): keys of at
/// most 7 bytes in a `SmallKeyTable` (one cache line per lookup), longer ones in a `ByteSliceTable`.
///
/// Counting is split-friendly: `ScalarAlphabet.chunks` cuts a text at piece boundaries, each chunk
/// can be counted into its own value (on its own thread), and `add` merges them in chunk order into
/// exactly what counting the whole text at once gives (same pieces, same order, same counts).
public struct PieceCounts {
  private var small = SmallKeyTable(capacity: 1 << 14)
  private var long = ByteSliceTable(capacity: 1 << 12)
  /// Per key of `long`, its piece.
  private var longIndex: [Int] = []
  /// Piece `w`'s key is `keys[keyStarts[w]..<keyStarts[w + 1]]`; it occurs `frequency[w]` times.
  private(set) var keys: [UInt8] = []
  private(set) var keyStarts = [0]
  private(set) var frequency: [Int] = []
  /// Bytes per id of the texts counted (0 before the first).
  private(set) var width = 0

  public init() {}

  /// Number of distinct pieces.
  public var count: Int { frequency.count }

  /// Total occurrences of the pieces counted.
  public var total: Int { frequency.reduce(0, +) }

  /// Counts the pieces of `text` (`PreTokenizer.byteLevelPieces` over its ids) in `alphabet`.
  public mutating func count(_ text: SymbolText, alphabet: ScalarAlphabet) {
    switch text {
    case .bytes(let b): count(b, alphabet: alphabet)
    case .halfwords(let b): count(b, alphabet: alphabet)
    case .words(let b): count(b, alphabet: alphabet)
    }
  }

  /// The counts of `text`'s pieces, on `threads` chunks of it at once (`BPETokenizer`'s training
  /// initializer tells how), merged in order.
  static func counting(_ text: SymbolText, alphabet: ScalarAlphabet, threads: Int, run: PartRunner) -> PieceCounts {
    let chunks = threads > 1 ? alphabet.chunks(of: text, length: (text.count + threads - 1) / threads) : [text]
    var parts = chunks.map { _ in PieceCounts() }
    parts.withUnsafeMutableBufferPointer { parts in
      run(chunks.count) { i in parts[i].count(chunks[i], alphabet: alphabet) }
    }
    var total = parts[0]
    for part in parts.dropFirst() { total.add(part) }
    return total
  }

  /// Adds `other`'s counts: its pieces new to this value follow this value's, in `other`'s order.
  /// Counting a text, then adding the counts of the text after it, is counting both at once.
  public mutating func add(_ other: PieceCounts) {
    guard other.width != 0 else { return }
    if width == 0 { width = other.width }
    precondition(width == other.width, "pieces counted over ids of different widths")
    other.keys.withUnsafeBufferPointer { k in
      for w in 0..<other.count {
        let start = other.keyStarts[w]
        add(k.baseAddress! + start, other.keyStarts[w + 1] - start, times: other.frequency[w])
      }
    }
  }

  private mutating func count<T: FixedWidthInteger & UnsignedInteger>(
    _ text: UnsafeBufferPointer<T>, alphabet: ScalarAlphabet
  ) {
    guard !text.isEmpty else { return }
    if width == 0 { width = MemoryLayout<T>.stride }
    precondition(width == MemoryLayout<T>.stride, "pieces counted over ids of different widths")
    alphabet.codes.withUnsafeBufferPointer { codes in
      alphabet.forEachPiece(of: text) { ids, n in
        if n == 1 && codes[Int(ids[0])] < 0x80 { return }
        ScalarAlphabet.withKey(ids, n) { p, size in add(p, size, times: 1) }
      }
    }
  }

  /// Adds `times` occurrences of the piece whose key is `p[0..<size]`.
  @inline(__always)
  private mutating func add(_ p: UnsafePointer<UInt8>, _ size: Int, times: Int) {
    var w: Int
    if let key = SmallKeyTable.key(p, size) {
      if let v = small.find(key) {
        w = Int(v)
      } else {
        w = frequency.count
        small.set(key, UInt64(w))
      }
    } else {
      let (k, inserted) = long.findOrInsert(p, size)
      if inserted { longIndex.append(frequency.count) }
      w = longIndex[k]
    }
    if w == frequency.count {
      frequency.append(0)
      keys.append(contentsOf: UnsafeBufferPointer(start: p, count: size))
      keyStarts.append(keys.count)
    }
    frequency[w] += times
  }
}
