import RNNModels

extension CommandTable {
  /// `predict MODEL text "…" [top K]`
  static let predict = CommandSpec(
    "predict",
    summary: "Show the model's top-k next-character predictions under each character of a text.",
    help: """
      Runs the model over the text (state carried, no dropout) and prints, under every character, the \
      `top` most likely next characters with their probabilities (`.41` = 41 %), most likely first. \
      A `*` marks the character that really comes next. Columns wrap at the terminal width. Shown: \
      ␠ for a space, ↵ for a newline, → for a tab. Ends with the text's loss under the model.
      """,
    parameters: PredictParameters.self,
    examples: [#"predict m text "The cat sat" top 3"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.predict(arguments) })
}

/// The parameters of `predict`.
struct PredictParameters: ModelParameters, AnalysisParameters, WidthParameters {
  let model = ParameterKey<String>.positional("MODEL", .model, "The model.")
  let input = AnalysisOptions(defaultLimit: 200)
  let top = ParameterKey<Int>.option("top", .integer(1...20), default: 3, "How many predictions per character.")
  let width = ParameterKey<Int?>.option("width", .integer(10...1000), note: "the terminal's", "Wrap at this many columns.")
}

extension Interpreter {
  func predict(_ arguments: Arguments<PredictParameters>) throws(InterpreterError) -> SessionObject? {
    let (name, entry) = modelArgument(arguments)
    let input = try analysisInput(arguments, entry: entry)
    let k = min(arguments[\.top], entry.config.vocabSize)
    let trace = ActivationTrace.record(model: entry.model, tokens: input.tokens)
    let vocab = entry.vocabulary.scalars
    func shown(_ s: Unicode.Scalar) -> String { s == " " ? "␠" : ActivationRendering.shown(s) }
    let column = 6
    let perBlock = max(1, (chartWidth(arguments) - 1) / column)
    say("\(name): top \(k) next characters after each character of \(input.label)")
    let T = input.tokens.count
    var loss = 0.0
    for t in 0..<(T - 1) {
      loss -= log(Double(max(trace.probabilities[t * entry.config.vocabSize + Int(input.tokens[t + 1])], 1e-30)))
    }
    for start in stride(from: 0, to: T, by: perBlock) {
      let range = start..<min(T, start + perBlock)
      if start > 0 { say("") }
      say(range.map { Formatting.pad(" " + shown(vocab[Int(input.tokens[$0])]), column) }.joined().trimmedRight)
      for rank in 0..<k {
        let row = range.map { t -> String in
          let (token, p) = trace.topPredictions(at: t, k: k)[rank]
          let hit = t + 1 < T && Int(input.tokens[t + 1]) == token
          let prob = p >= 0.995 ? "1.0" : "." + Formatting.padLeft(String(Int((p * 100).rounded())), 2).replacingSpaces
          return Formatting.pad(" " + shown(vocab[token]) + (hit ? "*" : " ") + prob, column)
        }
        say(row.joined().trimmedRight)
      }
    }
    if T > 1 {
      say("loss over the \(T - 1) predicted characters: \(Formatting.loss(loss / Double(T - 1)))")
    }
    if ExactOutput.enabled {
      let ids = (0..<T).map { String(input.tokens[$0]) }.joined(separator: ",")
      say(
        "predict_exact {\"tokens\":[\(ids)],\"probabilities\":"
          + "\(ExactOutput.rows(Array(trace.probabilities.prefix(T * entry.config.vocabSize)), columns: entry.config.vocabSize))}")
    }
    return nil
  }
}

extension String {
  /// Without trailing spaces.
  var trimmedRight: String {
    var s = Substring(self)
    while s.last == " " { s.removeLast() }
    return String(s)
  }

  /// Spaces as zeros (`" 5"` → `"05"`).
  fileprivate var replacingSpaces: String { String(map { $0 == " " ? "0" : $0 }) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
