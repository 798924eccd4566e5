import RNNModels
import RNNTokenizers

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
      factor, for quick runs (below 1 it also shortens `eval` and `sample`).
      """,
    positionals: [.positional("MODEL", .model, "The model to train.")],
    options: [
      .option(
        "steps", .integer(0...100_000_000), default: .number(100, isInteger: true),
        "Training steps (each batch × seq characters)."),
      .option(
        "for", .duration(0.001...604_800),
        "Train for this long instead of a step count (30s, 2m, 1h)."),
      .option(
        "batch", .integer(1...4096), default: .number(32, isInteger: true),
        note: "last used, or 32", "Parallel streams (B)."),
      .option(
        "seq", .integer(1...10_000), default: .number(64, isInteger: true),
        note: "last used, or 64", "Characters backpropagated per step (T)."),
      .option(
        "lr", .real(.openClosed(0, 10)), default: .number(0.002, isInteger: false),
        note: "last used, or 0.002", "Learning rate."),
      .option(
        "optimizer", .choice(OptimizerConfig.Kind.allCases.map(\.rawValue)), default: .name("adam"),
        note: "last used, or adam", "Update rule."),
      .option(
        "momentum", .real(.closedOpen(0, 1)), default: .number(0, isInteger: true), "SGD momentum."),
      .option("nesterov", .bool, default: .bool(false), "Nesterov momentum (SGD)."),
      .option(
        "alpha", .real(.init(lower: (0, false), upper: (1, false))),
        default: .number(0.99, isInteger: false), "RMSProp smoothing constant (char-rnn uses 0.95)."
      ),
      .option(
        "weight_decay", .real(.closed(0, 1)), note: "0; 0.01 for adamw",
        "L2 penalty (decoupled for adamw)."),
      .option(
        "clip", .real(.closed(0, 1_000_000)), default: .number(5, isInteger: true),
        note: "last used, or 5", "Clip the global gradient norm to this (0: no clipping)."),
      .option(
        "clip_value", .real(.openClosed(0, 1_000_000)),
        "Clip every gradient element to [-v, v] instead (min-char-rnn)."),
      .option(
        "schedule", .choice(["constant", "step", "exponential", "cosine"]),
        default: .name("constant"), note: "last used, or constant", "Learning-rate schedule."),
      .option(
        "decay", .real(.openClosed(0, 1)), note: "0.5 (step), 0.999 (exponential)",
        "Decay factor γ of the step and exponential schedules."),
      .option(
        "decay_every", .integer(1...100_000_000), default: .number(100, isInteger: true),
        "Steps between decays of the step schedule."),
      .option(
        "warmup", .integer(0...100_000_000), default: .number(0, isInteger: true),
        "Linear warm-up steps of the cosine schedule."),
      .option(
        "cosine_steps", .integer(1...100_000_000), note: "the end of this run",
        "Step at which the cosine schedule reaches its floor."),
      .option(
        "lr_floor", .real(.closed(0, 1)), default: .number(0, isInteger: true),
        "Cosine floor, as a fraction of lr."),
      .option(
        "every", .integer(0...100_000_000), default: .number(0, isInteger: true),
        note: "0, or `set every`",
        "Print the mean training loss every this many steps (0: only at the end)."),
      .option(
        "eval_every", .integer(0...100_000_000), default: .number(0, isInteger: true),
        "Evaluate on the validation split every this many steps."),
      .option(
        "sample_every", .integer(0...100_000_000), default: .number(0, isInteger: true),
        "Print a sample every this many steps."),
      .option(
        "sample_length", .integer(1...100_000), default: .number(100, isInteger: true),
        "Characters per sample printed during training."),
      .option(
        "corpus", .corpus, note: "the model's corpus",
        "Train on this corpus instead (it must have the same vocabulary)."),
      .option(
        "save_every", .integer(0...100_000_000), default: .number(0, isInteger: true),
        "Save a checkpoint every this many steps (DIR/MODEL-stepNNNNNNN.safetensors)."),
      .option(
        "save_dir", .string, default: .string("checkpoints"), "Folder for the periodic checkpoints."),
      .option(
        "autosave", .duration(1...604_800),
        "Also save a rolling checkpoint every this long (5m, 1h), and when stopped by Ctrl-C or SIGTERM."),
      .option(
        "keep", .integer(1...10_000), default: .number(3, isInteger: true),
        "How many periodic checkpoints to keep (the newest)."),
      .option(
        "keep_best", .bool, default: .bool(true),
        "Also keep MODEL-best.safetensors, the checkpoint with the lowest validation loss (needs eval_every)."),
    ],
    examples: [
      "train m steps 200 seq 64 batch 32 lr 0.002 clip 5 every 50",
      "train m for 2m eval_every 500",
      "train m steps 5000 eval_every 500 save_every 500 keep 3",
      "train m steps 1000 optimizer sgd momentum 0.9 lr 0.1 schedule step decay 0.5 decay_every 300",
    ],
    action: { interpreter, invocation throws(InterpreterError) in try interpreter.train(invocation)
    })
}

extension Interpreter {
  func train(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let name = invocation.string("MODEL")!
    let entry = session.model(name)!
    let corpus = try trainingCorpus(entry, name, invocation)
    var plan = try TrainingPlan(invocation, entry: entry, scale: stepsScale)
    let data = corpus.corpus.tokens(of: .train)
    do {
      _ = try BatchStreams(
        tokenCount: data.count, batch: plan.options.batch, steps: plan.options.seq)
    } catch {
      throw invocation.error(error.description, at: invocation.has("batch") ? "batch" : nil)
    }
    if plan.evalEvery > 0 && corpus.corpus.splits.validation.count < 2 {
      throw invocation.error(
        "eval_every needs a validation split; load the corpus with a split below 1",
        at: "eval_every", kind: .invalid)
    }
    plan.corpusNameOverride = invocation.has("corpus") ? invocation.string("corpus") : nil
    plan.rotation.prefix = name
    if plan.saveEvery > 0 || plan.autosave != nil {
      let directory = plan.rotation.directory
      do { try fileSystem.createDirectory(directory) } catch {
        throw invocation.error(
          "cannot save checkpoints: cannot create directory \(error); nothing was trained", at: "save_dir")
      }
      plan.rotation.directory = fileSystem.resolve(directory)
    }
    try TrainingRun(interpreter: self, name: name, entry: entry, corpus: corpus, plan: plan).run()
    return nil
  }

  /// The corpus `train` uses: the `corpus` option (checked against the model's vocabulary), else
  /// the model's own.
  private func trainingCorpus(_ entry: ModelEntry, _ name: String, _ invocation: Invocation)
    throws(InterpreterError)
    -> CorpusEntry
  {
    if let other = invocation.string("corpus") {
      let corpus = session.corpus(other)!
      guard corpus.corpus.tokenization?.tokenizer == entry.tokenizer, corpus.corpus.vocabulary == entry.vocabulary else {
        throw invocation.error(
          "corpus '\(other)' has a different vocabulary (\(corpus.corpus.vocabulary.count) characters) from model '\(name)' (\(entry.vocabulary.count))",
          at: "corpus", kind: .invalid)
      }
      return corpus
    }
    guard let corpus = entry.corpus else {
      throw invocation.error(
        "model '\(name)' has no corpus to train on (its checkpoint's corpus was not found); give one: train \(name) corpus NAME"
      )
    }
    return corpus
  }

  /// The quick-run factor (`set steps_scale`, else `RNN_STEPS_SCALE`): every `train` step count
  /// and time budget is multiplied by it; below 1 it also shortens `eval` (to at least 100
  /// characters) and `sample` (to at least 20 characters), so scripts can run in tests.
  var stepsScale: Double {
    if case .number(let v, _)? = session.defaults["steps_scale"] { return v }
    return settings.stepsScale
  }
}
