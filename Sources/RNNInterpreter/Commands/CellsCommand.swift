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
      units; look at one with `activations`.
      """,
    positionals: [.positional("MODEL", .model, "The model.")],
    options: AnalysisInput.options(defaultLimit: 20_000) + [
      .option("property", .choice(TextProperty.names), note: "quotes, or regex when `regex` is given", "What the units should track."),
      .option("regex", .string, "The regular expression for `property regex` (NSRegularExpression syntax)."),
      .option("top", .integer(1...1000), default: .number(10, isInteger: true), "How many units to list."),
      .option("kind", .choice(["all", "h", "c"]), default: .name("all"), "Search hidden states, cell states or both."),
    ],
    examples: [
      #"cells m file "corpora/shakespeare-tragedies.txt" property line_position top 5"#,
      #"cells m text "if (a) { b(c); }" property depth"#, #"cells m regex "[A-Z][a-z]+" top 3"#,
    ],
    action: { interpreter, invocation throws(InterpreterError) in try interpreter.cells(invocation) })
}

extension Interpreter {
  func cells(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let (name, entry) = modelArgument(invocation)
    let propertyName = invocation.string("property") ?? (invocation.has("regex") ? "regex" : "quotes")
    guard let property = TextProperty(name: propertyName, pattern: invocation.string("regex")) else {
      throw invocation.error("property regex needs a pattern: regex \"…\"", at: "property", kind: .invalid)
    }
    if invocation.has("regex") && propertyName != "regex" {
      throw invocation.error("'regex' goes with property regex, not \(propertyName)", at: "regex", kind: .invalid)
    }
    let input = try analysisInput(invocation, entry: entry)
    let values: [Float]
    do { values = try property.values(of: input.text) } catch { throw invocation.error(error.description, at: "regex") }
    if Set(values).count < 2 {
      warn("\(property.name) is constant over this text; every correlation is 0")
    }
    let trace = ActivationTrace.record(model: entry.model, tokens: input.tokens)
    let kind = invocation.string("kind")!
    let ranked = UnitRanking.rank(trace: trace, property: values, series: kind == "all" ? nil : [kind])
    let top = ranked.prefix(invocation.int("top")!)
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
