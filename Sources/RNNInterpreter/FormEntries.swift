import RNNModels

/// A conditional generator held by the session: the network, its training position, and its
/// words (already encoded) split into training and held-out sets.
public final class GeneratorEntry {
  public let generator: ConditionalGenerator
  public var trainer: FormTrainer
  /// The TSV file it was built from; the held-out fraction, split seed and word-length limit.
  public let path: String
  public let holdoutFraction: Double
  public let seed: UInt64
  public let maxLength: Int
  /// `(word tokens, label index)` pairs; empty for a loaded generator whose file is not available.
  public let train: [([Int32], Int)]
  public let holdout: [([Int32], Int)]

  /// Encodes both sets with the generator's vocabulary (made from all of them, so it cannot fail).
  public init(
    generator: ConditionalGenerator, trainer: FormTrainer, path: String, data: ClassificationData?,
    holdoutFraction: Double, seed: UInt64, maxLength: Int
  ) {
    self.generator = generator
    self.trainer = trainer
    self.path = path
    self.holdoutFraction = holdoutFraction
    self.seed = seed
    self.maxLength = maxLength
    let split = data?.split(holdout: holdoutFraction, seed: seed)
    let train = split.flatMap { Self.encode($0.train, for: generator) }
    let holdout = split.flatMap { Self.encode($0.holdout, for: generator) }
    self.train = (train != nil && holdout != nil) ? train! : []
    self.holdout = (train != nil && holdout != nil) ? holdout! : []
  }

  /// `d`'s words as tokens and label indices, or nil if one has a character or label the
  /// generator does not know.
  private static func encode(_ d: ClassificationData, for g: ConditionalGenerator) -> [([Int32], Int)]? {
    var out: [([Int32], Int)] = []
    for e in d.examples {
      guard let label = g.labels.firstIndex(of: e.label) else { return nil }
      var tokens: [Int32] = []
      for s in e.text.unicodeScalars {
        guard let i = g.vocabulary.index(of: s), i != Int(g.boundary) else { return nil }
        tokens.append(Int32(i))
      }
      out.append((tokens, label))
    }
    return out
  }
}

/// A tagger held by the session: the network, its training position, how its tags are made, and
/// its training and validation chunks (nil for a loaded tagger whose corpus is not available).
public final class TaggerEntry {
  public let tagger: SequenceTagger
  public var trainer: FormTrainer
  /// The corpus it reads (for the analysis commands' default text) and its path and split.
  public let corpus: CorpusEntry?
  public let corpusPath: String
  public let fractions: SplitFractions
  /// How the tags are made; the property, or nil for a tag file (`tagFile`).
  public let tagged: TaggedText.Source
  /// Characters per chunk.
  public let length: Int
  public let train: TaggingChunks?
  public let validation: TaggingChunks?

  public init(
    tagger: SequenceTagger, trainer: FormTrainer, corpus: CorpusEntry?, corpusPath: String, fractions: SplitFractions,
    tagged: TaggedText.Source, length: Int, train: TaggingChunks?, validation: TaggingChunks?
  ) {
    self.tagger = tagger
    self.trainer = trainer
    self.corpus = corpus
    self.corpusPath = corpusPath
    self.fractions = fractions
    self.tagged = tagged
    self.length = length
    self.train = train
    self.validation = validation
  }

  /// `property quotes`, `tags "file"`.
  public var tagSourceDescription: String {
    switch tagged {
    case .property(let p): "property \(p.name)"
    case .file(let path): "tags \(path.debugDescription)"
    }
  }
}
