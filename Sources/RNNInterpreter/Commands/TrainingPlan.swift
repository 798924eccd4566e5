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

  init(_ inv: Invocation, entry: ModelEntry, scale: Double) throws(InterpreterError) {
    let last = entry.lastOptions
    func pick<T>(_ name: String, _ fromLast: T?, _ read: (String) -> T?) -> T {
      inv.has(name) ? read(name)! : (fromLast ?? read(name)!)
    }
    if inv.has("steps") && inv.has("for") {
      throw inv.error("give either 'steps' or 'for', not both", at: "for", kind: .invalid)
    }
    if inv.has("clip") && inv.has("clip_value") {
      throw inv.error(
        "give either 'clip' (global norm) or 'clip_value' (element-wise), not both",
        at: "clip_value", kind: .invalid)
    }
    if let budget = inv.duration("for") {
      self.budget = budget * scale
      steps = nil
    } else {
      let written = inv.int("steps")!
      steps = written == 0 ? 0 : max(1, Int((Double(written) * scale).rounded()))
      budget = nil
    }
    let batch = pick("batch", last?.batch, inv.int)
    let seq = pick("seq", last?.seq, inv.int)
    let lr = pick("lr", last?.learningRate, inv.float)

    let optimizerOptions = ["optimizer", "momentum", "nesterov", "alpha", "weight_decay"]
    let optimizer: OptimizerConfig
    if optimizerOptions.contains(where: inv.has) || last == nil {
      let kindName =
        inv.has("optimizer")
        ? inv.string("optimizer")! : (last?.optimizer.kind.rawValue ?? inv.string("optimizer")!)
      let kind = OptimizerConfig.Kind(rawValue: kindName)!
      let base = last?.optimizer.kind == kind ? last!.optimizer : OptimizerConfig(kind: kind)
      optimizer = OptimizerConfig(
        kind: kind, momentum: inv.has("momentum") ? inv.float("momentum")! : base.momentum,
        nesterov: inv.has("nesterov") ? inv.bool("nesterov")! : base.nesterov,
        alpha: inv.has("alpha") ? inv.float("alpha")! : base.alpha, beta1: base.beta1,
        beta2: base.beta2,
        epsilon: base.epsilon,
        weightDecay: inv.has("weight_decay") ? inv.float("weight_decay")! : base.weightDecay)
      if optimizer.nesterov && optimizer.momentum == 0 {
        throw inv.error("nesterov needs momentum > 0", at: "nesterov", kind: .invalid)
      }
      if optimizer.kind != .sgd && (inv.has("momentum") || inv.has("nesterov")) {
        throw inv.error(
          "momentum and nesterov apply to optimizer sgd only",
          at: inv.has("momentum") ? "momentum" : "nesterov", kind: .invalid)
      }
    } else {
      optimizer = last!.optimizer
    }

    let clipping: GradientClipping
    if let value = inv.float("clip_value"), inv.has("clip_value") {
      clipping = .value(value)
    } else if inv.has("clip") || last == nil {
      let c = inv.float("clip")!
      clipping = c == 0 ? .none : .norm(c)
    } else {
      clipping = last!.clipping
    }

    let scheduleOptions = [
      "schedule", "decay", "decay_every", "warmup", "cosine_steps", "lr_floor",
    ]
    let schedule: LearningRateSchedule
    if scheduleOptions.contains(where: inv.has) || last == nil {
      let kind =
        inv.has("schedule")
        ? inv.string("schedule")! : (last.map { Self.name(of: $0.schedule) } ?? "constant")
      let given = scheduleOptions.dropFirst().filter(inv.has)
      switch kind {
      case "step":
        schedule = .step(every: inv.int("decay_every")!, gamma: inv.float("decay") ?? 0.5)
      case "exponential":
        schedule = .exponential(gamma: inv.float("decay") ?? 0.999)
      case "cosine":
        guard let total = inv.int("cosine_steps") ?? steps.map({ entry.step + $0 }) else {
          throw inv.error(
            "a cosine schedule with a time budget needs cosine_steps", at: "schedule",
            kind: .invalid)
        }
        schedule = .cosine(
          warmup: inv.int("warmup")!, total: max(1, total), floor: inv.float("lr_floor")!)
      default:
        if let stray = given.first {
          throw inv.error(
            "option '\(stray)' needs a schedule (step, exponential or cosine)", at: stray,
            kind: .invalid)
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
    every = inv.int("every")!
    evalEvery = inv.int("eval_every")!
    sampleEvery = inv.int("sample_every")!
    sampleLength = inv.int("sample_length")!
    saveEvery = inv.int("save_every")!
    saveDirectory = inv.string("save_dir")!
    autosave = inv.duration("autosave")
    rotation = CheckpointRotation(
      directory: inv.string("save_dir")!, prefix: "model", keepLast: inv.int("keep")!,
      keepBest: inv.bool("keep_best")!)
  }

  /// The `schedule` option's word for a schedule.
  static func name(of schedule: LearningRateSchedule) -> String {
    switch schedule {
    case .constant: "constant"
    case .step: "step"
    case .exponential: "exponential"
    case .cosine: "cosine"
    }
  }
}
