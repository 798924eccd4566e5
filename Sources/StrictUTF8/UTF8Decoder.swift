/// Strict UTF-8 decoding (see `StrictUTF8`) of a byte stream that arrives in chunks of any size
/// (a sequence may be split across chunks). An ill-formed stretch is either reported (its stream
/// byte offset) or, when `replacing`, decoded as one U+FFFD per maximal subpart, which is what
/// `String(decoding:as: UTF8.self)` does.
///
/// `feed` is `@inlinable` so that the corpus reader's per-scalar closure is inlined into its loop.
public struct UTF8Decoder {
  /// Decode ill-formed bytes as U+FFFD instead of stopping at them.
  public let replacing: Bool
  /// Ill-formed sequences replaced so far.
  public var replacements: Int { replaced }

  /// Stream offset of the first byte of the next chunk.
  @usableFromInline var nextOffset = 0
  @usableFromInline var replaced = 0
  /// A sequence begun at the end of the previous chunk (a proper prefix, 1–3 bytes) in the low
  /// bytes, first byte lowest, and how many bytes it has.
  @usableFromInline var carry: UInt32 = 0
  @usableFromInline var carryCount = 0

  public init(replacing: Bool) { self.replacing = replacing }

  /// Decodes the next chunk of the stream, calling `body` with each scalar in order. Returns the
  /// stream offset of the first ill-formed sequence when not `replacing` (decoding stops there),
  /// else nil.
  @inlinable @inline(__always)
  public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) -> Int? {
    guard chunk.count > 0 else { return nil }
    let n = chunk.count
    var i = 0
    if carryCount > 0 {
      switch finishCarry(chunk) {
      case .scalar(let value, let length):
        body(value)
        i = length - carryCount
      case .invalid(let length):
        // The carry is a well-formed prefix, so the ill-formed subpart is exactly the carry.
        if !replacing { return nextOffset - carryCount }
        replaced += 1
        body(0xFFFD)
        i = length - carryCount
      case .incomplete:
        let take = min(4 - carryCount, n)
        for k in 0..<take { carry |= UInt32(chunk[k]) << (8 * UInt32(carryCount + k)) }
        carryCount += take
        nextOffset += n
        return nil
      }
      carry = 0
      carryCount = 0
    }
    while i < n {
      let b = chunk[i]
      if b < 0x80 {
        body(UInt32(b))
        i += 1
        continue
      }
      switch StrictUTF8.step(chunk, at: i) {
      case .scalar(let value, let length):
        body(value)
        i += length
      case .invalid(let length):
        if !replacing { return nextOffset + i }
        replaced += 1
        body(0xFFFD)
        i += length
      case .incomplete:
        for k in 0..<(n - i) { carry |= UInt32(chunk[i + k]) << (8 * UInt32(k)) }
        carryCount = n - i
        i = n
      }
    }
    nextOffset += n
    return nil
  }

  /// The step for the carried bytes followed by the first bytes of `chunk`.
  @inlinable
  func finishCarry(_ chunk: UnsafeBufferPointer<UInt8>) -> StrictUTF8.Step {
    var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    let take = min(4 - carryCount, chunk.count)
    return withUnsafeMutableBytes(of: &bytes) { raw in
      for k in 0..<carryCount { raw[k] = UInt8(truncatingIfNeeded: carry >> (8 * UInt32(k))) }
      for k in 0..<take { raw[carryCount + k] = chunk[k] }
      return StrictUTF8.step(UnsafeRawBufferPointer(rebasing: raw[0..<(carryCount + take)]), at: 0)
    }
  }

  /// Ends the stream: a sequence left unfinished is ill-formed (reported at its first byte, or
  /// replaced by one U+FFFD).
  public mutating func finish(_ body: (UInt32) -> Void) -> Int? {
    guard carryCount > 0 else { return nil }
    let start = nextOffset - carryCount
    carry = 0
    carryCount = 0
    if !replacing { return start }
    replaced += 1
    body(0xFFFD)
    return nil
  }

  /// Decodes a whole buffer; returns the offset of the first ill-formed sequence, or nil.
  public static func decode(
    _ bytes: UnsafeBufferPointer<UInt8>, replacing: Bool = false, _ body: (UInt32) -> Void
  ) -> Int? {
    var decoder = UTF8Decoder(replacing: replacing)
    if let bad = decoder.feed(bytes, body) { return bad }
    return decoder.finish(body)
  }
}
