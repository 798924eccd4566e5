/// Any of the three tokenizers, as one value: what a corpus, a model and a checkpoint hold.
public enum AnyTokenizer: Tokenizer {
  case char(CharTokenizer)
  case word(WordTokenizer)
  case bpe(BPETokenizer)

  /// Reads a serialised tokenizer (`TokenizerFormat`), checking all of it.
  public init(serialized: String) throws(TokenizerFormatError) { self = try TokenizerFormat.read(serialized) }

  /// The tokenizer the conformer `t` is.
  public var base: any Tokenizer {
    switch self {
    case .char(let t): t
    case .word(let t): t
    case .bpe(let t): t
    }
  }

  public var kind: TokenizerKind { base.kind }
  public var vocabularySize: Int { base.vocabularySize }
  public func encode(_ text: String) throws(TokenizerError) -> [Int32] {
    switch self {
    case .char(let t): try t.encode(text)
    case .word(let t): try t.encode(text)
    case .bpe(let t): t.encode(text)
    }
  }
  public func pieceBytes(_ id: Int32) -> [UInt8] { base.pieceBytes(id) }
  public func decode(_ ids: [Int32]) -> String { base.decode(ids) }
  public var serialized: String { base.serialized }
}
