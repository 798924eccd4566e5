import Foundation
import RNNLanguage
import RNNModels

/// One `train` call in progress: runs the trainer in chunks (so validation and samples can happen
/// between them), reports progress and periodic losses, and leaves the model consistent whatever
/// happens (a stop request ends at a step boundary; a divergence restores the last good state).
struct TrainingRun {
  let interpreter: Interpreter
  let name: String
  let entry: ModelEntry
  let corpus: CorpusEntry
  let plan: TrainingPlan
  /// The metrics log (`log`), opened before the run.
  var log: MetricsLog?

  /// Where a run stands between steps: what the closures polled by the trainer record.
  struct Progress {
    /// When the run started.
    let start = Date()
    /// The model's step when the run started.
    let startStep: Int
    /// Steps done in this run.
    var done = 0
    /// Losses since the last `every` line (nats per character).
    var window: [Float] = []
    /// Whether the time budget is used up.
    var budgetSpent = false
    /// Whether a stop request (Ctrl-C, SIGTERM) ended the run.
    var stopped = false
    /// When the last time-based autosave was written.
    var lastSave = Date()
    /// Whether the autosave interval has passed (the trainer was stopped to write it).
    var saveDue = false
    /// The step of the last rolling checkpoint written by this run.
    var rolledStep: Int?
    /// Early stopping and the plateau schedule.
    var watch: ValidationWatch

    /// Seconds since the start.
    var elapsed: Double { Date().timeIntervalSince(start) }
  }

  /// Trains in chunks that end at every periodic evaluation, sample and checkpoint, until the
  /// step count or the budget is reached or a stop is requested; then reports.
  func run() throws(InterpreterError) {
    var progress = Progress(
      startStep: entry.trainer.state.step,
      watch: ValidationWatch(plan: plan.stopping, state: &entry.trainer.state))
    defer { markUnsavedTraining(progress) }
    entry.lastOptions = plan.options
    if let note = plan.options.precision.portableNote { interpreter.warn(note) }
    if let override = plan.corpusNameOverride {
      entry.corpus = corpus
      entry.corpusName = override
    }
    let data = corpus.corpus.tokens(of: .train)
    let target = plan.steps ?? Int.max
    announce()
    while progress.done < target && !progress.stopped && !progress.budgetSpent && !progress.watch.stoppedEarly {
      let chunk = nextChunk(remaining: target - progress.done)
      let outcome = try train(on: data, steps: chunk, &progress)
      if progress.saveDue {
        // Time-based autosave: a rolling checkpoint, then carry on.
        progress.saveDue = false
        progress.lastSave = Date()
        try saveRolling(step: entry.trainer.state.step, &progress)
        if !(outcome.stoppedEarly && interpreter.shouldStop()) { continue }
      }
      if outcome.stoppedEarly && !progress.budgetSpent { progress.stopped = true }
      if chunk == 0 { break }
      if !progress.stopped { try afterChunk(&progress) }
    }
    try finish(&progress)
  }

  /// Says at once that work started: a large model's first step can take seconds.
  private func announce() {
    interpreter.sink.emit(
      .progress(
        ProgressEvent(
          activity: .training, model: name, done: 0, total: plan.steps,
          step: entry.trainer.state.step, loss: nil, elapsed: 0, charactersPerSecond: 0,
          budget: plan.budget)))
  }

  /// Steps until the next periodic evaluation, sample or checkpoint, at most `remaining`.
  private func nextChunk(remaining: Int) -> Int {
    let step = entry.trainer.state.step
    let periods = [plan.evalEvery, plan.sampleEvery, plan.saveEvery].filter { $0 > 0 }
    return min(remaining, periods.map { $0 - step % $0 }.min() ?? remaining)
  }

  /// Trains `steps` steps on `data` (the training split), reporting progress and `every` lines;
  /// stops early for a stop request, the time budget or a due autosave (recorded in `progress`).
  private func train(on data: TokenSequence, steps: Int, _ progress: inout Progress)
    throws(InterpreterError) -> Trainer.Outcome
  {
    do {
      return try entry.trainer.train(
        on: data, options: plan.options, steps: steps,
        shouldStop: { shouldPause(&progress) },
        onStep: { report in record(report, &progress) })
    } catch {
      interpreter.say(summary(progress))
      throw InterpreterError(.runtime, "\(error.description)", at: interpreterRange)
    }
  }

  /// Polled before every step: a stop request, the budget spent, or an autosave due.
  private func shouldPause(_ progress: inout Progress) -> Bool {
    if interpreter.shouldStop() { return true }
    if let budget = plan.budget, progress.elapsed >= budget {
      progress.budgetSpent = true
      return true
    }
    if let interval = plan.autosave, Date().timeIntervalSince(progress.lastSave) >= interval {
      progress.saveDue = true
      return true
    }
    return false
  }

