/// B words of a ``ConditionalGenerator`` side by side for one pass, padded to the longest:
/// time-major (row `t·B + b` is step t of word b), `T` = the longest word + 1 steps. Word b's
/// inputs are `⏎ w₁ … wₙ` and its targets `w₁ … wₙ ⏎`; after them its inputs are the boundary and
/// its targets −1, which the loss masks (no loss, no gradient). The recurrence runs on through the
/// padding, but nothing there reaches a real target: the state only flows forward in time, and
/// every word starts from a zero state.
public struct WordBatch: Sendable, Equatable {
  /// B, the words.
  public let batch: Int
  /// T, the longest word's length + 1.
  public let steps: Int
  /// `[T·B]` input tokens and targets (−1 for padding).
  public let inputs: [Int32]
  public let targets: [Int32]
  /// `[B]` each word's label.
  public let labels: [Int]
  /// `[B]` the characters each word predicts: its length + 1 (the end included).
  public let lengths: [Int]

  /// The characters the batch predicts (the unmasked targets): what its loss is the mean over.
  public var characters: Int { lengths.reduce(0, +) }

  /// `words` (tokens and label; at least one) with `boundary` as the start, end and padding.
  public init(words: [([Int32], Int)], boundary: Int32) {
    precondition(!words.isEmpty, "a batch needs at least one word")
    let B = words.count, T = words.map(\.0.count).max()! + 1
    var inputs = [Int32](repeating: boundary, count: T * B), targets = [Int32](repeating: -1, count: T * B)
    for (b, (word, _)) in words.enumerated() {
      for (t, c) in word.enumerated() {
        inputs[(t + 1) * B + b] = c
        targets[t * B + b] = c
      }
      targets[word.count * B + b] = boundary
    }
    batch = B
    steps = T
    self.inputs = inputs
    self.targets = targets
    labels = words.map(\.1)
    lengths = words.map { $0.0.count + 1 }
  }
}
