import RNNModels

extension CommandTable {
  /// `cells MODEL [text|file …] property P [regex "…"] [top N]`
  static let cells = CommandSpec(
    "cells",
    summary: "Search for interpretable units: rank units by correlation with a property of the text.",
    help: """
      Runs the model over the text (state carried, no dropout) and ranks every hidden unit (h) and, \
      for the LSTM, every cell (c) of every layer by the absolute Pearson correlation of its activation \
      with a property of each character: `quotes` (inside "…"), `parens` (inside (), [] or {}), \
      `depth` (how many of them are open), `line_position` (column in the line), `newline`, or \
      `regex` (inside a match of the regular expression given with `regex "…"`). Prints the `top` \
      units; look at one with `activations`. For a tagger, its recurrent layers are searched (by default \
      over its corpus's validation split): the unit that does the tagging correlates most with the property.
      """,
    parameters: CellsParameters.self,
    examples: [
      #"cells m file "corpora/shakespeare-tragedies.txt" property line_position top 5"#,
      #"cells m text "if (a) { b(c); }" property depth"#, #"cells m regex "[A-Z][a-z]+" top 3"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.cells(arguments) })
}

/// The parameters of `cells`.
struct CellsParameters: ModelParameters, AnalysisParameters {
  let model = ParameterKey<String>.positional("MODEL", .anyModel, "The model (or tagger).")
    .taking(["model", "tagger"], .takes("a model or a tagger"))
  let input = AnalysisOptions(defaultLimit: 20_000)
  let property = ParameterKey<String?>.option(
    "property", .choice(TextProperty.names), note: "quotes, or regex when `regex` is given", "What the units should track.")
  let regex = ParameterKey<String?>.option(
    "regex", .string, "The regular expression for `property regex` (NSRegularExpression syntax).")
  let top = ParameterKey<Int>.option("top", .integer(1...1000), default: 10, "How many units to list.")
  let kind = ParameterKey<String>.option(
    "kind", .choice(["all", "h", "c"]), default: "all", "Search hidden states, cell states or both.")
}

extension Interpreter {
  func cells(_ arguments: Arguments<CellsParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.model]
    let propertyName = arguments[\.property] ?? (arguments.has(\.regex) ? "regex" : "quotes")
    guard let property = TextProperty(name: propertyName, pattern: arguments[\.regex]) else {
      throw arguments.error("property regex needs a pattern: regex \"…\"", at: \.property, kind: .invalid)
    }
    if arguments.has(\.regex) && propertyName != "regex" {
      throw arguments.error("'regex' goes with property regex, not \(propertyName)", at: \.regex, kind: .invalid)
    }
    let (model, input) = try analysedModel(name, arguments)
    let values: [Float]
    do { values = try property.values(of: input.text) } catch { throw arguments.error(error.description, at: \.regex) }
    if Set(values).count < 2 {
      warn("\(property.name) is constant over this text; every correlation is 0")
    }
    let trace = ActivationTrace.record(model: model, tokens: input.tokens)
    let kind = arguments[\.kind]
    let ranked = UnitRanking.rank(trace: trace, property: values, series: kind == "all" ? nil : [kind])
    let top = ranked.prefix(arguments[\.top])
    lastData = .cells(
      CellRanking(model: name, property: property.name, label: input.label, characters: input.tokens.count, units: Array(top)))
    say("\(name): units ranked by |r| with \(property.name) over \(input.label) (\(Formatting.count(input.tokens.count)) characters)")
    say(" rank  layer  unit  kind        r")
    for (i, u) in top.enumerated() {
      let r = (u.correlation >= 0 ? "+" : "") + Formatting.fixed(u.correlation, 3)
      say(
        Formatting.padLeft(String(i + 1), 5) + Formatting.padLeft(String(u.layer + 1), 7)
          + Formatting.padLeft(String(u.unit), 6) + Formatting.padLeft(u.series, 6) + Formatting.padLeft(r, 9))
    }
    if let best = top.first {
      say("look at it: activations \(name) layer \(best.layer + 1) unit \(best.unit) gate \(best.series)")
    }
    return nil
  }
}
