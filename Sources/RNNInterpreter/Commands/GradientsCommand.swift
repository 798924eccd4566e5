import Foundation
import RNNModels

extension CommandTable {
  /// `gradients MODEL… [text|file …] [steps K] [svg "x.svg"]`
  static let gradients = CommandSpec(
    "gradients",
    summary: "Vanishing gradients: ‖∂L_t/∂h_(t−k)‖ against the distance k, for one or more models.",
    help: """
      For each model, reads the text (state carried, no dropout) in windows of 2·steps characters, \
      injects the loss gradient of each step t of the window's second half at the top layer's h_t and \
      carries it back through time with the cells' own backward, recording the norm of the gradient \
      reaching h_(t−k) for k = 0 … steps; the norms are averaged over t. All models go on one chart \
      (log scale), followed by the numbers at k = 1, 10 and 50 (those within `steps`). A vanilla \
      RNN's curve falls off fast; the LSTM's and the GRU's stay up. `svg` also writes the chart to a file.
      """,
    parameters: GradientsParameters.self,
    examples: [#"gradients a b c file "corpora/linux-kernel-c.txt" steps 50"#, #"gradients m steps 20 svg "gradients.svg""#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.gradients(arguments) })
}

/// The parameters of `gradients`.
struct GradientsParameters: AnalysisParameters, WidthParameters {
  let models = ParameterKey<[String]>.positional(
    "MODEL", .model, required: true, variadic: true, "The models to compare.")
  let input = AnalysisOptions(defaultLimit: 2_000)
  let steps = ParameterKey<Int>.option("steps", .integer(1...1000), default: 50, "The largest distance k.")
  let svg = ParameterKey<String?>.option("svg", .string, "Also write the chart to this SVG file.")
  let width = ParameterKey<Int?>.option("width", .integer(30...1000), note: "the terminal's", "Chart width in columns.")
  let height = ParameterKey<Int>.option("height", .integer(3...200), default: 12, "Chart height in rows.")
}

extension Interpreter {
  func gradients(_ arguments: Arguments<GradientsParameters>) throws(InterpreterError) -> SessionObject? {
    let K = arguments[\.steps]
    var chart = LineChart(title: "‖∂L_t/∂h_(t−k)‖ by distance k", xLabel: "k (steps back)", yLabel: "gradient norm", logY: true)
    var results: [(String, GradientNorms)] = []
    var curves: [GradientData.Curve] = []
    var label = ""
    for name in arguments[\.models] {
      let entry = session.model(name)!
      let input = try analysisInput(arguments, entry: entry)
      label = input.label
      let result: GradientNorms
      do { result = try GradientFlow.norms(model: entry.model, tokens: input.tokens, steps: K, shouldStop: shouldStop) } catch {
        throw arguments.error(error.description, at: \.steps)
      }
      results.append(("\(name) (\(entry.config.cell.displayName))", result))
      curves.append(.init(model: name, cell: entry.config.cell.rawValue, norms: result.norms, samples: result.samples))
      chart.series.append(
        .init(label: "\(name) \(entry.config.cell.displayName)", points: result.norms.enumerated().map { (Double($0.offset), $0.element) }))
    }
    lastData = .gradients(GradientData(label: label, steps: K, curves: curves))
    say("gradient norm ‖∂L_t/∂h_(t−k)‖ (top layer), averaged over \(results.first?.1.samples ?? 0) steps t of \(label)")
    for line in BrailleChart.render(chart, width: chartWidth(arguments), height: arguments[\.height], colour: settings.colour) {
      say(line)
    }
    let ks = [0, 1, 10, 50].filter { $0 <= K } + (K > 50 || ![0, 1, 10, 50].contains(K) ? [K] : [])
    let width = max(12, (results.map(\.0.count).max() ?? 0) + 2)
    say(Formatting.pad("model", width) + ks.map { Formatting.padLeft("k=\($0)", 11) }.joined() + Formatting.padLeft("k=\(K)/k=0", 12))
    for (name, r) in results {
      let ratio = r.norms[0] > 0 ? r.norms[K] / r.norms[0] : .nan
      say(Formatting.pad(name, width) + ks.map { Formatting.padLeft(sci(r.norms[$0]), 11) }.joined() + Formatting.padLeft(sci(ratio), 12))
    }
    if let path = arguments[\.svg] { try writeText(SVGChart.document(chart), to: path, arguments, at: \.svg) }
    return nil
  }

  private func sci(_ v: Double) -> String { v.isFinite ? String(format: "%.3e", v) : "-" }
}
