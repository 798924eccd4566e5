import NumericCore

/// A one-to-many conditional generator of words, as PyTorch's "generate names by language"
/// tutorial: `Embedding(V, E) → L × cell(H) → Linear(H, V)`, where the label's one-hot vector
/// (C labels) is concatenated to the character embedding at every step. Layer 0 therefore reads
/// `[E + C]` inputs; its `W_ih0` `[G·H, E + C]` is kept as the body's `[G·H, E]` part and the label
/// part, stored here as ``condition`` `[C, G·H]` (row c = column E + c of `W_ih0`), which adds
/// row `label` to layer 0's input projection at every step.
///
/// Words are read between boundaries: the vocabulary includes ``boundary`` (`"\n"`, which no word
/// contains), the input is `⏎ w₁ … wₙ` and the target `w₁ … wₙ ⏎`, from a zero state. A
/// mini-batch reads its B words side by side, padded to the longest and masked (``WordBatch``), on
/// the body's batched kernels; its loss is the mean cross-entropy over all its predicted characters
/// (the ends included), PyTorch's `cross_entropy(…, ignore_index=…)` on the padded batch; for one
/// word, that word's mean per character. Not `Sendable`.
public final class ConditionalGenerator: FormModel {
  public let body: LanguageModel
  public let labels: [String]
  /// The word characters and the boundary.
  public let vocabulary: Vocabulary
  /// `[C, G·H]`: the label columns of layer 0's input weight, one row per label.
  public let condition: FloatBuffer
  public let bodyGradients: FloatBuffer
  public let conditionGradients: FloatBuffer
  /// The token of the word boundary `"\n"` (start and end of every word).
  public let boundary: Int32
  private var workspaces: [Int: Workspace] = [:]

  public var bodyCount: Int { body.parameterCount }
  public var extra: FloatBuffer { condition }
  public var extraGradients: FloatBuffer { conditionGradients }
  /// C.
  public var labelCount: Int { labels.count }
  /// G·H, the width of a label's row.
  public var gateWidth: Int { body.config.cell.gateCount * body.config.hidden }

  /// A fresh generator with PyTorch's default initialisation drawn from `seed`: every weight,
  /// the label columns included, uniform in ±1/√H. `vocabulary` must contain `"\n"`.
  public init(
    cell: CellKind, vocabulary: Vocabulary, labels: [String], embed: Int, hidden: Int, layers: Int, seed: UInt64
  ) throws(ModelError) {
    guard labels.count >= 1 else { throw .invalidArgument("a generator needs at least 1 label") }
    guard let boundary = vocabulary.index(of: "\n") else {
      throw .invalidArgument("a generator's vocabulary must contain the word boundary \"\\n\"")
    }
    let config = ModelConfig(cell: cell, vocabSize: vocabulary.count, embed: embed, hidden: hidden, layers: layers)
    body = try LanguageModel(config: config, seed: seed)
    self.labels = labels
    self.vocabulary = vocabulary
    self.boundary = Int32(boundary)
    condition = FloatBuffer(count: labels.count * cell.gateCount * hidden)
    var rng = RandomGenerator(seed: seed ^ 0xC0_4D17)
    let bound = 1 / Float(hidden).squareRoot()
    for i in 0..<condition.count { condition.pointer[i] = rng.uniform(-bound, bound) }
    bodyGradients = FloatBuffer(count: body.parameterCount)
    conditionGradients = FloatBuffer(count: condition.count)
  }

  /// The tensor called `name` as PyTorch's concatenated-input model has it: `rnn.weight_ih_l0` is
  /// `[G·H, E + C]` (the body's columns, then the label columns); every other name is the body's.
  public func tensor(named name: String) -> [Float]? {
    guard name == "rnn.weight_ih_l0" else { return body.tensor(named: name) }
    let E = body.config.embed, C = labelCount, GH = gateWidth
    let w = body.tensor(named: name)!
    var out = [Float](repeating: 0, count: GH * (E + C))
    for j in 0..<GH {
      for k in 0..<E { out[j * (E + C) + k] = w[j * E + k] }
      for c in 0..<C { out[j * (E + C) + E + c] = condition.pointer[c * GH + j] }
    }
    return out
  }

