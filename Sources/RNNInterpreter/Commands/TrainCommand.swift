import RNNModels

extension CommandTable {
  /// `train MODEL [steps N | for DURATION] …`
  static let train = CommandSpec(
    "train",
    summary: "Train a model with truncated backpropagation through time.",
    help: """
      Each step takes the next `seq` characters of each of `batch` contiguous streams of the training \
      split, carries the hidden state forward, backpropagates through those `seq` steps and updates \
      the weights. Training continues exactly where the model's last `train` stopped: `train m steps \
      100` twice equals `train m steps 200` once. Options not given keep the values of the model's \
      previous `train`, then the session defaults (`set`), then the defaults below. `for 2m` trains \
      for a time budget instead of a step count (stopping at a step boundary). With \
      RNN_STEPS_SCALE (or `set steps_scale`) every step count and time budget is multiplied by that \
      factor, for quick runs (below 1 it also shortens `eval` and `sample`). `corpus C` carries the \
      model on to another corpus, which it trains on from then on (from C's start: the cursor is \
      reset): characters, or for a word model characters and words, that C has and the model lacks \
      are appended to its vocabulary, every existing token keeping its id, with new embedding and \
      decoder rows drawn as a fresh model's and zero optimizer state; a BPE model encodes C with its \
      own tokenizer.
      """,
    parameters: TrainParameters.self,
    examples: [
      "train m steps 200 seq 64 batch 32 lr 0.002 clip 5 every 50",
      "train m for 2m eval_every 500",
      "train m steps 5000 eval_every 500 save_every 500 keep 3",
      "train m steps 1000 optimizer sgd momentum 0.9 lr 0.1 schedule step decay 0.5 decay_every 300",
      "train m steps 100000 eval_every 200 patience 5 restore_best true schedule plateau decay 0.5 plateau_patience 3",
      #"train m steps 2000 every 100 eval_every 500 log "runs/m.jsonl""#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.train(arguments) })
}

/// The parameters of `train`, in the order help lists them.
struct TrainParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .model, "The model to train.")
  let steps = ParameterKey<Int>.option(
    "steps", .integer(0...100_000_000), default: 100,
    "Training steps (each batch × seq characters).")
  /// Seconds.
  let timeBudget = ParameterKey<Double?>.option(
    "for", .duration(0.001...604_800),
    "Train for this long instead of a step count (30s, 2m, 1h).")
  let batch = ParameterKey<Int>.option(
    "batch", .integer(1...4096), default: 32, note: "last used, or 32", "Parallel streams (B).")
  let seq = ParameterKey<Int>.option(
    "seq", .integer(1...10_000), default: 64, note: "last used, or 64",
    "Characters backpropagated per step (T).")
  let lr = ParameterKey<Double>.option(
    "lr", .real(.openClosed(0, 10)), default: 0.002, note: "last used, or 0.002", "Learning rate.")
  let optimizer = ParameterKey<OptimizerConfig.Kind>.option(
    "optimizer", default: .adam, note: "last used, or adam", "Update rule.")
  let momentum = ParameterKey<Double>.option(
    "momentum", .real(.closedOpen(0, 1)), default: 0, "SGD momentum.")
  let nesterov = ParameterKey<Bool>.option(
    "nesterov", .bool, default: false, "Nesterov momentum (SGD).")
  let alpha = ParameterKey<Double>.option(
    "alpha", .real(.init(lower: (0, false), upper: (1, false))), default: 0.99,
    "RMSProp smoothing constant (char-rnn uses 0.95).")
  let weightDecay = ParameterKey<Double?>.option(
    "weight_decay", .real(.closed(0, 1)), note: "0; 0.01 for adamw",
    "L2 penalty (decoupled for adamw).")
  let clip = ParameterKey<Double>.option(
    "clip", .real(.closed(0, 1_000_000)), default: 5, note: "last used, or 5",
    "Clip the global gradient norm to this (0: no clipping).")
  let clipValue = ParameterKey<Double?>.option(
    "clip_value", .real(.openClosed(0, 1_000_000)),
    "Clip every gradient element to [-v, v] instead (min-char-rnn).")
  let schedule = ParameterKey<ScheduleKind>.option(
    "schedule", default: .constant, note: "last used, or constant", "Learning-rate schedule.")
  let decay = ParameterKey<Double?>.option(
    "decay", .real(.openClosed(0, 1)), note: "0.5 (step), 0.999 (exponential), 0.1 (plateau)",
    "Decay factor γ of the step, exponential and plateau schedules.")
  let decayEvery = ParameterKey<Int>.option(
    "decay_every", .integer(1...100_000_000), default: 100,
    "Steps between decays of the step schedule.")
  let warmup = ParameterKey<Int>.option(
    "warmup", .integer(0...100_000_000), default: 0,
    "Linear warm-up steps of the cosine schedule.")
  let cosineSteps = ParameterKey<Int?>.option(
    "cosine_steps", .integer(1...100_000_000), note: "the end of this run",
    "Step at which the cosine schedule reaches its floor.")
  let lrFloor = ParameterKey<Double>.option(
    "lr_floor", .real(.closed(0, 1)), default: 0,
    "Floor of the cosine and plateau schedules, as a fraction of lr.")
  let plateauPatience = ParameterKey<Int>.option(
    "plateau_patience", .integer(0...1_000_000), default: 10,
    "Evaluations without improvement the plateau schedule waits before lowering the rate.")
  let cooldown = ParameterKey<Int>.option(
    "cooldown", .integer(0...1_000_000), default: 0,
    "Evaluations the plateau schedule waits after lowering the rate before counting again.")
  let every = ParameterKey<Int>.option(
    "every", .integer(0...100_000_000), default: 0, note: "0, or `set every`",
    "Print the mean training loss every this many steps (0: only at the end).")
  let evalEvery = ParameterKey<Int>.option(
    "eval_every", .integer(0...100_000_000), default: 0,
    "Evaluate on the validation split every this many steps.")
  let patience = ParameterKey<Int?>.option(
    "patience", .integer(1...1_000_000),
    "Early stopping: stop after this many evaluations (eval_every) without a new best validation loss.")
  let restoreBest = ParameterKey<Bool>.option(
    "restore_best", .bool, default: false,
    "End on the weights of the best validation loss (needs eval_every; only the weights go back).")
  let sampleEvery = ParameterKey<Int>.option(
    "sample_every", .integer(0...100_000_000), default: 0,
    "Print a sample every this many steps.")
  let sampleLength = ParameterKey<Int>.option(
    "sample_length", .integer(1...100_000), default: 100,
    "Characters per sample printed during training.")
  let corpus = ParameterKey<String?>.option(
    "corpus", .corpus, note: "the model's corpus",
    "Train on this corpus from now on; symbols the model lacks are added (see above).")
  let saveEvery = ParameterKey<Int>.option(
    "save_every", .integer(0...100_000_000), default: 0,
    "Save a checkpoint every this many steps (DIR/MODEL-stepNNNNNNN.safetensors).")
  let saveDir = ParameterKey<String>.option(
    "save_dir", .string, default: "checkpoints", "Folder for the periodic checkpoints.")
  /// Seconds.
  let autosave = ParameterKey<Double?>.option(
    "autosave", .duration(1...604_800),
    "Also save a rolling checkpoint every this long (5m, 1h), and when stopped by Ctrl-C or SIGTERM.")
  let keep = ParameterKey<Int>.option(
    "keep", .integer(1...10_000), default: 3,
    "How many periodic checkpoints to keep (the newest).")
  let keepBest = ParameterKey<Bool>.option(
    "keep_best", .bool, default: true,
    "Also keep MODEL-best.safetensors, the checkpoint with the lowest validation loss (needs eval_every).")
  let log = ParameterKey<String?>.option(
    "log", .string,
    "Append the metrics to this file: one JSON object per line (.jsonl), or CSV (.csv).")
  let logFormat = ParameterKey<String?>.option(
    "log_format", .choice(["jsonl", "csv"]), note: "from the extension, else jsonl",
    "Format of the metrics log.")
  let logEvery = ParameterKey<Int?>.option(
    "log_every", .integer(1...100_000_000), note: "every, or 10",
    "Write a training line to the log every this many steps (evaluations are always logged).")
  let precision = ParameterKey<Precision>.option(
    "precision", default: .fp32, note: "last used, or fp32",
    "bf16: the forward pass's big matrix products take bfloat16 operands (fp32 accumulation, weights and optimizer).")
}

