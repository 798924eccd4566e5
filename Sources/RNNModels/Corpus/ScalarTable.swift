/// The set of Unicode scalars seen in a text: one bit per code point (17,408 words, 136 KiB),
/// so marking a character is one OR, whatever the text's size.
struct ScalarSet {
  private var words = [UInt64](repeating: 0, count: 0x11_0000 / 64)

  @inline(__always)
  mutating func insert(_ scalar: UInt32) {
    words.withUnsafeMutableBufferPointer { $0[Int(scalar >> 6)] |= 1 << UInt64(scalar & 63) }
  }

  /// The members in increasing order.
  var sorted: [UInt32] {
    var out: [UInt32] = []
    for (w, word) in words.enumerated() where word != 0 {
      var bits = word
      while bits != 0 {
        out.append(UInt32(w * 64 + bits.trailingZeroBitCount))
        bits &= bits - 1
      }
    }
    return out
  }
}

/// Token index of a scalar of a vocabulary: a flat table for the Basic Multilingual Plane
/// (256 KiB), a dictionary above it.
struct ScalarIndex {
  static let missing = UInt32.max
  private var basic = [UInt32](repeating: ScalarIndex.missing, count: 0x1_0000)
  private var supplementary: [UInt32: UInt32] = [:]

  /// `scalars[i]` gets index `i`.
  init(_ scalars: [UInt32]) {
    for (i, s) in scalars.enumerated() {
      if s < 0x1_0000 { basic[Int(s)] = UInt32(i) } else { supplementary[s] = UInt32(i) }
    }
  }

  /// The index of `scalar`, or `missing`.
  @inline(__always)
  func callAsFunction(_ scalar: UInt32) -> UInt32 {
    if scalar < 0x1_0000 { return basic.withUnsafeBufferPointer { $0[Int(scalar)] } }
    return supplementary[scalar] ?? Self.missing
  }
}
