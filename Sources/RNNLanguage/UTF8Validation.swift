/// Byte-level UTF-8 checks used by the lexer and the renderer (no Foundation, no allocation).
enum UTF8Validation {
  /// The length (1–4) of the well-formed scalar starting at `i`, or `nil` if the bytes there are not
  /// valid UTF-8 (overlong forms, surrogates and values above U+10FFFF are invalid).
  static func scalarLength<C: RandomAccessCollection<UInt8>>(_ bytes: C, at i: C.Index) -> Int?
  where C.Index == Int {
    let b0 = bytes[i]
    if b0 < 0x80 { return 1 }
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch b0 {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      high = 0x9F
    case 0xF0:
      length = 4
      low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      high = 0x8F
    default: return nil
    }
    guard i + length <= bytes.endIndex else { return nil }
    let b1 = bytes[i + 1]
    guard b1 >= low && b1 <= high else { return nil }
    for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return nil }
    return length
  }

  /// Decodes a scalar already validated by ``scalarLength(_:at:)``.
  static func decode<C: RandomAccessCollection<UInt8>>(_ bytes: C, at i: C.Index, length: Int)
    -> Unicode.Scalar
  where C.Index == Int {
    var value: UInt32
    switch length {
    case 1: return Unicode.Scalar(bytes[i])
    case 2: value = UInt32(bytes[i] & 0x1F)
    case 3: value = UInt32(bytes[i] & 0x0F)
    default: value = UInt32(bytes[i] & 0x07)
    }
    for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }
}