  /// After every step: a progress event, and the mean loss line every `every` steps.
  private func record(_ report: Trainer.StepReport, _ progress: inout Progress) {
    progress.done += 1
    progress.window.append(report.loss)
    log?.step(
      report.step, loss: report.loss, learningRate: report.learningRate, gradientNorm: report.gradientNorm,
      done: progress.done, tokensPerStep: report.charactersPerStep)
    let seconds = progress.elapsed
    // Per character: a word or BPE model's tokens count as the characters they hold on average in
    // the training split, and its loss per token is scaled to per character (a ratio of 1 for chars).
    let tokensPerCharacter = Double(corpus.corpus.tokens(of: .train).count) / Double(max(1, corpus.corpus.characters(of: .train)))
    let characters = Double(progress.done * plan.options.batch * plan.options.seq) / tokensPerCharacter
    interpreter.sink.emit(
      .progress(
        ProgressEvent(
          activity: .training, model: name, done: progress.done, total: plan.steps,
          step: report.step, loss: report.loss * Float(tokensPerCharacter), elapsed: seconds,
          charactersPerSecond: seconds > 0 ? characters / seconds : 0, budget: plan.budget)))
    if plan.every > 0 && report.step % plan.every == 0 {
      let mean = Double(progress.window.reduce(0, +)) / Double(progress.window.count)
      progress.window.removeAll(keepingCapacity: true)
      interpreter.say(
        "\(name)  step \(Formatting.padLeft(String(report.step), 6))  loss \(Formatting.loss(mean, perToken: entry.tokenizer != nil))")
    }
  }

  /// At a chunk boundary: the periodic evaluation, checkpoint and sample that are due.
  private func afterChunk(_ progress: inout Progress) throws(InterpreterError) {
    let step = entry.trainer.state.step
    if plan.evalEvery > 0 && step % plan.evalEvery == 0 {
      if let result = try interpreter.evaluateDuringTraining(
        name: name, entry: entry, corpus: corpus, range: interpreterRange)
      {
        validated(result, step: step, &progress)
      }
    }
    if plan.saveEvery > 0 && step % plan.saveEvery == 0 {
      try saveRolling(step: step, &progress)
    }
    if plan.sampleEvery > 0 && step % plan.sampleEvery == 0 {
      try interpreter.sampleDuringTraining(
        name: name, entry: entry, length: plan.sampleLength, step: step, range: interpreterRange)
    }
  }

  /// The end of the run: an autosave of a stopped run's last steps, the stop warning, the summary.
  private func finish(_ progress: inout Progress) throws(InterpreterError) {
    let step = entry.trainer.state.step
    if progress.stopped && plan.autosave != nil && step != progress.startStep
      && step != progress.rolledStep
    {
      try saveRolling(step: step, &progress)
    }
    endWatch(&progress)
    if progress.stopped {
      interpreter.warn(
        "\(name): stopped at step \(step) after \(progress.done) of \(plan.steps.map(String.init) ?? "the budgeted") steps; the model can keep training from there"
      )
    }
    interpreter.say(summary(progress))
  }

  /// Whether the model has training that is in no checkpoint: not if all of it went into this
  /// run's last rolling checkpoint.
  private func markUnsavedTraining(_ progress: Progress) {
    let step = entry.trainer.state.step
    if step == progress.rolledStep && !progress.watch.restored {
      entry.hasUnsavedTraining = false
    } else if step != progress.startStep {
      entry.hasUnsavedTraining = true
    }
  }

  private var interpreterRange: SourceRange { interpreter.currentCommandRange }

  /// Writes the periodic checkpoint of `step`, removes rolled-off ones, and keeps the best.
  private func saveRolling(step: Int, _ progress: inout Progress) throws(InterpreterError) {
    var contents = CheckpointContents(
      model: entry.model, vocabulary: entry.vocabulary, trainer: entry.trainer, options: plan.options,
      corpus: entry.corpus?.corpus, tokenizer: entry.tokenizer)
    contents.corpusAbsolutePath = entry.corpus.map { interpreter.resolvedCorpusLabel($0.path) }
    do {
      let (written, removed) = try plan.rotation.save(contents, step: step)
      let shown = written.map { path in
        path.hasPrefix(plan.rotation.directory)
          ? (plan.saveDirectory as NSString).appendingPathComponent((path as NSString).lastPathComponent) : path
      }
      interpreter.say(
        "\(name): saved step \(step) to \(shown.map(\.debugDescription).joined(separator: " and "))"
          + (removed.isEmpty ? "" : "; removed \(removed.count) older"))
      progress.rolledStep = step
    } catch {
      throw InterpreterError(
        .runtime,
        "\(error.saveMessage); training stopped at step \(step), the model keeps it (save it elsewhere: save \(name) \"PATH\")",
        at: interpreterRange)
    }
  }

  /// `m: trained 200 steps (now at step 200, epoch 0); loss 1.9876 nats/char (2.868 bpc), mean of the last 10 steps`
  private func summary(_ progress: Progress) -> String {
    let elapsed = progress.elapsed
    let state = entry.trainer.state
    let done = state.step - progress.startStep
    var line =
      "\(name): trained \(done) step\(done == 1 ? "" : "s") (now at step \(state.step), epoch \(state.epoch))"
    let recent = state.trainLosses.suffix(min(10, max(done, 1)))
    if done > 0, !recent.isEmpty {
      let mean = Double(recent.reduce(0, +)) / Double(recent.count)
      line += "; loss \(Formatting.loss(mean, perToken: entry.tokenizer != nil))"
      if recent.count > 1 { line += ", mean of the last \(recent.count) steps" }
    }
    if interpreter.settings.showTimings && done > 0 {
      let tokens = Double(done * plan.options.batch * plan.options.seq) / max(elapsed, 1e-9)
      line += "; \(Formatting.elapsed(elapsed)), "
      if let t = corpus.corpus.tokenization {
        // Characters per second at the corpus's mean characters per token.
        let perToken = Double(corpus.corpus.characterCount) / Double(max(1, corpus.corpus.tokens.count))
        line +=
          "\(Formatting.count(Int(tokens))) \(t.tokenizer.kind.rawValue) tokens/s (\(Formatting.count(Int(tokens * perToken))) chars/s)"
      } else {
        line += "\(Formatting.count(Int(tokens))) chars/s"
      }
    }
    return line
  }
}
