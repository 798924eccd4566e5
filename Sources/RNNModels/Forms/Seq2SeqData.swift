import NumericCore

/// One pair for a sequence-to-sequence model, encoded: `source` as source-vocabulary indices,
/// `target` as target indices (character i of the target vocabulary is token i + 1; token 0 is
/// the start/end marker, never stored here), and the 1-based line of the file it came from.
public struct Seq2SeqExample: Sendable, Equatable {
  public var source: [Int32]
  public var target: [Int32]
  public var line: Int

  public init(source: [Int32], target: [Int32], line: Int) {
    self.source = source
    self.target = target
    self.line = line
  }
}

/// The pairs of a sequence-to-sequence task, read from `source<TAB>target` lines (blank lines and
/// `#` comments skipped; ``TabSeparatedPairs``), both fields at most ``maximumLength`` characters.
public struct Seq2SeqData: Sendable, Equatable {
  /// The longest source or target, in Unicode scalars; a longer one is an error naming its line.
  public static let maximumLength = 200

  public var pairs: [TabSeparatedPairs.Pair]

  public init(pairs: [TabSeparatedPairs.Pair]) { self.pairs = pairs }

  /// Parses TSV text; `source` names the file in errors (`file:line: …`).
  public init(tsv: String, source: String) throws(ModelError) {
    let read = try TabSeparatedPairs(text: tsv, source: source, layout: .sourceTarget)
    guard !read.pairs.isEmpty else { throw .invalidArgument("\(source) has no pairs") }
    for p in read.pairs {
      for (what, text) in [("source", p.first), ("target", p.second)] where text.unicodeScalars.count > Self.maximumLength {
        throw .invalidArgument(
          "\(source):\(p.line): the \(what) is \(text.unicodeScalars.count) characters long; the limit is \(Self.maximumLength)")
      }
    }
    pairs = read.pairs
  }

  /// The distinct characters of all sources, and of all targets.
  public var sourceVocabulary: Vocabulary { Vocabulary(of: pairs.map(\.first).joined()) }
  public var targetVocabulary: Vocabulary { Vocabulary(of: pairs.map(\.second).joined()) }

  /// A deterministic split: the pairs shuffled by `seed`, the last `fraction` held out (at least
  /// one pair stays for training).
  public func split(holdout fraction: Double, seed: UInt64) -> (train: Seq2SeqData, holdout: Seq2SeqData) {
    var rng = RandomGenerator(seed: seed ^ 0x5E02_5E0)
    var order = Array(pairs.indices)
    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    let held = min(Int((Double(pairs.count) * fraction).rounded()), pairs.count - 1)
    let cut = pairs.count - held
    return (Seq2SeqData(pairs: order[..<cut].map { pairs[$0] }), Seq2SeqData(pairs: order[cut...].map { pairs[$0] }))
  }

  /// The pairs encoded for `model`, or nil when one has a character the model does not know.
  public func encoded(for model: Seq2SeqModel) -> [Seq2SeqExample]? {
    var out: [Seq2SeqExample] = []
    out.reserveCapacity(pairs.count)
    for p in pairs {
      guard let s = model.encodeSource(p.first), let t = model.encodeTarget(p.second) else { return nil }
      out.append(Seq2SeqExample(source: s, target: t, line: p.line))
    }
    return out
  }
}

/// One training or evaluation batch: B pairs whose sources all have S characters (batches are
/// bucketed by source length, so the encoder needs no padding), targets padded to T = the longest
/// target + 1 (for the end marker), the padding masked out of the loss. All time-major: row
/// `t·B + b` is step t of pair b.
public struct Seq2SeqBatch: Sendable {
  public let batch: Int
  public let sourceSteps: Int
  public let targetSteps: Int
  /// `[S·B]` source tokens.
  public let sources: [Int32]
  /// `[T·B]` decoder inputs: the marker, then the target (teacher forcing); the marker as padding.
  public let decoderInputs: [Int32]
  /// `[T·B]` what each step must predict: the target, then the marker; −1 for padding.
  public let targets: [Int32]
  /// The target tokens that count (ends included): the loss is their mean.
  public let targetCount: Int

  /// Needs at least one example, all with sources of the same non-zero length.
  public init(_ examples: [Seq2SeqExample]) {
    let B = examples.count, S = examples[0].source.count
    precondition(B > 0 && S > 0 && examples.allSatisfy { $0.source.count == S }, "a batch's sources share one length")
    let T = examples.map(\.target.count).max()! + 1
    batch = B
    sourceSteps = S
    targetSteps = T
    var sources = [Int32](repeating: 0, count: S * B)
    var inputs = [Int32](repeating: 0, count: T * B), targets = [Int32](repeating: -1, count: T * B)
    for (b, e) in examples.enumerated() {
      for t in 0..<S { sources[t * B + b] = e.source[t] }
      for t in 0..<e.target.count {
        inputs[(t + 1) * B + b] = e.target[t]
        targets[t * B + b] = e.target[t]
      }
      targets[e.target.count * B + b] = 0  // steps after the end read the marker, predict −1
    }
    self.sources = sources
    decoderInputs = inputs
    self.targets = targets
    targetCount = examples.reduce(0) { $0 + $1.target.count + 1 }
  }
}
