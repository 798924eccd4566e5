import RNNModels

extension CommandTable {
  /// `activations MODEL text "…" layer L unit U [gate h|c|i|f|g|o|r|z|n] [html "x.html"]`
  static let activations = CommandSpec(
    "activations",
    summary: "Show a text coloured by one unit's activation (hidden, cell or gate).",
    help: """
      Runs the model over the text (state carried, no dropout) and shows each character coloured by \
      the activation of one unit after reading it: blue for −1, white for 0, red for +1 (sigmoid gates \
      are shown as 2g − 1, LSTM cell states divided by their largest magnitude). On a colour terminal \
      the characters get background colours; otherwise a line of block characters (▁ … █) runs under \
      the text. `html` also writes a page to open in a browser. Layers count from 1, units from 0 \
      (as `cells` lists them). The series: h, c (LSTM), or a gate: i f g o (LSTM), r z n (GRU).
      """,
    parameters: ActivationsParameters.self,
    examples: [
      #"activations m text "To be, or not to be" layer 1 unit 37 gate c"#, #"activations m file "corpora/hello.txt" html "unit.html""#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.activations(arguments) })
}

/// The parameters of `activations`.
struct ActivationsParameters: ModelParameters, AnalysisParameters, WidthParameters {
  let model = ParameterKey<String>.positional("MODEL", .model, "The model.")
  let input = AnalysisOptions(defaultLimit: 2000)
  let layer = ParameterKey<Int>.option("layer", .integer(1...64), default: 1, "Layer, from 1 (the bottom).")
  let unit = ParameterKey<Int>.option("unit", .integer(0...65_535), default: 0, "Unit, from 0.")
  let gate = ParameterKey<String>.option(
    "gate", .choice(["h", "c", "i", "f", "g", "o", "r", "z", "n"]), default: "h", "Which activation.")
  let html = ParameterKey<String?>.option("html", .string, "Also write the coloured text to this HTML file.")
  let width = ParameterKey<Int?>.option(
    "width", .integer(10...1000), note: "the terminal's", "Wrap lines at this many columns.")
}

extension Interpreter {
  func activations(_ arguments: Arguments<ActivationsParameters>) throws(InterpreterError) -> SessionObject? {
    let (name, entry) = modelArgument(arguments)
    let c = entry.config
    let layer = arguments[\.layer] - 1, unit = arguments[\.unit], series = arguments[\.gate]
    guard layer < c.layers else { throw arguments.error("\(name) has \(c.layers) layer\(c.layers == 1 ? "" : "s")", at: \.layer) }
    guard unit < c.hidden else { throw arguments.error("\(name) has units 0…\(c.hidden - 1)", at: \.unit) }
    let input = try analysisInput(arguments, entry: entry)
    let trace = ActivationTrace.record(model: entry.model, tokens: input.tokens)
    guard let raw = trace.series(series, layer: layer, unit: unit) else {
      throw arguments.error(
        "\(c.cell.displayName) has no '\(series)'; it has " + ActivationTrace.seriesNames(for: c.cell).joined(separator: ", "),
        at: \.gate)
    }
    let values = ActivationRendering.normalised(raw, series: series)
    let lo = raw.min()!, hi = raw.max()!, mean = raw.reduce(0, +) / Float(raw.count)
    let title = "\(name) layer \(layer + 1) \(series) unit \(unit)"
    lastData = .activations(ActivationData(title: title, text: input.text, raw: raw, shades: values))
    say(
      "\(title) over \(input.label) (\(Formatting.count(raw.count)) characters): min \(Formatting.fixed(lo, 3)), max \(Formatting.fixed(hi, 3)), mean \(Formatting.fixed(mean, 3))"
    )
    for line in ActivationRendering.terminal(
      text: input.text, values: values, width: max(10, chartWidth(arguments) - 1), colour: settings.colour)
    {
      say(line)
    }
    if let path = arguments[\.html] {
      try writeText(ActivationRendering.html(title: title, text: input.text, raw: raw, values: values), to: path, arguments, at: \.html)
    }
    return nil
  }
}
