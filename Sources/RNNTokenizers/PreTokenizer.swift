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
    let n = text.count
    ScalarClass.ascii.withUnsafeBufferPointer { table in
      @inline(__always) func classAt(_ i: Int) -> (ScalarClass, Int) {
        let b = p[i]
        if b < 0x80 { return (table[Int(b)], 1) }
        let (value, length) = ValidUTF8.scalar(p, i)
        return (ScalarClass.classify(value), length)
      }
      var i = 0
      while i < n {
        let start = i
        if p[i] == 0x27, let length = contraction(p, i, n) {
          body(i..<i + length)
          i += length
          continue
        }
        var (cls, length) = classAt(i)
        var j = i
        if p[i] == 0x20 && i + 1 < n {
          let (next, nextLength) = classAt(i + 1)
          if next != .whitespace { (j, cls, length) = (i + 1, next, nextLength) }
        }
        if cls != .whitespace {
          j += length
          while j < n {
            let (c, l) = classAt(j)
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
          let (c, l) = classAt(end)
          guard c == .whitespace else { break }
          last = end
          end += l
        }
        if end < n && last > i { end = last }
        body(i..<end)
        i = end
      }
    }
  }

  /// Length of the English contraction ('s 't 'm 'd 're 've 'll) at `p[i]` (an apostrophe), if any.
  @inline(__always)
  static func contraction(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
    guard i + 1 < n else { return nil }
    switch p[i + 1] {
    case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return 2
    case UInt8(ascii: "r"), UInt8(ascii: "v"):
      return i + 2 < n && p[i + 2] == UInt8(ascii: "e") ? 3 : nil
    case UInt8(ascii: "l"):
      return i + 2 < n && p[i + 2] == UInt8(ascii: "l") ? 3 : nil
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
