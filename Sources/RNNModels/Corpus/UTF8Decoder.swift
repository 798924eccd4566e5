/// Strict UTF-8 decoding of a byte stream that arrives in chunks of any size (a sequence may be
/// split across chunks). Only the well-formed sequences of Unicode's table 3-7 are accepted:
/// overlong forms, surrogates, values above U+10FFFF and truncated sequences are invalid. An invalid
/// stretch is either reported (its stream byte offset) or, when `replacing`, decoded as one U+FFFD
/// per maximal subpart (the longest prefix of a well-formed sequence, or one byte), which is what
/// `String(decoding:as: UTF8.self)` does.
struct UTF8Decoder {
  /// One decoding step at the start of a byte range.
  enum Step {
    /// A scalar and the bytes it took.
    case scalar(UInt32, Int)
    /// An ill-formed maximal subpart of this many bytes (1–3).
    case invalid(Int)
    /// The bytes given are a proper prefix of a well-formed sequence: more are needed.
    case incomplete
  }

  /// Decode invalid bytes as U+FFFD instead of stopping at them.
  let replacing: Bool
  /// Stream offset of the first byte of the next chunk.
  private(set) var offset = 0
  /// Ill-formed sequences replaced so far.
  private(set) var replacements = 0
  /// A sequence begun at the end of the previous chunk (a proper prefix, 1–3 bytes) in the low
  /// bytes, first byte lowest, and how many bytes it has.
  private var carry: UInt32 = 0
  private var carryCount = 0

  init(replacing: Bool) { self.replacing = replacing }

  /// Decodes the sequence at `p` given `n ≥ 1` readable bytes.
  @inline(__always)
  static func step(_ p: UnsafePointer<UInt8>, _ n: Int) -> Step {
    let b0 = p[0]
    if b0 < 0x80 { return .scalar(UInt32(b0), 1) }
    var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
    let length: Int
    var value: UInt32
    switch b0 {
    case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
    case 0xE0: length = 3; value = 0; lo = 0xA0  // no overlong forms
    case 0xED: length = 3; value = 0xD; hi = 0x9F  // no surrogates
    case 0xE1...0xEF: length = 3; value = UInt32(b0 & 0x0F)
    case 0xF0: length = 4; value = 0; lo = 0x90  // no overlong forms
    case 0xF4: length = 4; value = 4; hi = 0x8F  // nothing above U+10FFFF
    case 0xF1...0xF3: length = 4; value = UInt32(b0 & 0x07)
    default: return .invalid(1)
    }
    for k in 1..<length {
      guard k < n else { return .incomplete }
      let b = p[k]
      guard b >= lo && b <= hi else { return .invalid(k) }
      lo = 0x80
      hi = 0xBF
      value = value << 6 | UInt32(b & 0x3F)
    }
    return .scalar(value, length)
  }

  /// Decodes the next chunk of the stream, calling `body` with each scalar in order. Returns the
  /// stream offset of the first invalid sequence when not `replacing` (decoding stops there), else nil.
  @inline(__always)
  mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) -> Int? {
    guard let p = chunk.baseAddress, chunk.count > 0 else { return nil }
    let n = chunk.count
    var i = 0
    if carryCount > 0 {
      // Finish the carried sequence with the first bytes of this chunk.
      var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
      let take = min(4 - carryCount, n)
      let step = withUnsafeMutableBytes(of: &bytes) { raw -> Step in
        let q = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for k in 0..<carryCount { q[k] = UInt8(truncatingIfNeeded: carry >> (8 * UInt32(k))) }
        for k in 0..<take { q[carryCount + k] = p[k] }
        return Self.step(UnsafePointer(q), carryCount + take)
      }
      let start = offset - carryCount
      switch step {
      case .scalar(let value, let length):
        body(value)
        i = length - carryCount
      case .invalid(let length):
        // The carry is a valid prefix, so the ill-formed subpart is exactly the carry.
        if !replacing { return start }
        replacements += 1
        body(0xFFFD)
        i = length - carryCount
      case .incomplete:
        for k in 0..<take { carry |= UInt32(p[k]) << (8 * UInt32(carryCount + k)) }
        carryCount += take
        offset += n
        return nil
      }
      carry = 0
      carryCount = 0
    }
    while i < n {
      let b = p[i]
      if b < 0x80 {
        body(UInt32(b))
        i += 1
        continue
      }
      switch Self.step(p + i, n - i) {
      case .scalar(let value, let length):
        body(value)
        i += length
      case .invalid(let length):
        if !replacing { return offset + i }
        replacements += 1
        body(0xFFFD)
        i += length
      case .incomplete:
        for k in 0..<(n - i) { carry |= UInt32(p[i + k]) << (8 * UInt32(k)) }
        carryCount = n - i
        i = n
      }
    }
    offset += n
    return nil
  }

  /// Ends the stream: a sequence left unfinished is invalid (reported at its first byte, or
  /// replaced by one U+FFFD).
  mutating func finish(_ body: (UInt32) -> Void) -> Int? {
    guard carryCount > 0 else { return nil }
    let start = offset - carryCount
    carry = 0
    carryCount = 0
    if !replacing { return start }
    replacements += 1
    body(0xFFFD)
    return nil
  }

  /// Decodes a whole buffer; returns the offset of the first invalid sequence, or nil.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, replacing: Bool = false, _ body: (UInt32) -> Void) -> Int? {
    var decoder = UTF8Decoder(replacing: replacing)
    if let bad = decoder.feed(bytes, body) { return bad }
    return decoder.finish(body)
  }
}
