/// Strict UTF-8, the one definition every reader of untrusted text in the project uses (the
/// safetensors header, the command language's lexer and renderer, the corpus reader): only the
/// well-formed sequences of Unicode's table 3-7 (RFC 3629) are accepted. Overlong forms,
/// surrogates (U+D800–U+DFFF), values above U+10FFFF and truncated sequences are ill-formed.
/// No Foundation, no allocation.
public enum StrictUTF8 {
  /// One decoding step at a byte position.
  public enum Step: Sendable, Equatable {
    /// A well-formed scalar's value and the bytes it took (1–4).
    case scalar(UInt32, Int)
    /// An ill-formed maximal subpart of this many bytes (1–3): the longest prefix of a
    /// well-formed sequence, or one byte. One U+FFFD replaces each (as `String(decoding:as:)` does).
    case invalid(Int)
    /// The bytes up to the end are a proper prefix of a well-formed sequence: more are needed.
    case incomplete
  }

  /// Decodes the sequence starting at `i` (`i < bytes.endIndex`).
  @inlinable @inline(__always)
  public static func step<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at i: Int) -> Step
  where Bytes.Index == Int {
    let b0 = bytes[i]
    if b0 < 0x80 { return .scalar(UInt32(b0), 1) }
    var lo: UInt8 = 0x80, hi: UInt8 = 0xBF  // bounds of the next byte, tightened for the second
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
      guard i + k < bytes.endIndex else { return .incomplete }
      let b = bytes[i + k]
      guard b >= lo && b <= hi else { return .invalid(k) }
      lo = 0x80
      hi = 0xBF
      value = value << 6 | UInt32(b & 0x3F)
    }
    return .scalar(value, length)
  }

  /// The well-formed scalar starting at `i` and its length in bytes, or nil when the bytes there
  /// are ill-formed or cut short by the end of `bytes`.
  @inlinable
  public static func scalar<Bytes: RandomAccessCollection<UInt8>>(
    _ bytes: Bytes, at i: Int
  ) -> (scalar: Unicode.Scalar, length: Int)? where Bytes.Index == Int {
    guard case .scalar(let value, let length) = step(bytes, at: i) else { return nil }
    // Valid by construction: the table excludes surrogates and values above U+10FFFF.
    return (Unicode.Scalar(value)!, length)
  }

  /// The offset of the first byte of the first ill-formed or truncated sequence, or nil when all
  /// of `bytes` is well-formed.
  @inlinable
  public static func firstInvalidOffset<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int?
  where Bytes.Index == Int {
    var i = bytes.startIndex
    while i < bytes.endIndex {
      guard case .scalar(_, let length) = step(bytes, at: i) else { return i }
      i += length
    }
    return nil
  }
}
