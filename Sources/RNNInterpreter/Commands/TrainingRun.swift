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

  func run() throws(InterpreterError) {
    let trainer = entry.trainer
    let data = corpus.corpus.tokens(of: .train)
    let startStep = trainer.state.step
    let start = Date()
    let charactersPerStep = plan.options.batch * plan.options.seq
    var window: [Float] = []
    var done = 0
    var budgetSpent = false
    var stopped = false
    var lastSave = Date()
    var saveDue = false
    let target = plan.steps ?? Int.max
    let elapsed = { Date().timeIntervalSince(start) }
    let checkpoints = [plan.evalEvery, plan.sampleEvery, plan.saveEvery].filter { $0 > 0 }

    // The step of the last rolling checkpoint written by this run (a model whose training is all
    // in one is not "unsaved").
    var rolledStep: Int?
    defer {
      if trainer.state.step == rolledStep {
        entry.hasUnsavedTraining = false
      } else if trainer.state.step != startStep {
        entry.hasUnsavedTraining = true
      }
    }
    entry.lastOptions = plan.options
    if let override = plan.corpusNameOverride {
      entry.corpus = corpus
      entry.corpusName = override
    }

    // Say at once that work started: a large model's first step can take seconds.
    interpreter.sink.emit(
      .progress(
        ProgressEvent(
          activity: .training, model: name, done: 0, total: plan.steps, step: trainer.state.step,
          loss: nil, elapsed: 0, charactersPerSecond: 0, budget: plan.budget)))
    while done < target && !stopped && !budgetSpent {
      let global = trainer.state.step
      let chunk = min(target - done, checkpoints.map { $0 - global % $0 }.min() ?? (target - done))
      let outcome: Trainer.Outcome
      do {
        outcome = try trainer.train(
          on: data, options: plan.options, steps: chunk,
          shouldStop: {
            if interpreter.shouldStop() { return true }
            if let budget = plan.budget, elapsed() >= budget {
              budgetSpent = true
              return true
            }
            if let interval = plan.autosave, Date().timeIntervalSince(lastSave) >= interval {
              saveDue = true
              return true
            }
            return false
          },
          onStep: { report in
            done += 1
            window.append(report.loss)
            let seconds = elapsed()
            interpreter.sink.emit(
              .progress(
                ProgressEvent(
                  activity: .training, model: name, done: done, total: plan.steps,
                  step: report.step,
                  loss: report.loss, elapsed: seconds,
                  charactersPerSecond: seconds > 0 ? Double(done * charactersPerStep) / seconds : 0,
                  budget: plan.budget)))
            if plan.every > 0 && report.step % plan.every == 0 {
              let mean = Double(window.reduce(0, +)) / Double(window.count)
              window.removeAll(keepingCapacity: true)
              interpreter.say(
                "\(name)  step \(Formatting.padLeft(String(report.step), 6))  loss \(Formatting.loss(mean))"
              )
            }
          })
      } catch {
        interpreter.say(summary(startStep: startStep, elapsed: elapsed()))
        throw InterpreterError(.runtime, "\(error.description)", at: interpreterRange)
      }
      if saveDue {
        // Time-based autosave: a rolling checkpoint, then carry on.
        saveDue = false
        lastSave = Date()
        try saveRolling(step: trainer.state.step)
        rolledStep = trainer.state.step
        if !(outcome.stoppedEarly && interpreter.shouldStop()) { continue }
      }
      if outcome.stoppedEarly && !budgetSpent { stopped = true }
      if chunk == 0 { break }
      let step = trainer.state.step
      if plan.evalEvery > 0 && step % plan.evalEvery == 0 && !stopped {
        try interpreter.evaluateDuringTraining(
          name: name, entry: entry, corpus: corpus, range: interpreterRange)
      }
      if plan.saveEvery > 0 && step % plan.saveEvery == 0 && !stopped {
        try saveRolling(step: step)
        rolledStep = step
      }
      if plan.sampleEvery > 0 && step % plan.sampleEvery == 0 && !stopped {
        try interpreter.sampleDuringTraining(
          name: name, entry: entry, length: plan.sampleLength, step: step, range: interpreterRange)
      }
    }
    if stopped && plan.autosave != nil && trainer.state.step != startStep
      && trainer.state.step != rolledStep
    {
      try saveRolling(step: trainer.state.step)
      rolledStep = trainer.state.step
    }
    if stopped {
      interpreter.warn(
        "\(name): stopped at step \(trainer.state.step) after \(done) of \(plan.steps.map(String.init) ?? "the budgeted") steps; the model can keep training from there"
      )
    }
    interpreter.say(summary(startStep: startStep, elapsed: elapsed()))
  }

  private var interpreterRange: SourceRange { interpreter.currentCommandRange }

  /// Writes the periodic checkpoint of `step`, removes rolled-off ones, and keeps the best.
  private func saveRolling(step: Int) throws(InterpreterError) {
    var contents = CheckpointContents(
      model: entry.model, vocabulary: entry.vocabulary, trainer: entry.trainer, options: plan.options,
      corpus: entry.corpus?.corpus)
    contents.corpusAbsolutePath = entry.corpus.map { interpreter.fileSystem.resolve($0.path) }
    do {
      let (written, removed) = try plan.rotation.save(contents, step: step)
      let shown = written.map { path in
        path.hasPrefix(plan.rotation.directory)
          ? (plan.saveDirectory as NSString).appendingPathComponent((path as NSString).lastPathComponent) : path
      }
      interpreter.say(
        "\(name): saved step \(step) to \(shown.map(\.debugDescription).joined(separator: " and "))"
          + (removed.isEmpty ? "" : "; removed \(removed.count) older"))
    } catch {
      throw InterpreterError(
        .runtime,
        "\(error.saveMessage); training stopped at step \(step), the model keeps it (save it elsewhere: save \(name) \"PATH\")",
        at: interpreterRange)
    }
  }

  /// `m: trained 200 steps (now at step 200, epoch 0); loss 1.9876 nats/char (2.868 bpc), mean of the last 10 steps`
  private func summary(startStep: Int, elapsed: Double) -> String {
    let state = entry.trainer.state
    let done = state.step - startStep
    var line =
      "\(name): trained \(done) step\(done == 1 ? "" : "s") (now at step \(state.step), epoch \(state.epoch))"
    let recent = state.trainLosses.suffix(min(10, max(done, 1)))
    if done > 0, !recent.isEmpty {
      let mean = Double(recent.reduce(0, +)) / Double(recent.count)
      line += "; loss \(Formatting.loss(mean))"
      if recent.count > 1 { line += ", mean of the last \(recent.count) steps" }
    }
    if interpreter.settings.showTimings && done > 0 {
      let chars = Double(done * plan.options.batch * plan.options.seq)
      line +=
        "; \(Formatting.elapsed(elapsed)), \(Formatting.count(Int(chars / max(elapsed, 1e-9)))) chars/s"
    }
    return line
  }
}
