import RNNModels

extension CommandTable {
  /// `saturation MODEL [text|file …]`
  static let saturation = CommandSpec(
    "saturation",
    summary: "Gate saturation statistics per layer and gate.",
    help: """
      Runs the model over the text (state carried, no dropout) and prints, for every gate of every \
      layer, the fraction of (character, unit) pairs where the gate is left-saturated (< 0.1) or \
      right-saturated (> 0.9), as in Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding \
      Recurrent Networks"; tanh blocks (LSTM g, GRU n, the RNN's h) use −0.9 and 0.9. Also the mean \
      activation and how many units are saturated more than half of the time on each side.
      """,
    parameters: SaturationParameters.self,
    examples: ["saturation m", #"saturation m file "corpora/linux-kernel-c.txt" limit 5000"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.saturation(arguments) })
}

/// The parameters of `saturation`.
struct SaturationParameters: ModelParameters, AnalysisParameters {
  let model = ParameterKey<String>.positional("MODEL", .model, "The model.")
  let input = AnalysisOptions(defaultLimit: 20_000)
}

extension Interpreter {
  func saturation(_ arguments: Arguments<SaturationParameters>) throws(InterpreterError) -> SessionObject? {
    let (name, entry) = modelArgument(arguments)
    let input = try analysisInput(arguments, entry: entry)
    let trace = ActivationTrace.record(model: entry.model, tokens: input.tokens)
    say("\(name): gate saturation over \(input.label) (\(Formatting.count(input.tokens.count)) characters, \(entry.config.hidden) units)")
    say("layer  gate    left   right    mean   units mostly left / right")
    let rows = GateSaturation.measure(trace)
    lastData = .saturation(
      SaturationData(
        model: name, cell: entry.config.cell.rawValue, label: input.label, characters: input.tokens.count,
        hidden: entry.config.hidden, rows: rows))
    for row in rows {
      let gate = row.isTanh ? "\(row.gate)*" : row.gate
      say(
        Formatting.padLeft(String(row.layer + 1), 5) + "  " + Formatting.pad(gate, 5)
          + Formatting.padLeft(Formatting.fixed(row.left * 100, 1) + "%", 7)
          + Formatting.padLeft(Formatting.fixed(row.right * 100, 1) + "%", 8)
          + Formatting.padLeft(Formatting.fixed(row.mean, 3), 8)
          + Formatting.padLeft(String(row.mostlyLeftUnits), 8) + " / " + String(row.mostlyRightUnits))
    }
    say("(* tanh block: left < −0.9, right > 0.9; sigmoid gates: left < 0.1, right > 0.9)")
    return nil
  }
}
