/// Appends compact JSON text to a byte buffer. Strings are written as UTF-8 with only `"`, `\` and
/// control characters (< U+0020) escaped, which is what the reference Rust writer (serde_json) does.
struct JSONWriter {
  private(set) var bytes: [UInt8] = []

  mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

  mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): raw("\\\"")
      case UInt8(ascii: "\\"): raw("\\\\")
      case 0x0A: raw("\\n")
      case 0x0D: raw("\\r")
      case 0x09: raw("\\t")
      case 0x08: raw("\\b")
      case 0x0C: raw("\\f")
      case 0x00..<0x20:
        let hex = String(b, radix: 16)
        raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      default: bytes.append(b)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func integer(_ n: Int) { raw(String(n)) }

  /// `{"k1":"v1","k2":"v2"}` with keys in ascending order (deterministic output).
  mutating func stringMap(_ map: [String: String]) {
    raw("{")
    for (index, key) in map.keys.sorted().enumerated() {
      if index > 0 { raw(",") }
      string(key)
      raw(":")
      string(map[key]!)
    }
    raw("}")
  }
}
