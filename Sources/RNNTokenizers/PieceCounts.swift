/// The distinct byte-level pieces of a text held as character ids (`ScalarAlphabet`) and how often
/// each occurs, in order of first appearance: what `BPETrainer` learns from. Pieces of one ASCII
/// character are left out: one byte has no pair to merge, and the merges depend only on the pairs'
/// counts (ties broken by ids, never by a piece's place), so they are what counting them would give. A piece is keyed by its
/// ids' bytes (one, two or four per id, the same for every text counted into one value): keys of at
/// most 7 bytes in a `SmallKeyTable` (one cache line per lookup), longer ones in a `ByteSliceTable`.
///
/// Counting can also record the text as a stream of its pieces (`init(recording: true)`), so that
/// the text is encoded from it once the merges are learned, with no second pre-tokenization and no
/// lookup: two bytes per piece (`stream`).
///
/// Counting is split-friendly: `ScalarAlphabet.chunks` cuts a text at piece boundaries, each chunk
/// can be counted into its own value (on its own thread), and `add` merges them in chunk order into
/// exactly what counting the whole text at once gives (same pieces, same order, same counts).
public struct PieceCounts {
  private var small = TieredKeyTable(capacity: 1 << 14)
  private var long = ByteSliceTable(capacity: 1 << 12)
  /// Per key of `long`, its piece.
  private var longIndex: [Int] = []
  /// Piece `w`'s key is `keys[keyStarts[w]..<keyStarts[w + 1]]`; it occurs `frequency[w]` times.
  private(set) var keys: [UInt8] = []
  private(set) var keyStarts = [0]
  private(set) var frequency: [Int] = []
  /// Bytes per id of the texts counted (0 before the first).
  private(set) var width = 0
  /// When recording, the pieces counted, in order: a piece of one ASCII character as its code
  /// (0–127), piece `w` as `v = 128 + w`, one unit when `v < 0x8000`, else two:
  /// `0x8000 | v >> 16` and `v & 0xFFFF`.
  private(set) var stream: [UInt16] = []
  /// Pieces of one ASCII character seen (recorded in `stream`, never counted in `frequency`).
  private(set) var singles = 0
  let recording: Bool

  /// Counts that record the pieces as a stream when `recording`.
  public init(recording: Bool = false) { self.recording = recording }

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
  /// Returns, per piece of `other`, its piece here.
  @discardableResult
  public mutating func add(_ other: PieceCounts) -> [Int] {
    guard other.width != 0 else { return [] }
    if width == 0 { width = other.width }
    precondition(width == other.width, "pieces counted over ids of different widths")
    return other.keys.withUnsafeBufferPointer { k in
      (0..<other.count).map { w in
        let start = other.keyStarts[w]
        return add(k.baseAddress! + start, other.keyStarts[w + 1] - start, times: other.frequency[w])
      }
    }
  }

  /// The UTF-8 bytes of every piece, back to back: piece `w`'s are `bytes[starts[w]..<starts[w + 1]]`.
  func utf8(alphabet: ScalarAlphabet) -> (bytes: [UInt8], starts: [Int]) {
    switch width {
    case 2: utf8(alphabet: alphabet, as: UInt16.self)
    case 4: utf8(alphabet: alphabet, as: UInt32.self)
    default: utf8(alphabet: alphabet, as: UInt8.self)
    }
  }

  private func utf8<T: FixedWidthInteger & UnsignedInteger>(alphabet: ScalarAlphabet, as: T.Type) -> ([UInt8], [Int]) {
    var bytes: [UInt8] = []
    var starts = [0]
    keys.withUnsafeBytes { raw in
      for w in 0..<count {
        for offset in stride(from: keyStarts[w], to: keyStarts[w + 1], by: MemoryLayout<T>.stride) {
          alphabet.forEachByte(of: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) { bytes.append($0) }
        }
        starts.append(bytes.count)
      }
    }
    return (bytes, starts)
  }

  private mutating func count<T: FixedWidthInteger & UnsignedInteger>(
    _ text: UnsafeBufferPointer<T>, alphabet: ScalarAlphabet
  ) {
    guard !text.isEmpty else { return }
    if width == 0 { width = MemoryLayout<T>.stride }
    precondition(width == MemoryLayout<T>.stride, "pieces counted over ids of different widths")
    alphabet.codes.withUnsafeBufferPointer { codes in
      alphabet.forEachPiece(of: text) { ids, n in
        if n == 1 && codes[Int(ids[0])] < 0x80 {
          if recording {
            stream.append(UInt16(codes[Int(ids[0])]))
            singles += 1
          }
          return
        }
        let w = ScalarAlphabet.withKey(ids, n) { p, size in add(p, size, times: 1) }
        if recording { record(w) }
      }
    }
  }

  /// Appends piece `w` to `stream`.
  @inline(__always)
  private mutating func record(_ w: Int) {
    let v = 128 + w
    if v < 0x8000 {
      stream.append(UInt16(v))
    } else {
      precondition(v < 1 << 31, "too many distinct pieces to record")
      stream.append(UInt16(0x8000 | v >> 16))
      stream.append(UInt16(truncatingIfNeeded: v))
    }
  }

  /// Adds `times` occurrences of the piece whose key is `p[0..<size]`; returns its index.
  @inline(__always) @discardableResult
  private mutating func add(_ p: UnsafePointer<UInt8>, _ size: Int, times: Int) -> Int {
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
    return w
  }
}
