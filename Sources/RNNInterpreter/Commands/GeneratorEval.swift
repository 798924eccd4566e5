import RNNModels

extension Interpreter {
  /// `eval g`: the held-out words' loss under their own label, per label, and the table that shows
  /// whether conditioning works: each language's held-out words under its own label against the
  /// mean under the other labels (and the lowest other), at most `limit` words per language.
  func evalGenerator(_ entry: GeneratorEntry, name: String, _ arguments: Arguments<EvalParameters>) throws(InterpreterError) {
    let g = entry.generator
    // Shortened runs (RNN_STEPS_SCALE < 1) compare at most 20 words per language.
    let limit = arguments[\.limit] ?? (stepsScale < 1 ? 20 : nil)
    guard !entry.holdout.isEmpty else {
      throw arguments.error("'\(name)' has no held-out words (built with holdout 0, or its file is not available)")
    }
    var byLabel = [[[Int32]]](repeating: [], count: g.labelCount)
    for (word, label) in entry.holdout where byLabel[label].count < (limit ?? .max) { byLabel[label].append(word) }
    let all = byLabel.enumerated().flatMap { label, words in words.map { ($0, label) } }
    let overall = Self.generatorLoss(g, all)
    if limit == nil { entry.trainer.validation.append(.init(step: entry.trainer.step, loss: overall)) }
    say(
      "\(name) validation: \(Formatting.fixed(overall, 4)) nats/char over \(Formatting.count(all.count)) held-out words, "
        + "after \(entry.trainer.step) steps")
    let width = max(8, (g.labels.map(\.count).max() ?? 0) + 2)
    say(
      Formatting.pad("words", width) + Formatting.padLeft("n", 6) + Formatting.padLeft("own label", 11)
        + Formatting.padLeft("others (mean)", 15) + "  lowest other")
    var wins = 0
    for (i, words) in byLabel.enumerated() where !words.isEmpty {
      let examples = words.map { ($0, i) }
      let losses = (0..<g.labelCount).map { Self.generatorLoss(g, examples, label: $0) }
      let others = losses.indices.filter { $0 != i }
      let mean = others.map { losses[$0] }.reduce(0, +) / Double(max(1, others.count))
      let lowest = others.min { losses[$0] < losses[$1] }
      if lowest.map({ losses[i] < losses[$0] }) ?? true { wins += 1 }
      say(
        Formatting.pad(g.labels[i], width) + Formatting.padLeft(String(words.count), 6)
          + Formatting.padLeft(Formatting.fixed(losses[i], 4), 11) + Formatting.padLeft(Formatting.fixed(mean, 4), 15)
          + (lowest.map { "  \(g.labels[$0]) \(Formatting.fixed(losses[$0], 4))" } ?? ""))
    }
    let present = byLabel.count { !$0.isEmpty }
    say(
      "(nats per character) own label lowest for \(wins) of \(present) labels: conditioning \(wins == present ? "works" : "works only in part")"
    )
  }
}
