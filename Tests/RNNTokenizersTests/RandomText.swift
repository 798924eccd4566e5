import RNNTokenizers

/// Seeded random texts that mix the hard cases of Unicode: ASCII, combining marks, emoji with
/// zero-width joiners and modifiers, Korean syllables and jamo, CRLF, NUL, controls, private-use and
/// noncharacter code points up to U+10FFFF.
struct RandomText {
  /// SplitMix64, so the texts are the same on every machine.
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % UInt64(bound))
  }

  static let fragments: [String] = [
    "e\u{301}", "a\u{308}\u{304}", "\u{300}", "👨‍👩‍👧‍👦", "👍🏽", "🏳️‍🌈", "❤️", "한국어", "\u{1100}\u{1161}\u{11A8}", "안녕하세요",
    "\r\n", "\r", "\n", "\0", "\t", "\u{7F}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{E000}", "\u{FFFE}", "\u{FFFF}",
    "\u{10FFFF}", "\u{1F600}", "'s", "'ll", " the", "  ", "...", "123", "٣٤", "Ⅻ", "ﬁ", "ß", "İ", "日本語",
  ]

  /// A string of `length` pieces: single random scalars (any plane, no surrogates) and fragments.
  mutating func string(length: Int) -> String {
    var s = ""
    for _ in 0..<length {
      switch next(4) {
      case 0: s += Self.fragments[next(Self.fragments.count)]
      case 1: s.unicodeScalars.append(Unicode.Scalar(UInt8(32 + next(95))))
      case 2: s += ["hello", "world", "To", "be", "or", "not", " ", " ", "\n"][next(9)]
      default: s.unicodeScalars.append(scalar())
      }
    }
    return s
  }

  /// Any scalar, weighted towards the BMP.
  mutating func scalar() -> Unicode.Scalar {
    while true {
      let value = next(4) == 0 ? UInt32(next(0x11_0000)) : UInt32(next(0x1_0000))
      if let s = Unicode.Scalar(value) { return s }
    }
  }
}
