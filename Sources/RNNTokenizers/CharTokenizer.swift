/// One token per Unicode scalar (what Python's `str` iterates): the vocabulary is the distinct
/// scalars of the training text sorted by code point, and a scalar's index is its token. This is the
/// lecture's setting and the same ids as the models layer's `Vocabulary`.
public struct CharTokenizer: Tokenizer {
  /// The vocabulary, strictly increasing code points.
  public let scalars: [Unicode.Scalar]
  private let index: [UInt32: Int32]

  /// The tokenizer of exactly these scalars (duplicates removed, sorted).
  public init(scalars: [Unicode.Scalar]) {
    let sorted = Array(Set(scalars)).sorted { $0.value < $1.value }
    self.scalars = sorted
    var index: [UInt32: Int32] = [:]
    index.reserveCapacity(sorted.count)
    for (i, s) in sorted.enumerated() { index[s.value] = Int32(i) }
    self.index = index
  }

  /// The tokenizer of the scalars of `text`.
  public init(training text: String) { self.init(scalars: Array(text.unicodeScalars)) }

  public var kind: TokenizerKind { .char }
  public var vocabularySize: Int { scalars.count }

  /// The token of `scalar`, or nil when it is not in the vocabulary.
  public func id(of scalar: Unicode.Scalar) -> Int32? { index[scalar.value] }

  public func encode(_ text: String) throws(TokenizerError) -> [Int32] {
    var ids: [Int32] = []
    ids.reserveCapacity(text.utf8.count)
    var unknown: [Unicode.Scalar] = []
    for s in text.unicodeScalars {
      if let id = index[s.value] {
        ids.append(id)
      } else if !unknown.contains(s) {
        unknown.append(s)
      }
    }
    guard unknown.isEmpty else { throw .unknownCharacters(unknown) }
    return ids
  }

  public func pieceBytes(_ id: Int32) -> [UInt8] { Array(String(scalars[Int(id)]).utf8) }

  public func decode(_ ids: [Int32]) -> String {
    var out = String.UnicodeScalarView()
    for id in ids { out.append(scalars[Int(id)]) }
    return String(out)
  }

  public var serialized: String { TokenizerFormat.write(self) }

  public static func == (a: CharTokenizer, b: CharTokenizer) -> Bool { a.scalars == b.scalars }
}
