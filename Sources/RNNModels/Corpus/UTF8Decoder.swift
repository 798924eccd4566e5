/// Strict UTF-8 decoding that reports where the first invalid byte is (overlong forms,
/// surrogates, values above U+10FFFF and truncated sequences are all invalid).
enum UTF8Decoder {
  /// Calls `body` with each scalar in order; returns the byte offset of the first invalid
  /// sequence, or nil when the whole buffer is valid.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
      let b0 = UInt32(bytes[i])
      if b0 < 0x80 {
        body(b0)
        i += 1
        continue
      }
      let length: Int
      let minimum: UInt32
      var value: UInt32
      switch b0 {
      case 0xC2...0xDF: length = 2; minimum = 0x80; value = b0 & 0x1F
      case 0xE0...0xEF: length = 3; minimum = 0x800; value = b0 & 0x0F
      case 0xF0...0xF4: length = 4; minimum = 0x10000; value = b0 & 0x07
      default: return i
      }
      guard i + length <= n else { return i }
      for k in 1..<length {
        let b = UInt32(bytes[i + k])
        guard b & 0xC0 == 0x80 else { return i }
        value = (value << 6) | (b & 0x3F)
      }
      guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return i }
      body(value)
      i += length
    }
    return nil
  }
}