  /// Replaces the tensor called `name` (PyTorch's shapes, as ``tensor(named:)``).
  public func setTensor(named name: String, to values: [Float]) throws(ModelError) {
    guard name == "rnn.weight_ih_l0" else { return try body.setTensor(named: name, to: values) }
    let E = body.config.embed, C = labelCount, GH = gateWidth
    guard values.count == GH * (E + C) else {
      throw .shapeMismatch("\(name) has \(GH * (E + C)) elements (shape [\(GH), \(E + C)]), got \(values.count)")
    }
    var w = [Float](repeating: 0, count: GH * E)
    for j in 0..<GH {
      for k in 0..<E { w[j * E + k] = values[j * (E + C) + k] }
      for c in 0..<C { condition.pointer[c * GH + j] = values[j * (E + C) + E + c] }
    }
    try body.setTensor(named: name, to: w)
  }

  /// `(name, shape)` of every tensor in PyTorch's order and shapes.
  public var tensorShapes: [(name: String, shape: [Int])] {
    body.layout.entries.map { e in
      (e.name, e.name == "rnn.weight_ih_l0" ? [gateWidth, body.config.embed + labelCount] : e.shape)
    }
  }

  /// The vocabulary of `words`: their characters and the boundary, sorted.
  public static func vocabulary(of words: [String]) -> Vocabulary { Vocabulary(of: words.joined() + "\n") }

  /// `⏎ w₁ … wₙ` and `w₁ … wₙ ⏎` for a word's tokens `w`.
  public func inputsAndTargets(_ word: [Int32]) -> (inputs: [Int32], targets: [Int32]) {
    ([boundary] + word, word + [boundary])
  }

  /// Runs the body over `batch` from a zero state, each stream with its label's row of
  /// ``condition`` added to layer 0's input projection.
  private func forward(_ batch: WordBatch, training: Bool) -> Workspace {
    let B = batch.batch, GH = gateWidth
    let ws = Self.workspace(&workspaces, config: body.config, batch: B, steps: batch.steps)
    var state = HiddenState(config: body.config, batch: B)
    var rng = RandomGenerator(seed: 0)
    var rows = [Float](repeating: 0, count: B * GH)
    rows.withUnsafeMutableBufferPointer { r in
      for (b, label) in batch.labels.enumerated() { (r.baseAddress! + b * GH).update(from: condition.pointer + label * GH, count: GH) }
    }
    batch.inputs.withUnsafeBufferPointer { inputs in
      rows.withUnsafeBufferPointer {
        body.forward(
          inputs: inputs.baseAddress!, state: &state, workspace: ws, training: training, rng: &rng,
          inputBias: $0.baseAddress!)
      }
    }
    return ws
  }

  /// The total cross-entropy (nats) of `word` under `label` and how many characters it predicts
  /// (`n + 1`, the end included), without gradients.
  public func loss(_ word: [Int32], label: Int) -> (nats: Double, characters: Int) {
    let batch = WordBatch(words: [(word, label)], boundary: boundary)
    let ws = forward(batch, training: false)
    let total = batch.targets.withUnsafeBufferPointer {
      CrossEntropy.loss(
        logits: ws.logits.pointer, rows: ws.rows, vocab: body.config.vocabSize, targets: $0.baseAddress!,
        gradientScale: nil)
    }
    return (total, batch.characters)
  }

