import NumericCore

/// Mini-batch training of a ``FormModel`` with Adam (PyTorch's equations, ``Optimizer``) and
/// gradient clipping by the global norm of both parameter groups (`clip_grad_norm_`). The
/// examples are visited in an order shuffled afresh every epoch from the seed and the epoch
/// number, so the position (`epoch`, `cursor`) is all a checkpoint needs to continue exactly.
public struct FormTrainer: Sendable, Equatable {
  /// A point of the loss history: the mean loss of one update, or a validation loss.
  public struct Record: Sendable, Equatable {
    public var step: Int
    public var loss: Double

    public init(step: Int, loss: Double) {
      self.step = step
      self.loss = loss
    }
  }

  public var optimizer: OptimizerConfig
  public var bodyState: OptimizerState
  public var extraState: OptimizerState
  /// Seeds every epoch's order.
  public var seed: UInt64
  /// Updates done; the epoch being read (from 0) and how many of its examples were used.
  public var step = 0
  public var epoch = 0
  public var cursor = 0
  /// The mean training loss of every update, and the validation losses measured by `eval`.
  public var losses: [Record] = []
  public var validation: [Record] = []

  public init(bodyCount: Int, extraCount: Int, seed: UInt64) {
    optimizer = OptimizerConfig(kind: .adam)
    bodyState = OptimizerState(config: optimizer, parameterCount: bodyCount)
    extraState = OptimizerState(config: optimizer, parameterCount: extraCount)
    self.seed = seed
  }

  /// The order of `count` examples in epoch `epoch`: a Fisher–Yates shuffle seeded by both.
  public func order(count: Int, epoch: Int) -> [Int] {
    var rng = RandomGenerator(seed: seed ^ 0xF0E5_7A11 ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    return order
  }

  /// The next `batch` example indices out of `count` (fewer at the end of an epoch), advancing the
  /// position; a new epoch starts when the last one is used up.
  public mutating func nextBatch(count: Int, batch: Int) -> [Int] {
    if cursor >= count {
      epoch += 1
      cursor = 0
    }
    let take = min(batch, count - cursor)
    defer { cursor += take }
    return Array(order(count: count, epoch: epoch)[cursor..<(cursor + take)])
  }

  /// Clips both accumulated gradients together to global norm `clip` (0 = off), then one Adam
  /// step on each group; records `loss` for this update.
  public mutating func update(_ model: some FormModel, loss: Double, lr: Float, clip: Float) {
    let bg = model.bodyGradients.pointer, eg = model.extraGradients.pointer
    if clip > 0 { _ = GradientClipping.norm(clip).apply(to: bg, count: model.bodyCount, and: eg, count: model.extra.count) }
    Optimizer.step(
      config: optimizer, state: &bodyState, lr: lr, parameters: model.body.parameters.pointer, gradients: bg,
      count: model.bodyCount)
    Optimizer.step(
      config: optimizer, state: &extraState, lr: lr, parameters: model.extra.pointer, gradients: eg,
      count: model.extra.count)
    step += 1
    losses.append(Record(step: step, loss: loss))
  }
}
