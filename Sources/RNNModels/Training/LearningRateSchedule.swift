#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The learning rate as a function of the update index k (0 for the first update), which is the
/// optimizer's step count before the update, so a schedule resumes exactly from a checkpoint.
/// - `constant`: `lr`.
/// - `step(every: s, gamma: γ)`: `lr · γ^⌊k/s⌋` (PyTorch `StepLR`).
/// - `exponential(gamma: γ)`: `lr · γ^k` (PyTorch `ExponentialLR`).
/// - `cosine(warmup: w, total: n, floor: f)`: linear warm-up `lr · k/w` for k < w, then
///   `lr · (f + (1 − f) · ½(1 + cos(π · (k − w)/(n − w))))`, held at `lr · f` after n.
/// - `plateau(gamma: γ, patience: p, cooldown: c, floor: f)`: PyTorch `ReduceLROnPlateau` (mode
///   min, relative threshold 1e-4): `lr` times a factor that validation moves, not k; `rate`
///   gives `lr` and `TrainingState.learningRate(_:)` applies the factor (`PlateauState`).
public enum LearningRateSchedule: Sendable, Equatable, Codable {
  case constant
  case step(every: Int, gamma: Float)
  case exponential(gamma: Float)
  case cosine(warmup: Int, total: Int, floor: Float)
  case plateau(gamma: Float, patience: Int, cooldown: Int, floor: Float)

  public func rate(base lr: Float, update k: Int) -> Float {
    switch self {
    case .constant, .plateau:
      return lr
    case .step(let every, let gamma):
      return lr * Float(pow(Double(gamma), Double(k / max(every, 1))))
    case .exponential(let gamma):
      return lr * Float(pow(Double(gamma), Double(k)))
    case .cosine(let warmup, let total, let floor):
      if k < warmup { return lr * Float(k) / Float(warmup) }
      let span = max(total - warmup, 1)
      let progress = min(Double(k - warmup) / Double(span), 1)
      let factor = Double(floor) + (1 - Double(floor)) * 0.5 * (1 + cos(Double.pi * progress))
      return lr * Float(factor)
    }
  }

  /// Checks ranges; the message names the option and the allowed range.
  public func validate() throws(ModelError) {
    switch self {
    case .constant: break
    case .step(let every, let gamma):
      if every < 1 { throw .invalidArgument("decay step must be ≥ 1, got \(every)") }
      if !(gamma > 0 && gamma <= 1) { throw .invalidArgument("decay gamma must be in (0, 1], got \(gamma)") }
    case .exponential(let gamma):
      if !(gamma > 0 && gamma <= 1) { throw .invalidArgument("decay gamma must be in (0, 1], got \(gamma)") }
    case .cosine(let warmup, let total, let floor):
      if warmup < 0 { throw .invalidArgument("warmup must be ≥ 0, got \(warmup)") }
      if total < 1 { throw .invalidArgument("cosine total steps must be ≥ 1, got \(total)") }
      if !(floor >= 0 && floor <= 1) { throw .invalidArgument("cosine floor must be in [0, 1], got \(floor)") }
    case .plateau(let gamma, let patience, let cooldown, let floor):
      if !(gamma > 0 && gamma <= 1) { throw .invalidArgument("decay gamma must be in (0, 1], got \(gamma)") }
      if patience < 0 { throw .invalidArgument("plateau patience must be ≥ 0, got \(patience)") }
      if cooldown < 0 { throw .invalidArgument("cooldown must be ≥ 0, got \(cooldown)") }
      if !(floor >= 0 && floor <= 1) { throw .invalidArgument("lr floor must be in [0, 1], got \(floor)") }
    }
  }
}
