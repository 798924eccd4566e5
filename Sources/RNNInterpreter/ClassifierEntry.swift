import RNNModels

/// A many-to-one classifier held by the session: the network, its optimizer position, and its
/// examples (already encoded) split into training and held-out sets.
public final class ClassifierEntry {
  public let classifier: SequenceClassifier
  public var trainer: ClassifierTrainer
  /// The TSV file it was built from.
  public let path: String
  /// `(tokens, class index)` pairs.
  public let train: [([Int32], Int)]
  public let holdout: [([Int32], Int)]

  /// Encodes both sets with the classifier's vocabulary (built from all of them, so it cannot fail).
  public init(classifier: SequenceClassifier, path: String, train: ClassificationData, holdout: ClassificationData, seed: UInt64) {
    self.classifier = classifier
    self.path = path
    func encode(_ d: ClassificationData) -> [([Int32], Int)] {
      d.examples.map { e in
        (e.text.unicodeScalars.map { Int32(classifier.vocabulary.index(of: $0)!) }, classifier.labels.firstIndex(of: e.label)!)
      }
    }
    self.train = encode(train)
    self.holdout = encode(holdout)
    trainer = ClassifierTrainer(classifier: classifier, seed: seed)
  }
}
