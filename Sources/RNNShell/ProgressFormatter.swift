import Foundation
import RNNInterpreter

/// Words for a ``ProgressEvent``: the one-line progress bar of a terminal and the plain log line
/// of a redirected run.
public enum ProgressFormatter {
  /// `train m  [#####.......]  120/500  step 1120  loss 2.1345 (3.080 bpc)  41.2k chars/s  ETA 12s`,
  /// cut to `width` columns (the bar goes first when space is short).
  public static func bar(_ event: ProgressEvent, width: Int) -> String {
    let head = "\(verb(event)) \(event.model)"
    let fraction = fractionDone(event)
    var tail = "  \(counts(event))"
    if event.activity == .training { tail += "  step \(event.step)" }
    if let loss = event.loss { tail += "  loss \(lossText(loss))" }
    tail += "  \(rate(event.charactersPerSecond)) chars/s"
    if let eta = eta(event) { tail += "  ETA \(duration(eta))" }
    let barWidth = min(30, width - head.count - tail.count - 6)
    var line = head
    if let fraction, barWidth >= 8 {
      let filled = Int((fraction * Double(barWidth)).rounded(.down))
      line +=
        "  [" + String(repeating: "#", count: filled)
        + String(repeating: ".", count: barWidth - filled) + "]"
    }
    line += tail
    return String(line.prefix(max(1, width - 1)))
  }

  /// `m: train step 1120 (120/500), loss 2.1345 (3.080 bpc), 41.2k chars/s, ETA 12s`
  public static func logLine(_ event: ProgressEvent) -> String {
    var line = "\(event.model): \(verb(event))"
    line +=
      event.activity == .training ? " step \(event.step) (\(counts(event)))" : " \(counts(event))"
    if let loss = event.loss { line += ", loss \(lossText(loss))" }
    line += ", \(rate(event.charactersPerSecond)) chars/s"
    if let eta = eta(event) { line += ", ETA \(duration(eta))" }
    return line
  }

  static func verb(_ event: ProgressEvent) -> String {
    event.activity == .training ? "train" : "eval"
  }

  static func fractionDone(_ event: ProgressEvent) -> Double? {
    if let total = event.total, total > 0 { return min(1, Double(event.done) / Double(total)) }
    if let budget = event.budget, budget > 0 { return min(1, event.elapsed / budget) }
    return nil
  }

  static func counts(_ event: ProgressEvent) -> String {
    let unit = event.activity == .training ? "" : " chars"
    if let total = event.total { return "\(Formatting.count(event.done))/\(Formatting.count(total))\(unit)" }
    if let budget = event.budget { return "\(duration(event.elapsed))/\(duration(budget))" }
    return "\(Formatting.count(event.done))\(unit)"
  }

  static func eta(_ event: ProgressEvent) -> Double? {
    if let total = event.total, event.done > 0, event.elapsed > 0 {
      return event.elapsed / Double(event.done) * Double(max(0, total - event.done))
    }
    if let budget = event.budget { return max(0, budget - event.elapsed) }
    return nil
  }

  static func lossText(_ nats: Float) -> String {
    String(format: "%.4f (%.3f bpc)", Double(nats), Double(nats) / log(2))
  }

  /// `950`, `41.2k`, `3.10M`
  static func rate(_ value: Double) -> String {
    if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
    if value >= 1e3 { return String(format: "%.1fk", value / 1e3) }
    return String(format: "%.0f", value)
  }

  /// `12s`, `3m05s`, `1h02m`
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }
}
