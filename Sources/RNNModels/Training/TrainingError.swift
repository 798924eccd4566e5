/// Why training stopped early with an error. The model and state have been restored to the last
/// good point before this is thrown.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalid(ModelError)
  case data(CorpusError)
  case diverged(step: Int, loss: Float, restoredStep: Int)

  public var description: String {
    switch self {
    case .invalid(let e): e.description
    case .data(let e): e.description
    case .diverged(let step, let loss, let restored):
      "training diverged at step \(step) (loss \(loss.isFinite ? String(loss) : "\(loss)")); "
        + "restored the model and optimizer as they were at step \(restored). Try a lower lr or a smaller clip"
    }
  }
}
