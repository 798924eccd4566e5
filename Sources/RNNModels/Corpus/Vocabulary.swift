/// The characters a model knows: the distinct Unicode scalars of a text (what Python's `str`
/// iterates), sorted by code point; a scalar's index is its token. A model carried to a new text
/// (`extended(with:)`) keeps its characters' indices and has the new ones after them, so its
/// vocabulary is then sorted only piecewise.
public struct Vocabulary: Sendable, Equatable {
  public let scalars: [Unicode.Scalar]
  private let indexOf: [UInt32: Int]

  public init(scalars: [Unicode.Scalar]) {
    self.init(ordered: Array(Set(scalars)).sorted { $0.value < $1.value })
  }

  /// Exactly these scalars in this token order; `nil` when one appears twice.
  public init?(distinct scalars: [Unicode.Scalar]) {
    guard Set(scalars).count == scalars.count else { return nil }
    self.init(ordered: scalars)
  }

  private init(ordered: [Unicode.Scalar]) {
    scalars = ordered
    var map: [UInt32: Int] = [:]
    for (i, s) in ordered.enumerated() { map[s.value] = i }
    indexOf = map
  }

  /// This vocabulary with the scalars of `other` it lacks appended, in `other`'s order (so every
  /// existing token keeps its index); also the scalars added.
  public func extended(with other: [Unicode.Scalar]) -> (vocabulary: Vocabulary, added: [Unicode.Scalar]) {
    var added: [Unicode.Scalar] = []
    var seen = Set<UInt32>()
    for s in other where indexOf[s.value] == nil && seen.insert(s.value).inserted { added.append(s) }
    return (Vocabulary(ordered: scalars + added), added)
  }

  /// The vocabulary of `text`.
  public init(of text: String) { self.init(scalars: Array(text.unicodeScalars)) }

  public var count: Int { scalars.count }

  public func index(of scalar: Unicode.Scalar) -> Int? { indexOf[scalar.value] }

  public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.scalars == b.scalars }

  /// Tokens of `text`, or an error listing every character outside the vocabulary.
  public func encode(_ text: String, context: String) throws(ModelError) -> [Int32] {
    var tokens: [Int32] = []
    tokens.reserveCapacity(text.unicodeScalars.count)
    var missing: [Unicode.Scalar] = []
    for s in text.unicodeScalars {
      if let i = indexOf[s.value] {
        tokens.append(Int32(i))
      } else if !missing.contains(s) {
        missing.append(s)
      }
    }
    guard missing.isEmpty else {
      throw .outOfVocabulary(characters: missing.map { String($0) }, context: context)
    }
    return tokens
  }

  /// The text of `tokens`.
  public func decode<S: Sequence>(_ tokens: S) -> String where S.Element: BinaryInteger {
    var out = String.UnicodeScalarView()
    for t in tokens { out.append(scalars[Int(t)]) }
    return String(out)
  }

  /// A readable rendering of one character for listings ("\n" for a newline, "␠" never used).
  public static func display(_ scalar: Unicode.Scalar) -> String {
    String(scalar).debugDescription
  }
}
