import RNNModels

extension CommandTable {
  /// `history MODEL [every K]`
  static let history = CommandSpec(
    "history",
    summary: "Print a model's loss history: training loss by step range, and validation results.",
    help: """
      Groups the training losses into ranges of `every` steps (about 10 rows by default) and prints the \
      mean of each with its bits per character and a bar, followed by every validation result. The \
      history is saved in checkpoints.
      """,
    parameters: HistoryParameters.self,
    examples: ["history m", "history m every 50"],
    action: { interpreter, arguments throws(InterpreterError) in
      // `set every` is for train's loss lines, not for these rows.
      interpreter.history(arguments[\.model], every: arguments.given(\.every) ?? nil)
      return nil
    })
}

/// The parameters of `history`.
struct HistoryParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .model, "The model.")
  let every = ParameterKey<Int?>.option(
    "every", .integer(1...100_000_000), note: "about a tenth of the steps", "Steps per row.")
}

extension Interpreter {
  func history(_ name: String, every: Int?) {
    let state = session.model(name)!.trainer.state
    let losses = state.trainLosses
    guard !losses.isEmpty || !state.validationLosses.isEmpty else {
      say("\(name) has not been trained yet")
      return
    }
    if !losses.isEmpty {
      let size = every ?? max(1, (losses.count + 9) / 10)
      let rows = stride(from: 0, to: losses.count, by: size).map { start -> (Int, Int, Double) in
        let slice = losses[start..<min(start + size, losses.count)]
        return (start + 1, start + slice.count, Double(slice.reduce(0, +)) / Double(slice.count))
      }
      let high = rows.map(\.2).max() ?? 1
      let width = String(losses.count).count
      say("\(name): training loss, mean per \(size) step\(size == 1 ? "" : "s")")
      for (first, last, mean) in rows {
        let span =
          first == last
          ? Formatting.padLeft(String(first), width * 2 + 1)
          : Formatting.padLeft("\(first)-\(last)", width * 2 + 1)
        let bar = String(repeating: "█", count: max(1, Int((mean / high * 30).rounded())))
        say("  \(span)  \(Formatting.loss(mean))  \(bar)")
      }
    }
    if !state.validationLosses.isEmpty {
      say("\(name): validation")
      for record in state.validationLosses {
        let part = record.characters.map { "  (first \(Formatting.count($0)) characters)" } ?? ""
        say(
          "  step \(Formatting.padLeft(String(record.step), 6))  \(Formatting.loss(Double(record.loss)))\(part)"
        )
      }
    }
  }
}
