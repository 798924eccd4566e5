/// The early-stopping tracker of a model's training (Keras's `EarlyStopping` and Lightning's, mode
/// `min`, `min_delta` 0): the best whole-split validation loss seen during training, its step,
/// and how many evaluations have passed since. A checkpoint holds it (`state.early_stopping`, and
/// `state.early_stopping.best_parameters` when the best weights are kept), so a run resumed from a
/// checkpoint saved in its middle stops where the whole run would have.
public struct EarlyStoppingState: Sendable, Equatable {
  /// The lowest validation loss seen (+∞ before the first evaluation).
  public var best: Double
  /// The step whose weights gave `best`.
  public var bestStep: Int
  /// Evaluations since `best` (Keras's `wait`).
  public var sinceBest: Int
  /// Whether a `train` call ended because of it (the next `train` call then starts afresh, as a
  /// new Keras `fit` does).
  public var stopped: Bool
  /// A copy of the parameters of `bestStep` (`ParameterLayout` order), kept while `restore_best`
  /// is on.
  public var bestParameters: [Float]?

  public init(
    best: Double = .infinity, bestStep: Int = 0, sinceBest: Int = 0, stopped: Bool = false,
    bestParameters: [Float]? = nil
  ) {
    self.best = best
    self.bestStep = bestStep
    self.sinceBest = sinceBest
    self.stopped = stopped
    self.bestParameters = bestParameters
  }

  /// Records the validation loss of `step`; returns whether it is a new best (strictly lower).
  public mutating func observe(_ loss: Double, step: Int) -> Bool {
    guard loss < best else {
      sinceBest += 1
      return false
    }
    best = loss
    bestStep = step
    sinceBest = 0
    return true
  }

  /// The four values of the checkpoint tensor `state.early_stopping` (F64 [4]): best loss, its
  /// step, evaluations since, stopped (0 or 1).
  public var values: [Double] { [best, Double(bestStep), Double(sinceBest), stopped ? 1 : 0] }

  /// The state from `state.early_stopping`'s values, nil when they are not a valid state.
  public init?(values v: [Double]) {
    guard v.count == 4, !v[0].isNaN, v[1] >= 0, v[2] >= 0, v[1] < 1e15, v[2] < 1e9, v[1] == v[1].rounded(),
      v[2] == v[2].rounded(), v[3] == 0 || v[3] == 1
    else { return nil }
    self.init(best: v[0], bestStep: Int(v[1]), sinceBest: Int(v[2]), stopped: v[3] == 1)
  }
}
