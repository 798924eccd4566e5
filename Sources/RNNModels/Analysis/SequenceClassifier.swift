import NumericCore

/// A many-to-one recurrent classifier: `Embedding(V, E) → L × cell(H) → last hidden state of the
/// top layer → Linear(H, C)`, trained with softmax cross-entropy. The body is a ``LanguageModel``
/// (its cells, forward and backward) whose own decoder is never used; the head is `W` `[C, H]`
/// then `b` `[C]` in one flat buffer. Each text is read from a zero state, batch 1. Not `Sendable`.
public final class SequenceClassifier {
  public let body: LanguageModel
  public let labels: [String]
  public let vocabulary: Vocabulary
  /// `[C·H + C]`: head weight (row-major `[C, H]`) then bias.
  public let head: FloatBuffer
  /// Accumulated gradients of the body (in its layout; the decoder part stays 0) and of the head.
  public let bodyGradients: FloatBuffer
  public let headGradients: FloatBuffer
  private var workspaces: [Int: Workspace] = [:]

  /// C.
  public var classCount: Int { labels.count }
  /// Body parameters actually used: everything before the unused decoder.
  public var bodyCount: Int { body.layout.decoderWeight }
  /// Trainable parameters (body without its decoder, plus the head).
  public var parameterCount: Int { bodyCount + head.count }

  /// A fresh classifier with PyTorch's default initialisation drawn from `seed`.
  public init(
    cell: CellKind, vocabulary: Vocabulary, labels: [String], embed: Int, hidden: Int, layers: Int,
    seed: UInt64
  ) throws(ModelError) {
    guard labels.count >= 2 else { throw .invalidArgument("a classifier needs at least 2 labels, got \(labels.count)") }
    let config = ModelConfig(cell: cell, vocabSize: vocabulary.count, embed: embed, hidden: hidden, layers: layers)
    body = try LanguageModel(config: config, seed: seed)
    self.labels = labels
    self.vocabulary = vocabulary
    let C = labels.count
    head = FloatBuffer(count: C * hidden + C)
    var rng = RandomGenerator(seed: seed ^ 0x4EAD)
    let bound = 1 / Float(hidden).squareRoot()
    for i in 0..<head.count { head.pointer[i] = rng.uniform(-bound, bound) }
    bodyGradients = FloatBuffer(count: body.parameterCount)
    headGradients = FloatBuffer(count: head.count)
  }

  private func workspace(_ steps: Int) -> Workspace {
    if let ws = workspaces[steps] { return ws }
    let ws = Workspace(config: body.config, batch: 1, steps: steps)
    if workspaces.count > 64 { workspaces.removeAll() }
    workspaces[steps] = ws
    return ws
  }

  /// `[C]` logits for `tokens` (at least one); leaves the activations in the length's workspace.
  func forward(_ tokens: [Int32]) -> (logits: [Float], workspace: Workspace) {
    let H = body.config.hidden, C = classCount, T = tokens.count
    let ws = workspace(T)
    var state = HiddenState(config: body.config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    tokens.withUnsafeBufferPointer {
      body.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: false, rng: &rng)
    }
    var logits = [Float](head.array[(C * H)...])
    let last = ws.outputs[body.config.layers - 1].pointer + (T - 1) * H
    logits.withUnsafeMutableBufferPointer {
      BLAS.gemv(m: C, n: H, a: head.pointer, lda: H, x: last, beta: 1, y: $0.baseAddress!)
    }
    return (logits, ws)
  }

  /// Class probabilities `[C]` for `tokens`.
  public func probabilities(_ tokens: [Int32]) -> [Float] {
    var logits = forward(tokens).logits
    logits.withUnsafeMutableBufferPointer { _ = FastMath.softmax($0.baseAddress!, count: $0.count) }
    return logits
  }

  /// Cross-entropy (nats) of `tokens` against class `label`, without gradients.
  public func loss(_ tokens: [Int32], label: Int) -> Double {
    let p = probabilities(tokens)
    return -Double(logf(max(p[label], .leastNonzeroMagnitude)))
  }

  /// Cross-entropy of one example, adding `scale ×` its gradient into `bodyGradients` and
  /// `headGradients` (call ``zeroGradients()`` first). Returns the loss and whether it was right.
  @discardableResult
  public func accumulate(_ tokens: [Int32], label: Int, scale: Float = 1) -> (loss: Double, correct: Bool) {
    let H = body.config.hidden, C = classCount, T = tokens.count
    var (logits, ws) = forward(tokens)
    let argmax = logits.indices.max { logits[$0] < logits[$1] }!
    logits.withUnsafeMutableBufferPointer { _ = FastMath.softmax($0.baseAddress!, count: C) }
    let loss = -Double(logf(max(logits[label], .leastNonzeroMagnitude)))
    logits[label] -= 1  // dlogits = softmax − onehot
    for i in 0..<C { logits[i] *= scale }
    let last = ws.outputs[body.config.layers - 1].pointer + (T - 1) * H
    let hg = headGradients.pointer
    // dW += dlogits ⊗ h_T, db += dlogits, dh_T = Wᵀ dlogits.
    var dTop = [Float](repeating: 0, count: T * H)
    logits.withUnsafeBufferPointer { d in
      for c in 0..<C {
        BLAS.axpy(count: H, alpha: d[c], x: last, y: hg + c * H)
        hg[C * H + c] += d[c]
      }
      dTop.withUnsafeMutableBufferPointer {
        BLAS.gemv(trans: true, m: C, n: H, a: head.pointer, lda: H, x: d.baseAddress!, y: $0.baseAddress! + (T - 1) * H)
      }
    }
    dTop.withUnsafeBufferPointer { body.backwardRecurrent(dTop: $0.baseAddress!, workspace: ws, into: body.gradients.pointer) }
    BLAS.axpy(count: bodyCount, alpha: 1, x: body.gradients.pointer, y: bodyGradients.pointer)
    return (loss, argmax == label)
  }

  /// Sets the accumulated gradients to zero.
  public func zeroGradients() {
    bodyGradients.zero()
    headGradients.zero()
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
