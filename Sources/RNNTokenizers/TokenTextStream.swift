/// Decodes tokens one at a time into text, for printing a sample as it is drawn. A BPE token may end
/// in the middle of a character (its bytes are not a whole UTF-8 sequence): the stream holds such a
/// tail back until the next token completes it, so the text it gives out, joined, is exactly
/// `decode` of all the tokens.
public struct TokenTextStream<T: Tokenizer> {
  public let tokenizer: T
  /// Bytes of a character begun but not finished (at most 3).
  private var pending: [UInt8] = []

  public init(_ tokenizer: T) { self.tokenizer = tokenizer }

  /// The text that `id` completes (possibly empty, possibly including held-back bytes).
  public mutating func append(_ id: Int32) -> String {
    pending += tokenizer.pieceBytes(id)
    let cut = Self.completePrefix(pending)
    guard cut > 0 else { return "" }
    let text = String(decoding: pending[..<cut], as: UTF8.self)
    pending.removeFirst(cut)
    return text
  }

  /// Ends the stream: bytes still held back (an unfinished character) become U+FFFD.
  public mutating func finish() -> String {
    defer { pending = [] }
    return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
  }

  /// Length of the longest prefix of `bytes` that does not end inside an unfinished sequence: the
  /// whole, unless its last lead byte (within the last 4 bytes) announces more bytes than follow it.
  /// Cutting before a lead byte never splits an ill-formed stretch either, so decoding the parts
  /// separately gives the same text as decoding them together.
  static func completePrefix(_ bytes: [UInt8]) -> Int {
    let n = bytes.count
    var i = n - 1
    while i >= 0 && i >= n - 4 {
      let b = bytes[i]
      if b & 0xC0 != 0x80 {
        let needed = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1
        return n - i < needed ? i : n
      }
      i -= 1
    }
    return n
  }
}
