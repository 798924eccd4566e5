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

/// Contiguous ranges of token indices: train first, then validation, then test.
public struct CorpusSplits: Sendable, Equatable {
  public enum Name: String, Sendable, CaseIterable {
    case train, validation, test
  }

  public let train: Range<Int>
  public let validation: Range<Int>
  public let test: Range<Int>

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
  }

  public func range(_ name: Name) -> Range<Int> {
    switch name {
    case .train: train
    case .validation: validation
    case .test: test
    }
  }
}
