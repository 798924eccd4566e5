import NumericCore

/// Everything besides the parameters that training needs to continue exactly where it stopped:
/// steps done, the stream cursor, the carried hidden state, the dropout generator, the optimizer's
/// slots and the loss history. Plain values, so a checkpoint can store and restore all of it.
public struct TrainingState: Sendable, Equatable {
  /// Training steps completed (one step = one chunk of B × T characters and one update).
  public var step: Int
  /// Passes completed over the training streams.
  public var epoch: Int
  /// Offset of the next chunk within every stream (all B streams move together).
  public var cursor: Int
  /// B and T the cursor and hidden state belong to.
  public var batch: Int
  public var seq: Int
  public var hidden: HiddenState
  /// Draws dropout masks.
  public var rng: RandomGenerator
  public var optimizer: OptimizerState
  public var optimizerConfig: OptimizerConfig
  /// Mean training loss (nats/char) of every step, in order.
  public var trainLosses: [Float]
  /// Validation evaluations: (step, nats/char, and how much of the split when not all of it).
  public var validationLosses: [ValidationRecord]
  /// The plateau schedule's position (nil unless the schedule in effect is `plateau`).
  public var plateau: PlateauState?
  /// The early-stopping tracker (nil before the first evaluation during training).
  public var earlyStopping: EarlyStoppingState?

  public struct ValidationRecord: Sendable, Equatable {
    public var step: Int
    public var loss: Float
    /// Characters evaluated when only the first part of the split was (`eval … limit N`); `nil`
    /// for the whole split. Such records are shown but never compared with whole-split ones
    /// (the best checkpoint).
    public var characters: Int?
    public init(step: Int, loss: Float, characters: Int? = nil) {
      self.step = step
      self.loss = loss
      self.characters = characters
    }
  }

  /// A fresh state: step 0, cursor 0, zero hidden state.
  public init(config: ModelConfig, options: TrainingOptions, parameterCount: Int, seed: UInt64) {
    step = 0
    epoch = 0
    cursor = 0
    batch = options.batch
    seq = options.seq
    hidden = HiddenState(config: config, batch: options.batch)
    rng = RandomGenerator(seed: seed ^ 0x5EED_D20F)
    optimizer = OptimizerState(config: options.optimizer, parameterCount: parameterCount)
    optimizerConfig = options.optimizer
    trainLosses = []
    validationLosses = []
    plateau = nil
    earlyStopping = nil
  }
}
