import RNNModels

/// What `train`'s `patience` and `restore_best` ask for. Both count evaluations, so both need
/// `eval_every`.
struct EarlyStoppingPlan {
  /// Stop after this many evaluations in a row without a new best (nil: never stop early).
  var patience: Int?
  /// End the run on the weights of the best evaluation.
  var restoreBest: Bool

  init(_ arguments: Arguments<TrainParameters>) throws(InterpreterError) {
    patience = arguments[\.patience]
    restoreBest = arguments[\.restoreBest]
    for key in [\TrainParameters.patience, \.restoreBest] where arguments.has(key) && arguments[\.evalEvery] == 0 {
      throw arguments.error(
        "'\(arguments.name(of: key))' counts validation evaluations: give eval_every too", at: key, kind: .invalid)
    }
  }
}

/// Early stopping and the plateau schedule during one `train` call: both follow the model's
/// whole-split validation losses (`eval_every`), kept in its `TrainingState` so a checkpoint
/// resumes them exactly.
///
/// Semantics (Keras's `EarlyStopping` with `min_delta` 0, as Lightning's): a new best is a
/// strictly lower loss; `patience` N stops the run at the N-th evaluation in a row without one.
/// The tracker carries over from one `train` call to the next (so `train m steps 1000` twice
/// equals `train m steps 2000` once) and starts afresh after a call it stopped. With
/// `restore_best` the run ends on the best weights whether it stopped early or ran its steps
/// (not when Ctrl-C stopped it); only the weights go back, as Keras's `restore_best_weights`: the
/// step counter, the optimizer's slots and step, the data cursor, the carried hidden state and the
/// loss history stay where training stopped.
struct ValidationWatch {
  let plan: EarlyStoppingPlan
  /// Whether this run reached its patience.
  private(set) var stoppedEarly = false
  /// Whether the run ended by putting the best weights back (then no checkpoint of this run holds
  /// the model's weights).
  private(set) var restored = false

  init(plan: EarlyStoppingPlan, state: inout TrainingState) {
    self.plan = plan
    if state.earlyStopping?.stopped == true { state.earlyStopping = nil }
  }

  /// After a whole-split evaluation of `step`: moves the tracker (keeping a copy of the weights of
  /// a new best with `restore_best`) and the plateau schedule; returns the lines to print and
  /// whether training must stop.
  mutating func observe(_ loss: Double, step: Int, trainer: Trainer, options: TrainingOptions, unit: String)
    -> [String]
  {
    var lines: [String] = []
    var tracker = trainer.state.earlyStopping ?? EarlyStoppingState()
    if tracker.observe(loss, step: step) {
      tracker.bestParameters = plan.restoreBest ? trainer.model.parameters.array : nil
    }
    if let patience = plan.patience, tracker.sinceBest >= patience {
      tracker.stopped = true
      stoppedEarly = true
    }
    trainer.state.earlyStopping = tracker
    let before = trainer.state.learningRate(options)
    if trainer.state.observePlateau(loss, options: options) {
      let after = trainer.state.learningRate(options)
      lines.append(
        "plateau: no improvement on \(Formatting.fixed(trainer.state.plateau!.best, 4)) \(unit) in "
          + "\(patienceWords(options)); lr \(Formatting.number(Double(before))) → \(Formatting.number(Double(after)))")
    }
    return lines
  }

  private func patienceWords(_ options: TrainingOptions) -> String {
    guard case .plateau(_, let patience, _, _) = options.schedule else { return "" }
    return "\(patience + 1) evaluation\(patience == 0 ? "" : "s")"
  }

  /// At the end of the run: why it stopped early, and the best weights put back with
  /// `restore_best` (not after a Ctrl-C stop, which keeps the state to continue from).
  mutating func finish(trainer: Trainer, interrupted: Bool, unit: String) -> (lines: [String], warnings: [String]) {
    guard let tracker = trainer.state.earlyStopping, tracker.best.isFinite else { return ([], []) }
    var lines: [String] = []
    let step = trainer.state.step
    let best = "best validation \(Formatting.fixed(tracker.best, 4)) \(unit) at step \(tracker.bestStep)"
    if stoppedEarly, let patience = plan.patience {
      lines.append(
        "early stopping at step \(step): no new best validation loss in \(patience) evaluation\(patience == 1 ? "" : "s") "
          + "(patience \(patience)); \(best)")
    }
    guard plan.restoreBest, !interrupted, tracker.bestStep != step else { return (lines, []) }
    guard let weights = tracker.bestParameters, weights.count == trainer.model.parameterCount else {
      return (
        lines,
        [
          "restore_best: the best weights (step \(tracker.bestStep)) were found before restore_best was on and were not kept; "
            + "the model keeps the weights of step \(step)"
        ]
      )
    }
    weights.withUnsafeBufferPointer { trainer.model.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
    restored = true
    lines.append(
      "restored the weights of step \(tracker.bestStep) (\(best)); the step counter, optimizer state and data position "
        + "stay at step \(step)")
    return (lines, [])
  }
}
