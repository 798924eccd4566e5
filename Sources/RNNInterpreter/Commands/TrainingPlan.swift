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
  /// Early stopping (`patience`) and `restore_best`.
  var stopping: EarlyStoppingPlan
  /// The metrics log (`log`), if one was asked for.
  var metricsLog: MetricsLogPlan?

  init(_ arguments: Arguments<TrainParameters>, entry: ModelEntry, scale: Double)
    throws(InterpreterError)
  {
    try Self.rejectConflicts(arguments)
    let last = entry.lastOptions
    (steps, budget) = Self.length(arguments, scale: scale)
    options = TrainingOptions(
      batch: arguments.value(\.batch, orLast: last?.batch),
      seq: arguments.value(\.seq, orLast: last?.seq),
      learningRate: arguments.given(\.lr).map(Float.init) ?? last?.learningRate
        ?? Float(arguments[\.lr]),
      optimizer: try Self.optimizer(arguments, last: last),
      clipping: Self.clipping(arguments, last: last),
      schedule: try Self.schedule(arguments, last: last, end: steps.map { entry.step + $0 }),
      precision: arguments.value(\.precision, orLast: last?.precision))
    do { try options.validate() } catch { throw arguments.error(error.description, kind: .invalid) }
    every = arguments[\.every]
    evalEvery = arguments[\.evalEvery]
    sampleEvery = arguments[\.sampleEvery]
    sampleLength = arguments[\.sampleLength]
    saveEvery = arguments[\.saveEvery]
    saveDirectory = arguments[\.saveDir]
    autosave = arguments[\.autosave]
    stopping = try EarlyStoppingPlan(arguments)
    metricsLog = try MetricsLogPlan(arguments)
    if case .plateau = options.schedule, arguments.has(\.schedule), evalEvery == 0 {
      throw arguments.error(
        "the plateau schedule lowers the rate when validation stops improving: give eval_every", at: \.schedule,
        kind: .invalid)
    }
    rotation = CheckpointRotation(
      directory: arguments[\.saveDir], prefix: "model", keepLast: arguments[\.keep],
      keepBest: arguments[\.keepBest])
  }

  /// Options that exclude each other.
  private static func rejectConflicts(_ arguments: Arguments<TrainParameters>)
    throws(InterpreterError)
  {
    if arguments.has(\.steps) && arguments.has(\.timeBudget) {
      throw arguments.error(
        "give either 'steps' or 'for', not both", at: \.timeBudget, kind: .invalid)
    }
    if arguments.has(\.clip) && arguments.has(\.clipValue) {
      throw arguments.error(
        "give either 'clip' (global norm) or 'clip_value' (element-wise), not both",
        at: \.clipValue, kind: .invalid)
    }
  }

  /// The step count, or the time budget in seconds, after scaling (a nonzero count stays ≥ 1).
  private static func length(_ arguments: Arguments<TrainParameters>, scale: Double)
    -> (steps: Int?, budget: Double?)
  {
    if let budget = arguments[\.timeBudget] { return (nil, budget * scale) }
    let written = arguments[\.steps]
    return (written == 0 ? 0 : max(1, Int((Double(written) * scale).rounded())), nil)
  }

  /// The optimizer: the model's last one unless an optimizer option is given; the options given
  /// change the last one's settings when the kind stays the same, else a fresh one's.
  private static func optimizer(_ arguments: Arguments<TrainParameters>, last: TrainingOptions?)
    throws(InterpreterError) -> OptimizerConfig
  {
    let keys: [PartialKeyPath<TrainParameters>] = [
      \.optimizer, \.momentum, \.nesterov, \.alpha, \.weightDecay,
    ]
    if let last, !keys.contains(where: arguments.has) { return last.optimizer }
    let kind = arguments.value(\.optimizer, orLast: last?.optimizer.kind)
    let base = last?.optimizer.kind == kind ? last!.optimizer : OptimizerConfig(kind: kind)
    let optimizer = OptimizerConfig(
      kind: kind, momentum: arguments.given(\.momentum).map(Float.init) ?? base.momentum,
      nesterov: arguments.given(\.nesterov) ?? base.nesterov,
      alpha: arguments.given(\.alpha).map(Float.init) ?? base.alpha, beta1: base.beta1,
      beta2: base.beta2, epsilon: base.epsilon,
      weightDecay: arguments.given(\.weightDecay)?.map(Float.init) ?? base.weightDecay)
    if optimizer.nesterov && optimizer.momentum == 0 {
      throw arguments.error("nesterov needs momentum > 0", at: \.nesterov, kind: .invalid)
    }
    if optimizer.kind != .sgd && (arguments.has(\.momentum) || arguments.has(\.nesterov)) {
      throw arguments.error(
        "momentum and nesterov apply to optimizer sgd only",
        at: arguments.has(\.momentum) ? \.momentum : \.nesterov, kind: .invalid)
    }
    return optimizer
  }

  /// Element-wise clipping when `clip_value` is given; else global-norm clipping from `clip`
  /// (0: none) when given or for a first run; else the model's last clipping.
  private static func clipping(_ arguments: Arguments<TrainParameters>, last: TrainingOptions?)
    -> GradientClipping
  {
    if let value = arguments.given(\.clipValue) ?? nil { return .value(Float(value)) }
    guard arguments.has(\.clip) || last == nil else { return last!.clipping }
    let c = Float(arguments[\.clip])
    return c == 0 ? .none : .norm(c)
  }

  /// The learning-rate schedule: the model's last one unless a schedule option is given. `end`
  /// is the step this run ends at (for the cosine schedule's default length), `nil` for a budget.
  private static func schedule(
    _ arguments: Arguments<TrainParameters>, last: TrainingOptions?, end: Int?
  ) throws(InterpreterError) -> LearningRateSchedule {
    let keys: [PartialKeyPath<TrainParameters>] = [
      \.schedule, \.decay, \.decayEvery, \.warmup, \.cosineSteps, \.lrFloor, \.plateauPatience, \.cooldown,
    ]
    if let last, !keys.contains(where: arguments.has) { return last.schedule }
    let kind = arguments.given(\.schedule) ?? last.map { ScheduleKind($0.schedule) } ?? .constant
    let decay = arguments[\.decay].map(Float.init)
    switch kind {
    case .step:
      return .step(every: arguments[\.decayEvery], gamma: decay ?? 0.5)
    case .exponential:
      return .exponential(gamma: decay ?? 0.999)
    case .cosine:
      guard let total = arguments[\.cosineSteps] ?? end else {
        throw arguments.error(
          "a cosine schedule with a time budget needs cosine_steps", at: \.schedule,
          kind: .invalid)
      }
      return .cosine(
        warmup: arguments[\.warmup], total: max(1, total), floor: Float(arguments[\.lrFloor]))
    case .plateau:
      return .plateau(
        gamma: decay ?? 0.1, patience: arguments[\.plateauPatience], cooldown: arguments[\.cooldown],
        floor: Float(arguments[\.lrFloor]))
    case .constant:
      if let stray = keys.dropFirst().first(where: arguments.has) {
        throw arguments.error(
          "option '\(arguments.name(of: stray))' needs a schedule (step, exponential, cosine or plateau)",
          at: stray, kind: .invalid)
      }
      return .constant
    }
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
    case .plateau: self = .plateau
    }
  }
}
