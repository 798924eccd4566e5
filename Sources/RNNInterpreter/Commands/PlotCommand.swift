import RNNModels

extension CommandTable {
  /// `plot MODEL… [units bits|nats] [svg "x.svg"]`
  static let plot = CommandSpec(
    "plot",
    summary: "Chart the training and validation loss of one or more models.",
    help: """
      Draws every model's training loss per step (a moving average over `smooth` steps) and its \
      validation evaluations on one chart in the terminal, in braille dots sized to the terminal \
      width, with a legend; several models compare on the same axes, each curve with its own marker. \
      `svg` also writes the chart as an SVG file to open in a browser (as for `gradients`; \
      `activations` writes `html`). Losses are per character for every model: a word or BPE model's \
      loss per token is scaled by its split's tokens per character, so models of different tokens \
      compare on the same axes. A string names a metrics log written by `train … log` (JSON Lines or \
      CSV) instead of a live model: its training lines are drawn as logged (each the mean since the \
      previous line) with its validation lines, one pair of curves per model in the file, per \
      character from its `bits_per_char`; models and logs mix on one chart. `x minutes` draws logs \
      against the wall-clock minutes since their run started (their `wall_s`) instead of the step, \
      to compare runs by time (a live model keeps no wall-clock times: log it).
      """,
    parameters: PlotParameters.self,
    examples: [
      "plot m", #"plot a b c units bits svg "losses.svg""#, #"plot m "runs/old.jsonl" units bits"#,
      #"plot "runs/a.jsonl" "runs/b.jsonl" x minutes units bits"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.plot(arguments) })
}

/// The parameters of `plot`.
struct PlotParameters: WidthParameters {
  let models = ParameterKey<[PlotSource]>.positional(
    "MODEL", .modelOrLog, required: true, variadic: true,
    "The models (or generators, taggers, seq2seq models) to plot, or metrics log files (\"runs/m.jsonl\", \"runs/m.csv\").")
  let units = ParameterKey<String>.option(
    "units", .choice(["nats", "bits"]), default: "nats", "Loss in nats or bits per character.")
  let svg = ParameterKey<String?>.option("svg", .string, "Also write the chart to this SVG file.")
  let file = ParameterKey<String?>.option(
    "file", .string, "The old spelling of `svg` (still works, with a hint).")
  let x = ParameterKey<String>.option(
    "x", .choice(["step", "minutes"]), default: "step",
    "The horizontal axis: the step, or wall-clock minutes since the run started (metrics logs only).")
  let smooth = ParameterKey<Int>.option(
    "smooth", .integer(1...100_000), default: 10, "Moving-average window of the training curve, in steps.")
  let width = ParameterKey<Int?>.option("width", .integer(30...1000), note: "the terminal's", "Chart width in columns.")
  let height = ParameterKey<Int>.option("height", .integer(3...200), default: 12, "Chart height in rows.")
}

extension Interpreter {
  func plot(_ arguments: Arguments<PlotParameters>) throws(InterpreterError) -> SessionObject? {
    if arguments.has(\.svg) && arguments.has(\.file) {
      throw arguments.error("give 'svg' (or its old spelling 'file'), not both", at: \.file, kind: .invalid)
    }
    let bits = arguments[\.units] == "bits"
    let scale = bits ? 1 / log(2.0) : 1
    let window = arguments[\.smooth]
    let minutes = arguments[\.x] == "minutes"
    var chart = LineChart(
      title: "loss (\(bits ? "bits" : "nats") per character)", xLabel: minutes ? "minutes" : "step",
      yLabel: bits ? "bits/char" : "nats/char")
    var summaries: [String] = []
    for source in arguments[\.models] {
      guard case .model(let name) = source else {
        guard case .log(let path) = source else { continue }
        let log = try readMetricsLog(path, minutes: minutes, arguments)
        chart.series += log.series(scale: bits ? 1 : log2Nats)
        summaries += log.summaries(path: path, scale: bits ? 1 : log2Nats, unit: bits ? "bits/char" : "nats/char")
        continue
      }
      if minutes {
        throw arguments.error(
          "x minutes plots metrics logs only: '\(name)' keeps no wall-clock times (train … log \"runs/\(name).jsonl\")",
          at: \.x, kind: .invalid)
      }
      if case .seq2seq(let t)? = session[name] {
        addFormSeries(
          name, (t.trainer.losses.map(Double.init), []), scale: scale, window: window, bits: bits, to: &chart, summaries: &summaries)
        continue
      }
      if let form = formLosses(session[name]) {
        addFormSeries(name, form, scale: scale, window: window, bits: bits, to: &chart, summaries: &summaries)
        continue
      }
      let entry = session.model(name)!
      let state = entry.trainer.state
      let perCharacter = try tokensPerCharacter(entry, name, arguments)
      let losses = state.trainLosses.map { Double($0) * scale * perCharacter.train }
      var smoothed: [(x: Double, y: Double)] = []
      var sum = 0.0
      for (i, v) in losses.enumerated() {
        sum += v
        if i >= window { sum -= losses[i - window] }
        smoothed.append((Double(i + 1), sum / Double(min(i + 1, window))))
      }
      chart.series.append(.init(label: "\(name) train", points: smoothed))
      // Whole-split passes only: one over the first N characters (`eval … limit N`) is not comparable.
      let validation = state.validationLosses.filter { $0.characters == nil }.map {
        (x: Double($0.step), y: Double($0.loss) * scale * perCharacter.validation)
      }
      if !validation.isEmpty { chart.series.append(.init(label: "\(name) validation", points: validation)) }
      var summary = "\(name): \(losses.count) steps"
      if let first = smoothed.first, let last = smoothed.last {
        summary += ", train \(Formatting.fixed(first.y, 4)) → \(Formatting.fixed(last.y, 4))"
      }
      if let v = validation.last { summary += ", validation \(Formatting.fixed(v.y, 4)) at step \(Int(v.x))" }
      summaries.append(summary + (bits ? " bits/char" : " nats/char"))
    }
    if chart.drawable.allSatisfy(\.isEmpty) {
      throw arguments.error("nothing to plot yet: train the model first (train \(arguments[\.models][0].name) steps 100)")
    }
    for line in BrailleChart.render(chart, width: chartWidth(arguments), height: arguments[\.height], colour: settings.colour) {
      say(line)
    }
    for s in summaries { say(s) }
    if let path = arguments[\.svg] { try writeText(SVGChart.document(chart), to: path, arguments, at: \.svg) }
    if let path = arguments[\.file] {
      try writeText(SVGChart.document(chart), to: path, arguments, at: \.file)
      warn("plot's 'file' is now spelled 'svg', as for gradients: plot … svg \(path.debugDescription)")
    }
    return nil
  }

  /// A generator's or tagger's curves: its training loss per step (smoothed) and its validation losses.
  private func addFormSeries(
    _ name: String, _ form: (train: [Double], validation: [(step: Int, loss: Double)]), scale: Double, window: Int,
    bits: Bool, to chart: inout LineChart, summaries: inout [String]
  ) {
    var smoothed: [(x: Double, y: Double)] = []
    var sum = 0.0
    for (i, v) in form.train.enumerated() {
      sum += v * scale
      if i >= window { sum -= form.train[i - window] * scale }
      smoothed.append((Double(i + 1), sum / Double(min(i + 1, window))))
    }
    chart.series.append(.init(label: "\(name) train", points: smoothed))
    let validation = form.validation.map { (x: Double($0.step), y: $0.loss * scale) }
    if !validation.isEmpty { chart.series.append(.init(label: "\(name) validation", points: validation)) }
    var summary = "\(name): \(form.train.count) steps"
    if let first = smoothed.first, let last = smoothed.last {
      summary += ", train \(Formatting.fixed(first.y, 4)) → \(Formatting.fixed(last.y, 4))"
    }
    if let v = validation.last { summary += ", validation \(Formatting.fixed(v.y, 4)) at step \(Int(v.x))" }
    summaries.append(summary + (bits ? " bits/char" : " nats/char"))
  }

  /// Tokens per character of the training and validation splits of a word or BPE model's corpus
  /// (1 for a model of characters): a loss per token times this is a loss per character (for
  /// validation exactly the bits per character `eval` prints for the whole split).
  private func tokensPerCharacter(_ entry: ModelEntry, _ name: String, _ arguments: Arguments<PlotParameters>) throws(InterpreterError)
    -> (train: Double, validation: Double)
  {
    guard entry.tokenizer != nil else { return (1, 1) }
    guard let corpus = entry.corpus?.corpus else {
      throw arguments.error("model '\(name)' reads tokens and has no corpus to convert its losses to per character")
    }
    // Validation: as `eval` counts, the predicted tokens (all but the first) over the characters.
    let train = Double(corpus.tokens(of: .train).count) / Double(max(1, corpus.characters(of: .train)))
    let validation = Double(max(0, corpus.tokens(of: .validation).count - 1)) / Double(max(1, corpus.characters(of: .validation)))
    return (train, validation)
  }

  /// Writes a text file atomically and says so.
  func writeText<P>(
    _ text: String, to path: String, _ arguments: Arguments<P>, at option: PartialKeyPath<P>
  ) throws(InterpreterError) {
    do { try fileSystem.writeAtomically(Array(text.utf8), to: path) } catch {
      throw arguments.error("cannot write \(error)", at: option)
    }
    say("wrote \(path)")
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
