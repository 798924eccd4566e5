/// How a text becomes the token ids a model reads, and back.
///
/// Three conformers: `CharTokenizer` (one token per Unicode scalar, the lecture's setting),
/// `WordTokenizer` (words, numbers, punctuation and whitespace runs) and `BPETokenizer` (byte-level
/// byte-pair encoding). Every one is lossless on the texts it can encode: `decode(encode(x)) == x`.
/// A tokenizer is an immutable value; `serialized` is its stable, versioned form for checkpoint
/// metadata, read back by `AnyTokenizer(serialized:)`.
public protocol Tokenizer: Sendable, Equatable {
  /// Which of the three this is.
  var kind: TokenizerKind { get }
  /// Number of distinct token ids: ids are `0..<vocabularySize`.
  var vocabularySize: Int { get }
  /// The token ids of `text`; an error lists every character the tokenizer cannot represent
  /// (never for BPE, whose 256 byte tokens spell anything).
  func encode(_ text: String) throws(TokenizerError) -> [Int32]
  /// The UTF-8 bytes of one token. For BPE these may be part of a character (a piece that is not a
  /// whole UTF-8 sequence); `TokenTextStream` joins such pieces when decoding token by token.
  func pieceBytes(_ id: Int32) -> [UInt8]
  /// The text of `ids`; bytes that do not form UTF-8 (only possible for BPE ids not made by
  /// `encode`, e.g. sampled ones) become U+FFFD. Every id must be below `vocabularySize`.
  func decode(_ ids: [Int32]) -> String
  /// The stable serialised form (see `TokenizerFormat`).
  var serialized: String { get }
}

extension Tokenizer {
  public func decode(_ ids: [Int32]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(ids.count * 2)
    for id in ids { bytes += pieceBytes(id) }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// The three kinds of tokenizer, by the name the language and the serialised form use.
public enum TokenizerKind: String, Sendable, CaseIterable {
  case char, word, bpe
}

/// Why a text cannot be encoded.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Characters with no token (char and word tokenizers), each listed once, in order of appearance.
  case unknownCharacters([Unicode.Scalar])

  public var description: String {
    switch self {
    case .unknownCharacters(let scalars):
      let shown = scalars.prefix(20).map { String($0).debugDescription }.joined(separator: ", ")
      return "\(scalars.count) character\(scalars.count == 1 ? "" : "s") outside the tokenizer's vocabulary: "
        + shown + (scalars.count > 20 ? ", …" : "")
    }
  }
}
