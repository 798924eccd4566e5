/// The four classes pre-tokenization splits text by: letters (with their combining marks), numbers,
/// whitespace, and everything else (punctuation, symbols, controls).
enum ScalarClass: UInt8 {
  /// General categories L* and M*.
  case letter
  /// General categories N* (Nd, Nl, No).
  case number
  /// Unicode's White_Space property (what regular expressions call `\s`).
  case whitespace
  case other

  /// The classes of the 128 ASCII bytes, so the common case is one table load.
  static let ascii: [ScalarClass] = (0..<128).map { classify(UInt32($0)) }

  /// The class of any scalar (slow path: Unicode properties).
  static func classify(_ value: UInt32) -> ScalarClass {
    guard let scalar = Unicode.Scalar(value) else { return .other }
    let properties = scalar.properties
    if properties.isWhitespace { return .whitespace }
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return .other
    }
  }
}

/// Reading scalars from UTF-8 that is known to be well formed (a Swift `String`'s bytes): the
/// length follows from the lead byte, nothing is checked.
enum ValidUTF8 {
  /// Bytes of the sequence whose lead byte is `lead`.
  @inline(__always)
  static func length(lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
  }

  /// The scalar at `p[i]` and its length, for well-formed input of `n` bytes.
  @inline(__always)
  static func scalar(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(p[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
      return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
    }
    let v = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
    return (v, 4)
  }

  /// The class and byte length of the scalar at `p[i]`.
  @inline(__always)
  static func classAt(_ p: UnsafePointer<UInt8>, _ i: Int) -> (ScalarClass, Int) {
    let b = p[i]
    if b < 0x80 { return (ScalarClass.ascii[Int(b)], 1) }
    let (value, length) = scalar(p, i)
    return (ScalarClass.classify(value), length)
  }
}
