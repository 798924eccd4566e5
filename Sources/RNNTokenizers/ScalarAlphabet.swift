/// The alphabet of a text held as character ids (a corpus's tokens: id `i` is the `i`-th scalar in
/// code-point order), with what pre-tokenization and byte-level BPE need per id: its class, its
/// ASCII code, its UTF-8 bytes. With it a BPE is learned on, and encodes, such a text directly, in
/// the same pieces as the UTF-8 text it spells, without writing that text out.
public struct ScalarAlphabet: Sendable {
  public let scalars: [Unicode.Scalar]
  /// Per id: the scalar's class, and its ASCII code (0x80 when it is not ASCII).
  let classes: [ScalarClass]
  let codes: [UInt8]
  /// Id `i`'s UTF-8 bytes are `utf8[utf8Starts[i]..<utf8Starts[i + 1]]`.
  let utf8: [UInt8]
  let utf8Starts: [Int32]
  /// The most UTF-8 bytes of any id (1 to 4; 1 for an empty alphabet).
  let maxUTF8Length: Int

  public init(scalars: [Unicode.Scalar]) {
    self.scalars = scalars
    classes = scalars.map { ScalarClass.classify($0.value) }
    codes = scalars.map { $0.isASCII ? UInt8($0.value) : 0x80 }
    var utf8: [UInt8] = []
    var starts: [Int32] = [0]
    for s in scalars {
      utf8 += String(s).utf8
      starts.append(Int32(utf8.count))
    }
    self.utf8 = utf8
    utf8Starts = starts
    maxUTF8Length = max(1, zip(starts, starts.dropFirst()).map { Int($1 - $0) }.max() ?? 1)
  }

  /// Calls `body` with each byte-level piece of `text` (`PreTokenizer.byteLevelPieces`) as a
  /// pointer to its first id and its length in ids. Every id must be below `scalars.count`.
  @inline(__always)
  func forEachPiece<T: FixedWidthInteger & UnsignedInteger>(
    of text: UnsafeBufferPointer<T>, _ body: (UnsafePointer<T>, Int) -> Void
  ) {
    guard let p = text.baseAddress else { return }
    classes.withUnsafeBufferPointer { classes in
      codes.withUnsafeBufferPointer { codes in
        let units = SymbolUnits(p: p, count: text.count, classes: classes.baseAddress!, codes: codes.baseAddress!)
        PreTokenizer.byteLevelPieces(units) { range in body(p + range.lowerBound, range.count) }
      }
    }
  }

  /// Calls `body` with the bytes of `ids[0..<n]` in memory: a piece's key in a `ByteSliceTable`.
  @inline(__always)
  static func withKey<T: FixedWidthInteger & UnsignedInteger, R>(
    _ ids: UnsafePointer<T>, _ n: Int, _ body: (UnsafePointer<UInt8>, Int) -> R
  ) -> R {
    let size = n * MemoryLayout<T>.stride
    return UnsafeRawPointer(ids).withMemoryRebound(to: UInt8.self, capacity: size) { body($0, size) }
  }

  /// Calls `body` with each UTF-8 byte of id `id`'s scalar.
  @inline(__always)
  func forEachByte<T: FixedWidthInteger & UnsignedInteger>(of id: T, _ body: (UInt8) -> Void) {
    let i = Int(id)
    for k in Int(utf8Starts[i])..<Int(utf8Starts[i + 1]) { body(utf8[k]) }
  }

  /// `text` cut into consecutive chunks of about `length` ids (at least 1), each cut at a piece
  /// boundary: the first id after a cut is whitespace and the one before it is not, so the piece
  /// before the cut ends there (a run of letters, numbers or other characters, or a contraction,
  /// stops at whitespace) and pre-tokenizing each chunk gives exactly the pieces of the whole text.
  /// A cut is looked for from `length` ids on; a text with no such place stays one chunk.
  public func chunks(of text: SymbolText, length: Int) -> [SymbolText] {
    switch text {
    case .bytes(let b): chunks(of: b, length: length).map(SymbolText.bytes)
    case .halfwords(let b): chunks(of: b, length: length).map(SymbolText.halfwords)
    case .words(let b): chunks(of: b, length: length).map(SymbolText.words)
    }
  }

  private func chunks<T: FixedWidthInteger & UnsignedInteger>(
    of text: UnsafeBufferPointer<T>, length: Int
  ) -> [UnsafeBufferPointer<T>] {
    var result: [UnsafeBufferPointer<T>] = []
    var start = 0
    classes.withUnsafeBufferPointer { classes in
      while text.count - start > length {
        var cut = start + max(1, length)
        while cut < text.count
          && !(classes[Int(text[cut])] == .whitespace && classes[Int(text[cut - 1])] != .whitespace)
        {
          cut += 1
        }
        guard cut < text.count else { break }
        result.append(UnsafeBufferPointer(rebasing: text[start..<cut]))
        start = cut
      }
    }
    if start < text.count || result.isEmpty { result.append(UnsafeBufferPointer(rebasing: text[start...])) }
    return result
  }
}
