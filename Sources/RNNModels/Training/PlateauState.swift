/// Where PyTorch's `ReduceLROnPlateau` stands (mode `min`, `threshold_mode` `rel`, threshold
/// 1e-4, `eps` 1e-8), as plain values a checkpoint holds (`state.plateau`), so the schedule
/// resumes exactly. It moves at every whole-split validation during training (`eval_every`):
///
/// ```
/// better = loss < best · (1 − 1e-4)          (the first evaluation is always better)
/// if better { best = loss; bad = 0 } else { bad += 1 }
/// if cooldownLeft > 0 { cooldownLeft −= 1; bad = 0 }
/// if bad > patience {
///   new = max(lr·scale·γ, lr·floor); if lr·scale − new > 1e-8 { scale = new / lr }
///   cooldownLeft = cooldown; bad = 0
/// }
/// ```
///
/// The rate of every update is `lr · scale` (`TrainingState.learningRate(_:)`), `lr` the base
/// rate of the `train` options and `floor` a fraction of it (`lr_floor`, PyTorch's `min_lr`).
public struct PlateauState: Sendable, Equatable {
  /// The current rate as a fraction of the base rate (1 until the first reduction).
  public var scale: Double
  /// The lowest validation loss seen (+∞ before the first evaluation).
  public var best: Double
  /// Evaluations since the last improvement (PyTorch's `num_bad_epochs`).
  public var badEvaluations: Int
  /// Evaluations still to pass in the cool-down after a reduction (`cooldown_counter`).
  public var cooldownLeft: Int

  /// PyTorch's default relative threshold: a loss must beat `best · (1 − threshold)`.
  public static let threshold = 1e-4
  /// PyTorch's `eps`: a reduction smaller than this (in absolute rate) is skipped.
  public static let epsilon = 1e-8

  public init(scale: Double = 1, best: Double = .infinity, badEvaluations: Int = 0, cooldownLeft: Int = 0) {
    self.scale = scale
    self.best = best
    self.badEvaluations = badEvaluations
    self.cooldownLeft = cooldownLeft
  }

  /// Records one validation loss (nats) for base rate `lr`; returns whether the rate was lowered.
  public mutating func observe(
    _ loss: Double, lr: Float, gamma: Float, patience: Int, cooldown: Int, floor: Float
  ) -> Bool {
    if loss < best * (1 - Self.threshold) {
      best = loss
      badEvaluations = 0
    } else {
      badEvaluations += 1
    }
    if cooldownLeft > 0 {
      cooldownLeft -= 1
      badEvaluations = 0
    }
    guard badEvaluations > patience else { return false }
    let base = Double(lr), old = base * scale
    let new = max(old * Double(gamma), base * Double(floor))
    cooldownLeft = cooldown
    badEvaluations = 0
    guard old - new > Self.epsilon else { return false }
    scale = new / base
    return true
  }

  /// The four values of the checkpoint tensor `state.plateau` (F64 [4]).
  public var values: [Double] { [scale, best, Double(badEvaluations), Double(cooldownLeft)] }

  /// The state from `state.plateau`'s values, nil when they are not a valid state.
  public init?(values v: [Double]) {
    guard v.count == 4, v[0] > 0, v[0] <= 1, !v[1].isNaN, v[2] >= 0, v[3] >= 0, v[2] < 1e9, v[3] < 1e9,
      v[2] == v[2].rounded(), v[3] == v[3].rounded()
    else { return nil }
    self.init(scale: v[0], best: v[1], badEvaluations: Int(v[2]), cooldownLeft: Int(v[3]))
  }
}

extension TrainingState {
  /// The rate of the next update: the schedule's rate at the optimizer's step count, times the
  /// plateau factor for the plateau schedule.
  public func learningRate(_ options: TrainingOptions) -> Float {
    let rate = options.schedule.rate(base: options.learningRate, update: optimizer.step)
    guard case .plateau = options.schedule, let plateau else { return rate }
    return Float(Double(rate) * plateau.scale)
  }

  /// Feeds one whole-split validation loss to the plateau schedule, when `options` has one
  /// (a fresh `PlateauState` the first time); returns whether the rate was lowered.
  public mutating func observePlateau(_ loss: Double, options: TrainingOptions) -> Bool {
    guard case .plateau(let gamma, let patience, let cooldown, let floor) = options.schedule else { return false }
    var state = plateau ?? PlateauState()
    let reduced = state.observe(
      loss, lr: options.learningRate, gamma: gamma, patience: patience, cooldown: cooldown, floor: floor)
    plateau = state
    return reduced
  }
}
