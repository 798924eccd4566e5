/// char-rnn's batching: the training tokens are cut into B contiguous streams of S = ⌊N/B⌋
/// tokens (stream b is tokens `[b·S, (b+1)·S)`); each step reads the next T tokens of every stream
/// as inputs and the T tokens one further on as targets. When fewer than T + 1 tokens remain the
/// cursor wraps to the start of the streams (a new epoch); the hidden state keeps being carried.
public struct BatchStreams: Sendable, Equatable {
  public let batch: Int
  public let steps: Int
  /// S: tokens per stream.
  public let streamLength: Int

  /// Fails with a message saying what to change when the data is too short for B × (T + 1).
  public init(tokenCount: Int, batch: Int, steps: Int, split: String = "training") throws(CorpusError) {
    let needed = batch * (steps + 1)
    guard tokenCount >= needed else {
      throw .splitTooSmall(
        split: split, characters: tokenCount, needed: needed,
        hint: "with batch \(batch) and seq \(steps) each of the \(batch) streams needs \(steps + 1) characters; "
          + "lower batch or seq, or give the \(split) split a larger fraction")
    }
    self.batch = batch
    self.steps = steps
    streamLength = tokenCount / batch
  }

  /// Fills `inputs` and `targets` (`[T·B]`, time-major: index `t·B + b`) from `cursor`, the offset
  /// into every stream, and returns the cursor of the next chunk (0 after a wrap).
  public func fill(
    from tokens: TokenSequence, cursor: Int, inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>
  ) -> (next: Int, wrapped: Bool) {
    let c = cursor + steps + 1 > streamLength ? 0 : cursor
    for b in 0..<batch {
      let start = b * streamLength + c
      tokens.copy(from: start, count: steps, to: inputs + b, stride: batch)
      tokens.copy(from: start + 1, count: steps, to: targets + b, stride: batch)
    }
    let next = c + steps
    let wrapped = next + steps + 1 > streamLength
    return (wrapped ? 0 : next, wrapped || c != cursor)
  }

  /// The number of chunks in one pass over the streams.
  public var chunksPerEpoch: Int { max(1, (streamLength - 1) / steps) }
}
