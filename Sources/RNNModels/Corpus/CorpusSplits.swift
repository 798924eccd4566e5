/// Fractions of the text for training and validation; the test split is what remains.
/// `SplitFractions(train: 0.9)` is 90% train, 10% validation, no test.
public struct SplitFractions: Sendable, Equatable {
  public var train: Double
  public var validation: Double

  public init(train: Double = 0.9, validation: Double? = nil) {
    self.train = train
    self.validation = validation ?? max(0, 1 - train)
  }

  public var test: Double { max(0, 1 - train - validation) }
}

/// Contiguous ranges of token indices: train first, then validation, then test. A corpus of at
/// least `minimumDocuments` documents is split by whole documents (in path order: validation and
/// test text is then text the model never saw in training, not the end of a document it did);
/// otherwise by characters.
public struct CorpusSplits: Sendable, Equatable {
  /// How many documents each split holds, when split by documents.
  public struct DocumentCounts: Sendable, Equatable {
    public let train: Int
    public let validation: Int
    public let test: Int
  }

  /// Documents needed to split by documents.
  public static let minimumDocuments = 10

  public enum Name: String, Sendable, CaseIterable {
    case train, validation, test
  }

  public let train: Range<Int>
  public let validation: Range<Int>
  public let test: Range<Int>
  /// Documents per split; nil when the splits are cut by characters.
  public let documents: DocumentCounts?

  public init(count: Int, fractions f: SplitFractions) throws(CorpusError) {
    guard f.train > 0, f.train <= 1 else {
      throw .invalidSplit("the training fraction must be in (0, 1], got \(f.train)")
    }
    guard f.validation >= 0, f.train + f.validation <= 1 + 1e-9 else {
      throw .invalidSplit("train \(f.train) + validation \(f.validation) must not exceed 1")
    }
    let nTrain = Int(f.train * Double(count))
    // With no test split asked for, validation takes everything after training (no stray
    // character left over by rounding).
    let nVal = f.test < 1e-9 ? count - nTrain : min(count - nTrain, Int((f.validation * Double(count)).rounded()))
    train = 0..<nTrain
    validation = nTrain..<(nTrain + nVal)
    test = (nTrain + nVal)..<count
    documents = nil
  }

  /// Splits `count` tokens holding documents that start at `documentStarts` (the first at 0; a
  /// document's trailing separator belongs to it): by whole documents, as many per split as the
  /// fractions give, when there are at least `minimumDocuments` and every split that has a fraction
  /// gets a document; else by characters, as `init(count:fractions:)`.
  public init(count: Int, documentStarts: [Int], fractions f: SplitFractions) throws(CorpusError) {
    let byCharacters = try CorpusSplits(count: count, fractions: f)
    let n = documentStarts.count
    let nTrain = Int(f.train * Double(n))
    let nVal = f.test < 1e-9 ? n - nTrain : min(n - nTrain, Int((f.validation * Double(n)).rounded()))
    let nTest = n - nTrain - nVal
    guard n >= Self.minimumDocuments, nTrain >= 1, nVal >= 1 || f.validation < 1e-9, nTest >= 1 || f.test < 1e-9 else {
      self = byCharacters
      return
    }
    let validationStart = nTrain < n ? documentStarts[nTrain] : count
    let testStart = nTrain + nVal < n ? documentStarts[nTrain + nVal] : count
    train = 0..<validationStart
    validation = validationStart..<testStart
    test = testStart..<count
    documents = DocumentCounts(train: nTrain, validation: nVal, test: nTest)
  }

  /// Splits of these ranges (a tokenization's, from the character splits).
  init(train: Range<Int>, validation: Range<Int>, test: Range<Int>, documents: DocumentCounts?) {
    self.train = train
    self.validation = validation
    self.test = test
    self.documents = documents
  }

  public func range(_ name: Name) -> Range<Int> {
    switch name {
    case .train: train
    case .validation: validation
    case .test: test
    }
  }
}
