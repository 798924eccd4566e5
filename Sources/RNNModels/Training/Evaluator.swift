import NumericCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The loss of a model over a whole text, without dropout. With one stream (the default) the text
/// is read from the first character to the last with the state carried throughout (no resets at
/// chunk boundaries): the exact loss of the model on the text. With `streams` B > 1 the text is
/// cut into B contiguous segments read side by side as a batch, each from a zero state, as
/// char-rnn and torch-rnn evaluate their validation split: the GEMMs see B rows instead of one, so
/// evaluation runs at training's speed without the backward pass, and each segment after the
/// first loses its context at its start (a small rise in the loss: a few hundredths of a nat at
/// most over the first characters of each segment).
public struct Evaluation: Sendable, Equatable {
  /// Mean cross-entropy per predicted character, in nats.
  public var loss: Double
  /// Characters predicted (the text's length − 1).
  public var characters: Int
  /// Whether a stop request cut it short (then `loss` covers `characters` only).
  public var stoppedEarly: Bool

  public var bitsPerCharacter: Double { loss / log(2) }
  public var perplexity: Double { exp(loss) }
}

public enum Evaluator {
  /// Evaluates `model` on `tokens` as `streams` side-by-side segments (see `Evaluation`; the
  /// remainder of the text that does not divide evenly continues the last segment as one stream),
  /// `chunk` steps at a time (one stream: 256 characters, whose input projection is one GEMM;
  /// B streams: at most 4,096 / B steps, so the workspace stays near one stream's). `shouldStop`
  /// is polled between chunks with the number of characters predicted so far. With `precision`
  /// bf16 the forward pass's big products take bf16 weight copies (made once per workspace).
  public static func evaluate(
    model: LanguageModel, tokens: TokenSequence, streams: Int = 1, chunk: Int = 256, precision: Precision = .fp32,
    shouldStop: (_ done: Int) -> Bool = { _ in false }
  ) throws(ModelError) -> Evaluation {
    let total = tokens.count - 1
    guard total >= 1 else { throw .invalidArgument("the text to evaluate needs at least 2 characters, it has \(tokens.count)") }
    guard streams >= 1 else { throw .invalidArgument("streams must be at least 1, not \(streams)") }
    let config = model.config
    let B = min(streams, total), L = total / B
    var rng = RandomGenerator(seed: 0)
    var sum = 0.0
    var done = 0
    /// Reads `length` characters of each segment starting at `starts[b]`, side by side as stream
    /// b of `state`, adding their losses to `sum`; false when `shouldStop` cut it short.
    func read(starts: [Int], length: Int, state: inout HiddenState) -> Bool {
      guard length > 0 else { return true }
      let B = starts.count
      let steps = max(1, min(chunk, length, B > 1 ? 4096 / B : chunk))
      var workspace = Workspace(config: config, batch: B, steps: steps, precision: precision)
      var inputs = [Int32](repeating: 0, count: steps * B), targets = inputs
      var offset = 0
      while offset < length {
        if shouldStop(done) { return false }
        let n = min(steps, length - offset)
        if n != workspace.steps { workspace = Workspace(config: config, batch: B, steps: n, precision: precision) }
        inputs.withUnsafeMutableBufferPointer { i in
          targets.withUnsafeMutableBufferPointer { t in
            for (b, start) in starts.enumerated() {
              tokens.copy(from: start + offset, count: n, to: i.baseAddress! + b, stride: B)
              tokens.copy(from: start + offset + 1, count: n, to: t.baseAddress! + b, stride: B)
            }
          }
        }
        inputs.withUnsafeBufferPointer { i in
          model.forward(inputs: i.baseAddress!, state: &state, workspace: workspace, training: false, rng: &rng)
        }
        sum += targets.withUnsafeBufferPointer { t in
          CrossEntropy.loss(
            logits: workspace.logits.pointer, rows: n * B, vocab: config.vocabSize, targets: t.baseAddress!,
            gradientScale: nil)
        }
        done += n * B
        offset += n
      }
      return true
    }
    var carried = HiddenState(config: config, batch: 1)
    var finished = true
    if B > 1 {
      // Segment b predicts characters b·L + 1 … (b + 1)·L from the ones before them.
      var state = HiddenState(config: config, batch: B)
      finished = read(starts: (0..<B).map { $0 * L }, length: L, state: &state)
      // The last segment's state, to carry into the remainder.
      let H = config.hidden
      for l in 0..<config.layers {
        let from = state.offset(layer: l) + (B - 1) * H, to = carried.offset(layer: l)
        for j in 0..<H { carried.h[to + j] = state.h[from + j] }
        if !state.c.isEmpty { for j in 0..<H { carried.c[to + j] = state.c[from + j] } }
      }
    }
    // One stream: the whole text (B = 1) or the remainder after the segments.
    if finished {
      let start = B > 1 ? B * L : 0
      _ = read(starts: [start], length: total - start, state: &carried)
    }
    return Evaluation(loss: done > 0 ? sum / Double(done) : .nan, characters: done, stoppedEarly: done < total)
  }
}