/// The `schedule` option's words.
enum ScheduleKind: String, ParameterChoice {
  case constant, step, exponential, cosine, plateau
}

extension Interpreter {
  func train(_ arguments: Arguments<TrainParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.model]
    let entry = session.model(name)!
    let (corpus, corpusSwitch) = try trainingCorpus(entry, name, arguments)
    var plan = try TrainingPlan(arguments, entry: entry, scale: stepsScale)
    let data = corpus.corpus.tokens(of: .train)
    do {
      _ = try BatchStreams(
        tokenCount: data.count, batch: plan.options.batch, steps: plan.options.seq)
    } catch {
      throw arguments.error(error.description, at: arguments.has(\.batch) ? \.batch : nil)
    }
    if plan.evalEvery > 0 && corpus.corpus.splits.validation.count < 2 {
      throw arguments.error(
        "eval_every needs a validation split; load the corpus with a split below 1",
        at: \.evalEvery, kind: .invalid)
    }
    plan.corpusNameOverride = arguments.has(\.corpus) ? arguments[\.corpus] : nil
    plan.rotation.prefix = name
    if plan.saveEvery > 0 || plan.autosave != nil {
      let directory = plan.rotation.directory
      do { try fileSystem.createDirectory(directory) } catch {
        throw arguments.error(
          "cannot save checkpoints: cannot create directory \(error); nothing was trained",
          at: \.saveDir)
      }
      plan.rotation.directory = fileSystem.resolve(directory)
    }
    // The log is opened (and may fail) before the corpus switch changes the model.
    let log = try openMetricsLog(plan.metricsLog, model: name, corpus: corpus, arguments)
    corpusSwitch?.apply(to: entry, name: name, interpreter: self)
    var run = TrainingRun(interpreter: self, name: name, entry: entry, corpus: corpus, plan: plan)
    run.log = log
    try run.run()
    return nil
  }

  /// The metrics log, opened (its folder created, a CSV header written) before anything trains.
  private func openMetricsLog(
    _ plan: MetricsLogPlan?, model: String, corpus: CorpusEntry, _ arguments: Arguments<TrainParameters>
  ) throws(InterpreterError) -> MetricsLog? {
    guard let plan else { return nil }
    let c = corpus.corpus
    let tokensPerCharacter = Double(c.tokens(of: .train).count) / Double(max(1, c.characters(of: .train)))
    do {
      return try MetricsLog(plan: plan, model: model, fileSystem: fileSystem, tokensPerCharacter: tokensPerCharacter)
    } catch {
      throw arguments.error("cannot write the metrics log \(error); nothing was trained", at: \.log)
    }
  }

  /// The corpus `train` uses: the `corpus` option as the model reads it (with the switch to apply
  /// once the command is checked: see `CorpusSwitch`), else the model's own.
  private func trainingCorpus(
    _ entry: ModelEntry, _ name: String, _ arguments: Arguments<TrainParameters>
  )
    throws(InterpreterError)
    -> (CorpusEntry, CorpusSwitch?)
  {
    if let other = arguments[\.corpus] {
      do throws(CorpusSwitchError) {
        let change = try corpusSwitch(entry, to: session.corpus(other)!, named: other)
        return (change.corpus, change)
      } catch {
        throw arguments.error("cannot train '\(name)' on corpus '\(other)': \(error)", at: \.corpus, kind: .invalid)
      }
    }
    guard let corpus = entry.corpus else {
      throw arguments.error(
        "model '\(name)' has no corpus to train on (its checkpoint's corpus was not found); give one: train \(name) corpus NAME"
      )
    }
    return (corpus, nil)
  }

  /// The quick-run factor (`set steps_scale`, else `RNN_STEPS_SCALE`): every `train` step count
  /// and time budget is multiplied by it; below 1 it also shortens `eval` (to at least 100
  /// characters) and `sample` (to at least 20 characters), so scripts can run in tests.
  var stepsScale: Double {
    sessionDefaults[\.stepsScale] ?? settings.stepsScale
  }
}
