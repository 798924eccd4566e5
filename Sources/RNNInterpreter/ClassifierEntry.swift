import RNNModels

/// A many-to-one classifier held by the session: the network, its optimizer position, and its
/// examples (already encoded) split into training and held-out sets.
public final class ClassifierEntry {
  public let classifier: SequenceClassifier
  public var trainer: ClassifierTrainer
  /// The TSV file it was built from.
  public let path: String
  /// The held-out fraction and the seed the examples were split with (kept for `save`).
  public let holdoutFraction: Double
  public let seed: UInt64
  /// `(tokens, class index)` pairs; empty for a loaded classifier whose file is not available.
  public let train: [([Int32], Int)]
  public let holdout: [([Int32], Int)]

  /// Encodes both sets with the classifier's vocabulary (built from all of them, so it cannot fail).
  public init(
    classifier: SequenceClassifier, path: String, train: ClassificationData, holdout: ClassificationData,
    holdoutFraction: Double, seed: UInt64
  ) {
    self.classifier = classifier
    self.path = path
    self.holdoutFraction = holdoutFraction
    self.seed = seed
    self.train = Self.encode(train, for: classifier) ?? []
    self.holdout = Self.encode(holdout, for: classifier) ?? []
    trainer = ClassifierTrainer(classifier: classifier, seed: seed)
  }

  /// A classifier read from a checkpoint, with its examples when its file could be read again and
  /// fits the classifier's vocabulary and labels (else none: it classifies, but cannot be fitted).
  public init(loaded contents: ClassifierContents, path: String, data: ClassificationData?) {
    classifier = contents.classifier
    trainer = contents.trainer
    self.path = path
    holdoutFraction = contents.holdout
    seed = contents.seed
    let split = data?.split(holdout: contents.holdout, seed: contents.seed)
    let train = split.flatMap { Self.encode($0.train, for: contents.classifier) }
    let holdout = split.flatMap { Self.encode($0.holdout, for: contents.classifier) }
    self.train = (train != nil && holdout != nil) ? train! : []
    self.holdout = (train != nil && holdout != nil) ? holdout! : []
  }

  /// `d`'s examples as token and class indices, or `nil` if one has a character or label the
  /// classifier does not know.
  private static func encode(_ d: ClassificationData, for classifier: SequenceClassifier) -> [([Int32], Int)]? {
    var out: [([Int32], Int)] = []
    for e in d.examples {
      guard let label = classifier.labels.firstIndex(of: e.label) else { return nil }
      var tokens: [Int32] = []
      for s in e.text.unicodeScalars {
        guard let i = classifier.vocabulary.index(of: s) else { return nil }
        tokens.append(Int32(i))
      }
      out.append((tokens, label))
    }
    return out
  }
}
