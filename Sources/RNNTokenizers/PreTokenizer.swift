/// Splitting text into the pieces tokens never cross, over its UTF-8 bytes.
enum PreTokenizer {
  /// The pieces of byte-level BPE, GPT-2's pattern
  /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, except that
  /// combining marks count as letters (so "é" written as e + U+0301 stays one piece): a contraction;
  /// else an optional space and a run of letters, of numbers or of other characters; else a run of
  /// whitespace, leaving its last character to the next piece when one follows. Calls `body` with
  /// each piece's byte range, in order; the pieces tile the text.
  @inline(__always)
  static func byteLevelPieces(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
    guard let p = text.baseAddress else { return }
    ScalarClass.ascii.withUnsafeBufferPointer { table in
      byteLevelPieces(UTF8Units(p: p, count: text.count, ascii: table.baseAddress!), body)
    }
  }

  /// `byteLevelPieces` over any text of units (UTF-8 bytes, or a corpus's character ids): the one
  /// implementation of the rules, so both spellings of a text give the same pieces. Ranges are in units.
  @inline(__always)
  static func byteLevelPieces<Units: PieceUnits>(_ u: Units, _ body: (Range<Int>) -> Void) {
    let n = u.count
    var i = 0
    while i < n {
      let start = i
      if u.ascii(i) == 0x27, let length = contraction(u, i, n) {
        body(i..<i + length)
        i += length
        continue
      }
      var (cls, length) = u.classAt(i)
      var j = i
      if u.ascii(i) == 0x20 && i + 1 < n {
        let (next, nextLength) = u.classAt(i + 1)
        if next != .whitespace { (j, cls, length) = (i + 1, next, nextLength) }
      }
      if cls != .whitespace {
        j += length
        while j < n {
          let (c, l) = u.classAt(j)
          guard c == cls else { break }
          j += l
        }
        body(start..<j)
        i = j
        continue
      }
      var end = i + length
      var last = i
      while end < n {
        let (c, l) = u.classAt(end)
        guard c == .whitespace else { break }
        last = end
        end += l
      }
      if end < n && last > i { end = last }
      body(i..<end)
      i = end
    }
  }

  /// Length in units of the English contraction ('s 't 'm 'd 're 've 'll) at unit `i` (an
  /// apostrophe), if any. Its letters are ASCII, so a unit is a character here for either kind of units.
  @inline(__always)
  static func contraction<Units: PieceUnits>(_ u: Units, _ i: Int, _ n: Int) -> Int? {
    guard i + 1 < n else { return nil }
    switch u.ascii(i + 1) {
    case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return 2
    case UInt8(ascii: "r"), UInt8(ascii: "v"):
      return i + 2 < n && u.ascii(i + 2) == UInt8(ascii: "e") ? 3 : nil
    case UInt8(ascii: "l"):
      return i + 2 < n && u.ascii(i + 2) == UInt8(ascii: "l") ? 3 : nil
    default: return nil
    }
  }

  /// The pieces of the word tokenizer: a run of letters (with their marks), a run of numbers, a run
  /// of whitespace, or one other character (punctuation, symbol, control). The pieces tile the text.
  static func wordPieces(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
    guard let p = text.baseAddress else { return }
    let n = text.count
    var i = 0
    while i < n {
      let (cls, length) = ValidUTF8.classAt(p, i)
      var j = i + length
      if cls != .other {
        while j < n {
          let (c, l) = ValidUTF8.classAt(p, j)
          guard c == cls else { break }
          j += l
        }
      }
      body(i..<j)
      i = j
    }
  }
}

/// A text as units the pre-tokenizer walks: each scalar is one or more units.
protocol PieceUnits {
  /// Units in the text.
  var count: Int { get }
  /// The class of the scalar starting at unit `i`, and its length in units.
  func classAt(_ i: Int) -> (ScalarClass, Int)
  /// The ASCII code of the scalar at unit `i`, or a value of 0x80 or above when it is not ASCII.
  func ascii(_ i: Int) -> UInt8
}

/// Well-formed UTF-8 bytes as pre-tokenizer units.
struct UTF8Units: PieceUnits {
  let p: UnsafePointer<UInt8>
  let count: Int
  /// `ScalarClass.ascii`.
  let ascii: UnsafePointer<ScalarClass>

  @inline(__always)
  func classAt(_ i: Int) -> (ScalarClass, Int) {
    let b = p[i]
    if b < 0x80 { return (ascii[Int(b)], 1) }
    let (value, length) = ValidUTF8.scalar(p, i)
    return (ScalarClass.classify(value), length)
  }

  @inline(__always)
  func ascii(_ i: Int) -> UInt8 { p[i] }
}

/// A text as ids into an alphabet of scalars (a corpus's character tokens), one unit per scalar.
struct SymbolUnits<T: FixedWidthInteger & UnsignedInteger>: PieceUnits {
  let p: UnsafePointer<T>
  let count: Int
  /// Per alphabet id: its class, and its ASCII code (0x80 when not ASCII).
  let classes: UnsafePointer<ScalarClass>
  let codes: UnsafePointer<UInt8>

  @inline(__always)
  func classAt(_ i: Int) -> (ScalarClass, Int) { (classes[Int(p[i])], 1) }

  @inline(__always)
  func ascii(_ i: Int) -> UInt8 { codes[Int(p[i])] }
}
