import Foundation
import RNNModels

/// What a `train` call does with each validation during training besides printing it: the
/// metrics log's line, early stopping, the plateau schedule; and, at the end, the early-stopping
/// report and `restore_best`.
extension TrainingRun {
  /// After a whole-split validation of `step`.
  func validated(_ result: Evaluation, step: Int, _ progress: inout Progress) {
    log?.validation(step, loss: result.loss, bitsPerCharacter: validationBitsPerCharacter(result))
    let lines = progress.watch.observe(
      result.loss, step: step, trainer: entry.trainer, options: plan.options, unit: lossUnit)
    for line in lines { interpreter.say("\(name): \(line)") }
  }

  /// At the end of the run, before the summary: why it stopped early, `restore_best`, and a
  /// metrics log that could not be written to.
  func endWatch(_ progress: inout Progress) {
    let (lines, warnings) = progress.watch.finish(trainer: entry.trainer, interrupted: progress.stopped, unit: lossUnit)
    for line in lines { interpreter.say("\(name): \(line)") }
    for warning in warnings { interpreter.warn("\(name): \(warning)") }
    if let failure = log?.failure {
      interpreter.warn("\(name): the metrics log stopped at the first failed write: \(failure)")
    }
  }

  /// `nats/char`, or `nats/token` for a word or BPE model.
  var lossUnit: String { entry.tokenizer == nil ? "nats/char" : "nats/token" }

  /// Total bits over the characters of the validation split (a model of characters: nats / ln 2).
  private func validationBitsPerCharacter(_ result: Evaluation) -> Double {
    guard entry.tokenizer != nil else { return result.bitsPerCharacter }
    let characters = corpus.corpus.characters(of: .validation)
    return result.loss * Double(result.characters) / Foundation.log(2.0) / Double(max(1, characters))
  }
}
