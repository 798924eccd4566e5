import NumericCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The loss of a model over a whole text, read as one stream with the state carried from the
/// first character to the last (no resets at chunk boundaries), without dropout.
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
  /// Evaluates `model` on `tokens`, `chunk` characters at a time (the input projection of each
  /// chunk is one GEMM). `shouldStop` is polled between chunks.
  public static func evaluate(
    model: LanguageModel, tokens: TokenSequence, chunk: Int = 256, shouldStop: () -> Bool = { false }
  ) throws(ModelError) -> Evaluation {
    let total = tokens.count - 1
    guard total >= 1 else { throw .invalidArgument("the text to evaluate needs at least 2 characters, it has \(tokens.count)") }
    let chunk = max(1, min(chunk, total))
    var state = HiddenState(config: model.config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    var workspace = Workspace(config: model.config, batch: 1, steps: chunk)
    var inputs = [Int32](repeating: 0, count: chunk)
    var targets = [Int32](repeating: 0, count: chunk)
    var sum = 0.0
    var done = 0
    while done < total {
      if shouldStop() { break }
      let n = min(chunk, total - done)
      if n != workspace.steps { workspace = Workspace(config: model.config, batch: 1, steps: n) }
      inputs.withUnsafeMutableBufferPointer { tokens.copy(from: done, count: n, to: $0.baseAddress!) }
      targets.withUnsafeMutableBufferPointer { tokens.copy(from: done + 1, count: n, to: $0.baseAddress!) }
      inputs.withUnsafeBufferPointer { i in
        model.forward(inputs: i.baseAddress!, state: &state, workspace: workspace, training: false, rng: &rng)
      }
      sum += targets.withUnsafeBufferPointer { t in
        CrossEntropy.loss(
          logits: workspace.logits.pointer, rows: n, vocab: model.config.vocabSize, targets: t.baseAddress!,
          gradientScale: nil)
      }
      done += n
    }
    return Evaluation(loss: done > 0 ? sum / Double(done) : .nan, characters: done, stoppedEarly: done < total)
  }
}
