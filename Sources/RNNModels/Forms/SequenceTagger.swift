import NumericCore

/// A synced many-to-many tagger: `Embedding(V, E) → L × cell(H) → Linear(H, K)` applied to the
/// top layer's output at every step, one of K tags per character, trained with per-character
/// softmax cross-entropy. The body is a ``LanguageModel`` whose own decoder is never used (as in
/// ``SequenceClassifier``); the head is `W` `[K, H]` then `b` `[K]` in one flat buffer. Texts are
/// read in batches of B equally long chunks side by side (time-major, row `t·B + b`), each from a
/// zero state. Not `Sendable`.
public final class SequenceTagger: FormModel {
  public let body: LanguageModel
  /// The tag names; tag k is `tags[k]`, tag 0 the background (the property's 0, or the tag
  /// file's most frequent character).
  public let tags: [String]
  public let vocabulary: Vocabulary
  /// `[K·H + K]`: head weight (row-major `[K, H]`) then bias.
  public let head: FloatBuffer
  public let bodyGradients: FloatBuffer
  public let headGradients: FloatBuffer
  private var workspaces: [Int: Workspace] = [:]

  public var bodyCount: Int { body.layout.decoderWeight }
  public var extra: FloatBuffer { head }
  public var extraGradients: FloatBuffer { headGradients }
  /// K.
  public var tagCount: Int { tags.count }

  /// A fresh tagger with PyTorch's default initialisation drawn from `seed`.
  public init(
    cell: CellKind, vocabulary: Vocabulary, tags: [String], embed: Int, hidden: Int, layers: Int, seed: UInt64
  ) throws(ModelError) {
    guard tags.count >= 2 else { throw .invalidArgument("a tagger needs at least 2 tags, got \(tags.count)") }
    let config = ModelConfig(cell: cell, vocabSize: vocabulary.count, embed: embed, hidden: hidden, layers: layers)
    body = try LanguageModel(config: config, seed: seed)
    self.tags = tags
    self.vocabulary = vocabulary
    let K = tags.count
    head = FloatBuffer(count: K * hidden + K)
    var rng = RandomGenerator(seed: seed ^ 0x7A66)
    let bound = 1 / Float(hidden).squareRoot()
    for i in 0..<head.count { head.pointer[i] = rng.uniform(-bound, bound) }
    bodyGradients = FloatBuffer(count: body.parameterCount)
    headGradients = FloatBuffer(count: head.count)
  }

  /// `(name, shape)` of every tensor in PyTorch's order and shapes: the body's without its
  /// decoder, then `head.weight` `[K, H]` and `head.bias` `[K]`.
  public var tensorShapes: [(name: String, shape: [Int])] {
    body.layout.entries.filter { $0.offset < bodyCount }.map { ($0.name, $0.shape) }
      + [("head.weight", [tagCount, body.config.hidden]), ("head.bias", [tagCount])]
  }

  /// The tensor called `name` (see ``tensorShapes``).
  public func tensor(named name: String) -> [Float]? {
    let KH = tagCount * body.config.hidden
    switch name {
    case "head.weight": return Array(head.array[..<KH])
    case "head.bias": return Array(head.array[KH...])
    default: return body.layout.entry(named: name).flatMap { $0.offset < bodyCount ? body.tensor(named: name) : nil }
    }
  }

  /// Replaces the tensor called `name`; the count must match its shape.
  public func setTensor(named name: String, to values: [Float]) throws(ModelError) {
    let KH = tagCount * body.config.hidden
    guard name.hasPrefix("head.") else { return try body.setTensor(named: name, to: values) }
    let (offset, count) = name == "head.weight" ? (0, KH) : (KH, tagCount)
    guard name == "head.weight" || name == "head.bias" else { throw .shapeMismatch("no tensor named \(name)") }
    guard values.count == count else { throw .shapeMismatch("\(name) has \(count) elements, got \(values.count)") }
    for i in 0..<count { head.pointer[offset + i] = values[i] }
  }