  /// The mean cross-entropy per predicted character of `words` (each word's tokens and label) read
  /// side by side (``WordBatch``): Σ over every word's characters, the ends included, over how many
  /// there are. Adds `scale ×` its gradient into `bodyGradients` and `conditionGradients` (call
  /// ``zeroGradients()`` first).
  @discardableResult
  public func accumulate(_ words: [([Int32], Int)], scale: Float = 1) -> Double {
    let batch = WordBatch(words: words, boundary: boundary)
    let ws = forward(batch, training: true)
    let n = batch.characters
    let total = batch.targets.withUnsafeBufferPointer {
      CrossEntropy.loss(
        logits: ws.logits.pointer, rows: ws.rows, vocab: body.config.vocabSize, targets: $0.baseAddress!,
        gradientScale: 1 / Float(n))
    }
    body.backward(fromLogitGradients: ws)
    accumulateBodyGradients(scale: scale)
    accumulateConditionGradients(batch, workspace: ws, scale: scale)
    return Double(Float(total / Double(n)))
  }

  /// ``accumulate(_:scale:)`` for one word: its mean cross-entropy per character.
  @discardableResult
  public func accumulate(_ word: [Int32], label: Int, scale: Float = 1) -> Double {
    accumulate([(word, label)], scale: scale)
  }

  /// Adds `scale ×` each word's label-row gradient into `conditionGradients`: the sum over the
  /// word's rows of layer 0's input-side gate gradients (left in `ws` by the backward pass). For
  /// one word that sum is layer 0's `∂b_ih0`, which is taken as it is.
  private func accumulateConditionGradients(_ batch: WordBatch, workspace ws: Workspace, scale: Float) {
    let GH = gateWidth, B = batch.batch, dC = conditionGradients.pointer
    guard B > 1 else {
      let bias = body.gradients.pointer + body.layout.layers[0].biasIH
      return BLAS.axpy(count: GH, alpha: scale, x: bias, y: dC + batch.labels[0] * GH)
    }
    let dG = ws.buffers(layer: 0).gates
    for b in 0..<B {
      for t in 0..<batch.lengths[b] {
        BLAS.axpy(count: GH, alpha: scale, x: dG + (t * B + b) * GH, y: dC + batch.labels[b] * GH)
      }
    }
  }

  /// One word drawn for `label`: characters sampled from the softmax at `temperature` (0: the
  /// most likely), starting after `prefix`'s tokens, until the boundary or `length` characters.
  public func sample(label: Int, prefix: [Int32] = [], length: Int, temperature: Float, rng: inout RandomGenerator) -> String {
    let ws = Self.workspace(&workspaces, config: body.config, batch: 1, steps: 1)
    var state = HiddenState(config: body.config, batch: 1)
    var dropout = RandomGenerator(seed: 0)
    var word: [Int32] = [], pending = prefix[...], token = boundary
    while true {
      [token].withUnsafeBufferPointer {
        body.forward(
          inputs: $0.baseAddress!, state: &state, workspace: ws, training: false, rng: &dropout,
          inputBias: condition.pointer + label * gateWidth)
      }
      if let given = pending.popFirst() {
        token = given
      } else {
        guard word.count < prefix.count + length else { break }
        let drawn = Self.draw(ws.logits.pointer, count: body.config.vocabSize, temperature: temperature, rng: &rng)
        if drawn == Int(boundary) { break }
        token = Int32(drawn)
      }
      word.append(token)
    }
    return vocabulary.decode(word)
  }

  /// An index drawn from `softmax(logits / temperature)` (argmax at temperature 0). Overwrites `logits`.
  static func draw(_ logits: UnsafeMutablePointer<Float>, count: Int, temperature: Float, rng: inout RandomGenerator) -> Int {
    if temperature == 0 { return (0..<count).max { logits[$0] < logits[$1] }! }
    for i in 0..<count { logits[i] /= temperature }
    _ = FastMath.softmax(logits, count: count)
    var u = rng.nextUniform()
    for i in 0..<count {
      u -= logits[i]
      if u < 0 { return i }
    }
    return count - 1
  }
}
