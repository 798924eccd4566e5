import Foundation
import RNNInterpreter

/// Turns the interpreter's output into page events, on the thread that runs the statement:
/// `progress` (step, loss, chars/s, ETA; at most ``interval`` apart per model, and the last step
/// always), `validation` (each new validation result of the model in training, read from its
/// history), `line` and `warning`/`error` for the console view. It only watches: the training loop
/// reports as it always has.
final class TrainingObserver {
  let hub: EventHub
  /// Seconds between two progress events of one model.
  var interval = 0.1
  /// Reads the session (called on the same thread as `observe`).
  var validationCount: (String) -> [(step: Int, loss: Double)] = { _ in [] }
  /// Whether printed lines become `line` events (not for an API request's own output, which its
  /// answer carries).
  var publishesLines = true
  /// Called with each training step (the host keeps its model list current).
  var onStep: (String, Int) -> Void = { _, _ in }
  private var lastSent: [String: Date] = [:]
  private var validationsSeen: [String: Int] = [:]

  init(hub: EventHub) { self.hub = hub }

  func observe(_ event: OutputEvent) {
    switch event {
    case .progress(let p) where p.activity == .training:
      progress(p)
    case .line(let text) where publishesLines:
      hub.publish("line", ["text": text])
    case .warning(let text):
      hub.publish("warning", ["text": text])
    case .error(let text):
      hub.publish("error", ["text": text])
    default:
      break
    }
  }

  /// Resets the validation count of `model` at the start of a statement (results before it are not news).
  func begin(models: [String]) {
    for model in models { validationsSeen[model] = validationCount(model).count }
  }

  private func progress(_ p: ProgressEvent) {
    let now = Date()
    let last = p.total.map { p.done >= $0 } ?? false
    onStep(p.model, p.step)
    checkValidation(p.model)
    if !last, let sent = lastSent[p.model], now.timeIntervalSince(sent) < interval { return }
    lastSent[p.model] = now
    let rate: Double = finite(p.charactersPerSecond) ?? 0
    var payload: [String: Any] = [
      "model": p.model, "step": p.step, "done": p.done, "elapsed": p.elapsed, "chars_per_second": rate,
    ]
    if let loss = p.loss.map(Double.init), let l = finite(loss) { payload["loss"] = l }
    if let total = p.total { payload["total"] = total }
    if let eta = eta(p) { payload["eta"] = eta }
    hub.publish("progress", payload)
  }

  /// Seconds left: from the steps still to run at the rate so far, or from the time budget.
  private func eta(_ p: ProgressEvent) -> Double? {
    if let budget = p.budget { return max(0, budget - p.elapsed) }
    guard let total = p.total, p.done > 0 else { return nil }
    return finite(p.elapsed / Double(p.done) * Double(total - p.done))
  }

  /// Publishes the validation results of `models` not sent yet (after a statement ends).
  func end(models: [String]) {
    for model in models { checkValidation(model) }
  }

  private func checkValidation(_ model: String) {
    let records = validationCount(model)
    let seen = validationsSeen[model] ?? records.count
    guard records.count > seen else {
      validationsSeen[model] = records.count
      return
    }
    for record in records[seen...] {
      guard let loss = finite(record.loss) else { continue }
      hub.publish("validation", ["model": model, "step": record.step, "loss": loss])
    }
    validationsSeen[model] = records.count
  }
}

/// `x`, or nil when it is not finite (JSON has no NaN or infinity).
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
