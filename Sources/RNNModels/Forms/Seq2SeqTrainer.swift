import NumericCore

/// Training of a ``Seq2SeqModel`` by steps, each one batch of pairs sharing a source length
/// (teacher forcing, Adam, gradients clipped by their global norm over all three parameter groups).
/// Each epoch's batches are a pure function of the training pairs, the batch size, the seed and
/// the epoch number, and each step's dropout masks of the seed and the step number; so the
/// position (`epoch`, `position`), the step count and Adam's slots are the whole training state,
/// and a saved and loaded model continues bit for bit as if it had not stopped.
public struct Seq2SeqTrainer: Sendable {
  public var optimizer = OptimizerConfig(kind: .adam)
  public var encoderState: OptimizerState
  public var decoderState: OptimizerState
  public var attentionState: OptimizerState
  public var seed: UInt64
  public var steps = 0
  public var epoch = 0
  /// Batches of `epoch` already trained on.
  public var position = 0
  /// The training loss of every step.
  public var losses: [Float] = []
  private var plan: (epoch: Int, batch: Int, batches: [[Int]])?

  public init(model: Seq2SeqModel, seed: UInt64) {
    encoderState = OptimizerState(config: optimizer, parameterCount: model.encoderCount)
    decoderState = OptimizerState(config: optimizer, parameterCount: model.decoderCount)
    attentionState = OptimizerState(config: optimizer, parameterCount: model.attention.count)
    self.seed = seed
  }

  /// The batches of epoch `epoch`: the pairs grouped by source length, each group shuffled and
  /// cut into batches of at most `batch`, the batches shuffled. Indices into `examples`.
  public static func batches(_ examples: [Seq2SeqExample], batch: Int, seed: UInt64, epoch: Int) -> [[Int]] {
    var rng = RandomGenerator(seed: seed ^ 0xBA7C_4E5 ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
    var groups: [Int: [Int]] = [:]
    for (i, e) in examples.enumerated() { groups[e.source.count, default: []].append(i) }
    var out: [[Int]] = []
    for length in groups.keys.sorted() {
      var g = groups[length]!
      for i in stride(from: g.count - 1, to: 0, by: -1) { g.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      for start in stride(from: 0, to: g.count, by: batch) { out.append(Array(g[start..<min(start + batch, g.count)])) }
    }
    for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    return out
  }

  /// Trains `steps` steps on `examples` (not empty), calling `report(step, loss, pairs in the
  /// step's batch)` after each.
  /// Stops between steps when `shouldStop` returns true.
  public mutating func train(
    _ model: Seq2SeqModel, on examples: [Seq2SeqExample], steps count: Int, batch: Int, learningRate: Float,
    clip: Float, shouldStop: () -> Bool = { false }, report: (Int, Float, Int) -> Void = { _, _, _ in }
  ) {
    var done = 0
    while done < count {
      if shouldStop() { return }
      if plan?.epoch != epoch || plan?.batch != batch {
        plan = (epoch, batch, Self.batches(examples, batch: batch, seed: seed, epoch: epoch))
      }
      if position >= plan!.batches.count {  // only after `batch` grew: the epoch is over
        (epoch, position) = (epoch + 1, 0)
        continue
      }
      let indices = plan!.batches[position]
      var rng = RandomGenerator(seed: seed ^ 0xD20_9007 ^ (UInt64(steps) &* 0xBF58_476D_1CE4_E5B9))
      let loss = Float(model.pass(Seq2SeqBatch(indices.map { examples[$0] }), gradients: true, training: true, rng: &rng))
      update(model, lr: learningRate, clip: clip)
      steps += 1
      losses.append(loss)
      position += 1
      if position == plan!.batches.count {
        epoch += 1
        position = 0
      }
      done += 1
      report(steps, loss, indices.count)
    }
  }

  /// Clips the global norm of all gradients together to `clip` (0 = off; PyTorch's
  /// `clip_grad_norm_`), then one Adam step per parameter group.
  mutating func update(_ model: Seq2SeqModel, lr: Float, clip: Float) {
    let groups = model.parameterGroups
    if clip > 0 { GradientClipping.norm(clip).apply(toGroups: groups.map { ($0.gradients, $0.count) }) }
    for (i, g) in groups.enumerated() where g.count > 0 {
      switch i {
      case 0:
        Optimizer.step(config: optimizer, state: &encoderState, lr: lr, parameters: g.parameters, gradients: g.gradients, count: g.count)
      case 1:
        Optimizer.step(config: optimizer, state: &decoderState, lr: lr, parameters: g.parameters, gradients: g.gradients, count: g.count)
      default:
        Optimizer.step(config: optimizer, state: &attentionState, lr: lr, parameters: g.parameters, gradients: g.gradients, count: g.count)
      }
    }
  }
}

extension Seq2SeqModel {
  /// The three parameter groups in a fixed order (encoder body, decoder, attention), each with
  /// its gradients and count.
  public var parameterGroups: [(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, count: Int)] {
    [
      (encoder.parameters.pointer, encoder.gradients.pointer, encoderCount),
      (decoder.parameters.pointer, decoder.gradients.pointer, decoderCount),
      (attention.pointer, attentionGradients.pointer, attention.count),
    ]
  }

  /// Mean cross-entropy per target token (ends included) of `examples` under teacher forcing,
  /// without dropout, in batches of up to `batch` pairs of one source length.
  public func loss(_ examples: [Seq2SeqExample], batch: Int = 64) -> Double {
    guard !examples.isEmpty else { return .nan }
    var total = 0.0, count = 0
    var rng = RandomGenerator(seed: 0)
    for indices in Seq2SeqTrainer.batches(examples, batch: batch, seed: 0, epoch: 0) {
      let b = Seq2SeqBatch(indices.map { examples[$0] })
      total += pass(b, gradients: false, training: false, rng: &rng) * Double(b.targetCount)
      count += b.targetCount
    }
    return total / Double(count)
  }

  /// Whether each example's greedy (or beam) translation equals its target, in order. Decoding
  /// stops one character past the target's length: a longer output is wrong however it ends.
  public func exactMatches(_ examples: [Seq2SeqExample], beam: Int = 1) -> [Bool] {
    examples.map { translate($0.source, beam: beam, maxLength: $0.target.count + 1).tokens == $0.target }
  }
}
