import NumericCore

/// A labelled text set for a many-to-one classifier, read from tab-separated lines
/// `label<TAB>text` (blank lines and lines starting with `#` are skipped).
public struct ClassificationData: Sendable, Equatable {
  public struct Example: Sendable, Equatable {
    public var label: String
    public var text: String
  }

  public var examples: [Example]

  /// The distinct labels, sorted (class index c is `labels[c]`).
  public var labels: [String] { Array(Set(examples.map(\.label))).sorted() }

  /// The distinct Unicode scalars of all texts, as a vocabulary.
  public var vocabulary: Vocabulary { Vocabulary(of: examples.map(\.text).joined()) }

  public init(examples: [Example]) { self.examples = examples }

  /// Parses TSV text (`TabSeparatedPairs`, layout `label<TAB>text`); errors name the first bad
  /// line (1-based).
  public init(tsv: String, source: String) throws(ModelError) {
    let pairs = try TabSeparatedPairs(text: tsv, source: source, layout: .labelText)
    guard !pairs.pairs.isEmpty else { throw .invalidArgument("\(source) has no examples") }
    examples = pairs.pairs.map { Example(label: $0.first, text: $0.second) }
  }

  /// A deterministic split: every example shuffled by `seed`, the last `fraction` held out.
  public func split(holdout fraction: Double, seed: UInt64) -> (train: ClassificationData, holdout: ClassificationData) {
    var rng = RandomGenerator(seed: seed ^ 0xC1A5_51F1)
    var order = Array(examples.indices)
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    let held = Int((Double(examples.count) * fraction).rounded())
    let cut = examples.count - min(held, examples.count - 1)
    return (
      ClassificationData(examples: order[..<cut].map { examples[$0] }),
      ClassificationData(examples: order[cut...].map { examples[$0] })
    )
  }
}