  /// Logits `[T·B, K]` of `inputs` `[T·B]` (B chunks of T characters, time-major); leaves the
  /// activations in the workspace it returns.
  func forward(_ inputs: [Int32], batch B: Int, training: Bool) -> (logits: [Float], workspace: Workspace) {
    precondition(inputs.count % B == 0 && !inputs.isEmpty, "inputs must be B chunks of equal length")
    let H = body.config.hidden, K = tagCount, N = inputs.count
    let ws = Self.workspace(&workspaces, config: body.config, batch: B, steps: N / B)
    var state = HiddenState(config: body.config, batch: B)
    var rng = RandomGenerator(seed: 0)
    inputs.withUnsafeBufferPointer {
      body.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: training, rng: &rng)
    }
    var logits = [Float](repeating: 0, count: N * K)
    logits.withUnsafeMutableBufferPointer { out in
      for r in 0..<N { (out.baseAddress! + r * K).update(from: head.pointer + K * H, count: K) }
      BLAS.gemm(
        transB: true, m: N, n: K, k: H, a: ws.outputs[body.config.layers - 1].pointer, lda: H, b: head.pointer, ldb: H,
        beta: 1, c: out.baseAddress!, ldc: K)
    }
    return (logits, ws)
  }

  /// `[T, K]` tag probabilities of every character of `tokens` (one chunk).
  public func probabilities(_ tokens: [Int32]) -> [Float] {
    var logits = forward(tokens, batch: 1, training: false).logits
    let K = tagCount
    logits.withUnsafeMutableBufferPointer {
      for r in 0..<tokens.count { _ = FastMath.softmax($0.baseAddress! + r * K, count: K) }
    }
    return logits
  }

  /// Summed cross-entropy (nats) and the number of correctly tagged characters of `inputs`
  /// (B chunks, time-major) against `targets`, without gradients.
  public func evaluate(_ inputs: [Int32], targets: [Int32], batch B: Int) -> (nats: Double, correct: Int) {
    var logits = forward(inputs, batch: B, training: false).logits
    let K = tagCount
    var correct = 0
    for r in 0..<inputs.count {
      let row = logits[(r * K)..<(r * K + K)]
      if row.indices.max(by: { row[$0] < row[$1] })! - r * K == Int(targets[r]) { correct += 1 }
    }
    let nats = logits.withUnsafeMutableBufferPointer { l in
      targets.withUnsafeBufferPointer {
        CrossEntropy.loss(logits: l.baseAddress!, rows: inputs.count, vocab: K, targets: $0.baseAddress!, gradientScale: nil)
      }
    }
    return (nats, correct)
  }

  /// The mean per-character cross-entropy of `inputs` (B chunks, time-major) against `targets`,
  /// adding `scale ×` its gradient into `bodyGradients` and `headGradients`.
  @discardableResult
  public func accumulate(_ inputs: [Int32], targets: [Int32], batch B: Int, scale: Float = 1) -> Double {
    let H = body.config.hidden, K = tagCount, N = inputs.count
    var (logits, ws) = forward(inputs, batch: B, training: true)
    let top = ws.outputs[body.config.layers - 1].pointer
    let hg = headGradients.pointer
    var dTop = [Float](repeating: 0, count: N * H)
    let total = logits.withUnsafeMutableBufferPointer { d in
      let total = targets.withUnsafeBufferPointer {
        CrossEntropy.loss(logits: d.baseAddress!, rows: N, vocab: K, targets: $0.baseAddress!, gradientScale: scale / Float(N))
      }
      // dW += dlogitsᵀ · top, db += Σ_rows dlogits, dTop = dlogits · W.
      BLAS.gemm(transA: true, m: K, n: H, k: N, a: d.baseAddress!, lda: K, b: top, ldb: H, beta: 1, c: hg, ldc: H)
      for r in 0..<N { BLAS.axpy(count: K, alpha: 1, x: d.baseAddress! + r * K, y: hg + K * H) }
      dTop.withUnsafeMutableBufferPointer {
        BLAS.gemm(m: N, n: H, k: K, a: d.baseAddress!, lda: K, b: head.pointer, ldb: H, c: $0.baseAddress!, ldc: H)
      }
      return total
    }
    dTop.withUnsafeBufferPointer { body.backwardRecurrent(dTop: $0.baseAddress!, workspace: ws, into: body.gradients.pointer) }
    accumulateBodyGradients(scale: 1)
    return total / Double(N)
  }
}
