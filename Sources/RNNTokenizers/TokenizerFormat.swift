/// The serialised form of a tokenizer, stored in checkpoint metadata under the key `tokenizer`.
///
/// Plain ASCII lines joined by "\n" (no trailing newline), in this order:
///
///     rnn-tokenizer 1 char                  header: magic, format version, kind
///     scalars a 20 41 …                     char, word: the scalars, hex code points, increasing
///     min_count 2                           word: the count a piece needed to become a token
///     words 5468 6520 …                     word: the word tokens in id order, hex UTF-8 bytes each
///     appended c3a9 6361666520 …            word, only when extended: tokens added after the words
///     pretokenizer pieces-1                 bpe: the pre-tokenization (`PreTokenizer.byteLevelPieces`)
///     merges 74,68 256,65 …                 bpe: merge i joins ids "left,right" into id 256 + i
///
/// A char tokenizer has the header and `scalars`; a word tokenizer `scalars`, `min_count`, `words`
/// and, when it was carried to a new text (`WordTokenizer.extended(with:)`), `appended`: the tokens
/// added after the words in id order, hex UTF-8 bytes each, a single character or a word (a
/// tokenizer never extended has no such line, so its form is unchanged);
/// a BPE tokenizer `pretokenizer`, `merges`. Reading checks everything a decoder relies on and
/// stops at the first problem with a `TokenizerFormatError`; sizes are bounded (`TokenizerFormat.limits`).
public enum TokenizerFormat {
  public static let magic = "rnn-tokenizer"
  public static let version = 1
  public static let byteLevelPreTokenizer = "pieces-1"

  /// Bounds on what a serialised tokenizer may hold.
  public enum Limits {
    /// Characters of the whole form: 64 MiB.
    public static let bytes = 64 << 20
    /// Word tokens and BPE merges (each): 2^20.
    public static let entries = 1 << 20
  }

  static func write(_ t: CharTokenizer) -> String {
    header(.char) + "\n" + scalarLine(t)
  }

  static func write(_ t: WordTokenizer) -> String {
    let words = t.words.map { w in w.utf8.map(hex).joined() }
    var lines = [header(.word), scalarLine(t.characters), "min_count \(t.minCount)", (["words"] + words).joined(separator: " ")]
    if !t.appended.isEmpty { lines.append((["appended"] + t.appended.map { w in w.utf8.map(hex).joined() }).joined(separator: " ")) }
    return lines.joined(separator: "\n")
  }

  static func write(_ t: BPETokenizer) -> String {
    let merges = t.merges.map { "\($0.left),\($0.right)" }
    return [header(.bpe), "pretokenizer \(byteLevelPreTokenizer)", (["merges"] + merges).joined(separator: " ")]
      .joined(separator: "\n")
  }

  private static func header(_ kind: TokenizerKind) -> String { "\(magic) \(version) \(kind.rawValue)" }

  private static func scalarLine(_ t: CharTokenizer) -> String {
    (["scalars"] + t.scalars.map { String($0.value, radix: 16) }).joined(separator: " ")
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }
}

/// Why a serialised tokenizer was rejected; each names the line (1-based) or entry at fault.
public enum TokenizerFormatError: Error, Equatable, Sendable, CustomStringConvertible {
  case tooLarge(characters: Int, limit: Int)
  case notATokenizer
  case unsupportedVersion(String)
  case unknownKind(String)
  /// Line `line` should start with `expected`.
  case missingField(line: Int, expected: String)
  case extraLines(line: Int)
  case badValue(line: Int, field: String, value: String, reason: String)
  case tooMany(field: String, count: Int, limit: Int)

  public var description: String {
    switch self {
    case .tooLarge(let characters, let limit):
      "the tokenizer is \(characters) characters long; at most \(limit) are accepted"
    case .notATokenizer:
      "not a serialised tokenizer (it must start with '\(TokenizerFormat.magic) \(TokenizerFormat.version) KIND')"
    case .unsupportedVersion(let v):
      "tokenizer format version '\(v)' is not supported (this build reads version \(TokenizerFormat.version))"
    case .unknownKind(let k):
      "unknown tokenizer kind '\(k)' (expected char, word or bpe)"
    case .missingField(let line, let expected):
      "line \(line) of the tokenizer should start with '\(expected)'"
    case .extraLines(let line):
      "the tokenizer has unexpected content from line \(line) on"
    case .badValue(let line, let field, let value, let reason):
      "line \(line) of the tokenizer: \(field) entry '\(value.prefix(40))' \(reason)"
    case .tooMany(let field, let count, let limit):
      "the tokenizer lists \(count) \(field); at most \(limit) are accepted"
    }
  }
}
