/// Strict UTF-8 validation (RFC 3629): no overlong forms, no UTF-16 surrogates (U+D800–U+DFFF),
/// nothing above U+10FFFF, no truncated sequences.
enum UTF8Validation {
  /// Returns the offset of the first byte that does not start or continue a well-formed sequence,
  /// or `nil` when the whole buffer is valid UTF-8.
  static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
      let b0 = bytes[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80  // bounds for the second byte, tightened to exclude overlongs etc.
      var upper: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: length = 2
      case 0xE0: length = 3; lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: length = 3; upper = 0x9F
      case 0xF0: length = 4; lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4: length = 4; upper = 0x8F
      default: return i
      }
      guard i + 1 < n, bytes[i + 1] >= lower, bytes[i + 1] <= upper else { return i }
      var k = 2
      while k < length {
        guard i + k < n, bytes[i + k] & 0xC0 == 0x80 else { return i }
        k += 1
      }
      i += length
    }
    return nil
  }
}
