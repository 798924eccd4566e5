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

  /// Parses TSV text; errors name the first bad line (1-based).
  public init(tsv: String, source: String) throws(ModelError) {
    var examples: [Example] = []
    let lines = tsv.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (i, line) in lines.enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
      guard let tab = line.firstIndex(of: "\t") else {
        throw .invalidArgument("\(source):\(i + 1): expected 'label<TAB>text', found no tab")
      }
      let label = String(line[..<tab]).trimmingSpaces, text = String(line[line.index(after: tab)...])
      guard !label.isEmpty, !text.isEmpty else {
        throw .invalidArgument("\(source):\(i + 1): empty \(label.isEmpty ? "label" : "text")")
      }
      examples.append(Example(label: label, text: text))
    }
    guard !examples.isEmpty else { throw .invalidArgument("\(source) has no examples") }
    self.examples = examples
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

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
