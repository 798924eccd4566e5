import RNNModels

/// What one `train` call will do, resolved from its invocation: the explicit options, else the
/// model's last-used options, else the session defaults, else the table defaults. Building it
/// checks every combination, so nothing runs if it fails.
struct TrainingPlan {
  /// Engine options for this run.
  var options: TrainingOptions
  /// Steps to run (after scaling), or `nil` for a time budget.
  var steps: Int?
  /// Seconds to train for (after scaling), if a time budget was given.
  var budget: Double?
  /// Print the mean loss every this many steps (0: never).
  var every: Int
  /// Evaluate on the validation split every this many steps (0: never).
  var evalEvery: Int
  /// Print a sample every this many steps (0: never).
  var sampleEvery: Int
  /// Characters per periodic sample.
  var sampleLength: Int
  /// The `corpus` option, when the model is to switch corpora.
  var corpusNameOverride: String?
  /// Periodic checkpoints: every this many steps (0: never), kept by this rotation.
  var saveEvery: Int
  var rotation: CheckpointRotation
  /// Time-based autosave interval in seconds (also saves when stopped by Ctrl-C or SIGTERM).
  var autosave: Double?
  /// The folder as the user wrote it (for messages; `rotation.directory` is resolved).
  var saveDirectory: String

  init(_ inv: Arguments<TrainParameters>, entry: ModelEntry, scale: Double)
    throws(InterpreterError)
  {
    let last = entry.lastOptions
    if inv.has(\.steps) && inv.has(\.timeBudget) {
      throw inv.error("give either 'steps' or 'for', not both", at: \.timeBudget, kind: .invalid)
    }
    if inv.has(\.clip) && inv.has(\.clipValue) {
      throw inv.error(
        "give either 'clip' (global norm) or 'clip_value' (element-wise), not both",
        at: \.clipValue, kind: .invalid)
    }
    if let budget = inv[\.timeBudget] {
      self.budget = budget * scale
      steps = nil
    } else {
      let written = inv[\.steps]
      steps = written == 0 ? 0 : max(1, Int((Double(written) * scale).rounded()))
      budget = nil
    }
    let batch = inv.value(\.batch, orLast: last?.batch)
    let seq = inv.value(\.seq, orLast: last?.seq)
    let lr = inv.has(\.lr) ? Float(inv[\.lr]) : (last?.learningRate ?? Float(inv[\.lr]))

    let optimizerOptions: [PartialKeyPath<TrainParameters>] = [
      \.optimizer, \.momentum, \.nesterov, \.alpha, \.weightDecay,
    ]
    let optimizer: OptimizerConfig
    if optimizerOptions.contains(where: inv.has) || last == nil {
      let kind = inv.value(\.optimizer, orLast: last?.optimizer.kind)
      let base = last?.optimizer.kind == kind ? last!.optimizer : OptimizerConfig(kind: kind)
      optimizer = OptimizerConfig(
        kind: kind, momentum: inv.has(\.momentum) ? Float(inv[\.momentum]) : base.momentum,
        nesterov: inv.given(\.nesterov) ?? base.nesterov,
        alpha: inv.has(\.alpha) ? Float(inv[\.alpha]) : base.alpha, beta1: base.beta1,
        beta2: base.beta2,
        epsilon: base.epsilon,
        weightDecay: inv.given(\.weightDecay)?.map(Float.init) ?? base.weightDecay)
      if optimizer.nesterov && optimizer.momentum == 0 {
        throw inv.error("nesterov needs momentum > 0", at: \.nesterov, kind: .invalid)
      }
      if optimizer.kind != .sgd && (inv.has(\.momentum) || inv.has(\.nesterov)) {
        throw inv.error(
          "momentum and nesterov apply to optimizer sgd only",
          at: inv.has(\.momentum) ? \.momentum : \.nesterov, kind: .invalid)
      }
    } else {
      optimizer = last!.optimizer
    }

    let clipping: GradientClipping
    if let value = inv[\.clipValue], inv.has(\.clipValue) {
      clipping = .value(Float(value))
    } else if inv.has(\.clip) || last == nil {
      let c = Float(inv[\.clip])
      clipping = c == 0 ? .none : .norm(c)
    } else {
      clipping = last!.clipping
    }

    let scheduleOptions: [PartialKeyPath<TrainParameters>] = [
      \.schedule, \.decay, \.decayEvery, \.warmup, \.cosineSteps, \.lrFloor,
    ]
    let schedule: LearningRateSchedule
    if scheduleOptions.contains(where: inv.has) || last == nil {
      let kind = inv.given(\.schedule) ?? last.map { ScheduleKind($0.schedule) } ?? .constant
      let given = scheduleOptions.dropFirst().filter(inv.has)
      switch kind {
      case .step:
        schedule = .step(every: inv[\.decayEvery], gamma: inv[\.decay].map(Float.init) ?? 0.5)
      case .exponential:
        schedule = .exponential(gamma: inv[\.decay].map(Float.init) ?? 0.999)
      case .cosine:
        guard let total = inv[\.cosineSteps] ?? steps.map({ entry.step + $0 }) else {
          throw inv.error(
            "a cosine schedule with a time budget needs cosine_steps", at: \.schedule,
            kind: .invalid)
        }
        schedule = .cosine(
          warmup: inv[\.warmup], total: max(1, total), floor: Float(inv[\.lrFloor]))
      case .constant:
        if let stray = given.first {
          throw inv.error(
            "option '\(inv.name(of: stray))' needs a schedule (step, exponential or cosine)",
            at: stray, kind: .invalid)
        }
        schedule = .constant
      }
    } else {
      schedule = last!.schedule
    }

    options = TrainingOptions(
      batch: batch, seq: seq, learningRate: lr, optimizer: optimizer, clipping: clipping,
      schedule: schedule)
    do { try options.validate() } catch { throw inv.error(error.description, kind: .invalid) }
    every = inv[\.every]
    evalEvery = inv[\.evalEvery]
    sampleEvery = inv[\.sampleEvery]
    sampleLength = inv[\.sampleLength]
    saveEvery = inv[\.saveEvery]
    saveDirectory = inv[\.saveDir]
    autosave = inv[\.autosave]
    rotation = CheckpointRotation(
      directory: inv[\.saveDir], prefix: "model", keepLast: inv[\.keep],
      keepBest: inv[\.keepBest])
  }
}

extension ScheduleKind {
  /// The word for a schedule.
  init(_ schedule: LearningRateSchedule) {
    switch schedule {
    case .constant: self = .constant
    case .step: self = .step
    case .exponential: self = .exponential
    case .cosine: self = .cosine
    }
  }
}
