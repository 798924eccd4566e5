/// How `train` runs: batch B (parallel streams), sequence length T (steps backpropagated per
/// chunk), learning rate, update rule, clipping, schedule, and the precision of the forward pass's
/// big products (not saved in checkpoints: they hold fp32 weights either way).
public struct TrainingOptions: Sendable, Equatable {
  public var batch: Int
  public var seq: Int
  public var learningRate: Float
  public var optimizer: OptimizerConfig
  public var clipping: GradientClipping
  public var schedule: LearningRateSchedule
  public var precision: Precision

  public init(
    batch: Int = 32, seq: Int = 64, learningRate: Float = 2e-3,
    optimizer: OptimizerConfig = OptimizerConfig(kind: .adam), clipping: GradientClipping = .norm(5),
    schedule: LearningRateSchedule = .constant, precision: Precision = .fp32
  ) {
    self.batch = batch
    self.seq = seq
    self.learningRate = learningRate
    self.optimizer = optimizer
    self.clipping = clipping
    self.schedule = schedule
    self.precision = precision
  }

  public func validate() throws(ModelError) {
    guard (1...65_536).contains(batch) else { throw .invalidArgument("batch must be between 1 and 65536, got \(batch)") }
    guard (1...100_000).contains(seq) else { throw .invalidArgument("seq must be between 1 and 100000, got \(seq)") }
    guard learningRate > 0, learningRate.isFinite else {
      throw .invalidArgument("lr must be > 0, got \(learningRate)")
    }
    switch clipping {
    case .none: break
    case .norm(let c), .value(let c):
      guard c > 0, c.isFinite else { throw .invalidArgument("clip must be > 0, got \(c)") }
    }
    try optimizer.validate()
    try schedule.validate()
  }
}
