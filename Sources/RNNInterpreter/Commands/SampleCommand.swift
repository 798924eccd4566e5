import RNNLanguage
import RNNModels
import RNNTokenizers

extension CommandTable {
  /// `sample MODEL [LENGTH] …`
  static let sample = CommandSpec(
    "sample",
    summary: "Generate text from a model, streamed as it is produced.",
    help: """
      Feeds `prime` (or a newline) to the model, then draws characters one at a time: with probabilities \
      softmax(logits / temperature), restricted to the `top_k` most likely or to the smallest set \
      reaching probability `top_p` when given; temperature 0 always takes the most likely character. \
      Stops after `length` characters or once the text ends with a `stop` string. A prime with \
      characters the model never saw is an error listing them, unless `unknown skip` leaves them out \
      or `unknown replace` replaces them (see `eval`); either says how many. Without a seed \
      (or `set seed`) each sample in a session uses the next seed 0, 1, 2, …, so runs are reproducible. \
      `beam W` searches instead of drawing: it keeps the W likeliest texts at each step and prints \
      the one with the best score Σ log p / n^length_penalty (n tokens; see README, "Beam search"); \
      it draws nothing, so it takes no temperature, top_k, top_p or seed. A generator draws `count` \
      words for `label` (every label without one), each ended by the word boundary or after \
      `length` characters (its `max_length` by default), continuing `prime`.
      """,
    parameters: SampleParameters.self,
    examples: [
      #"sample m length 200 temperature 0.8 prime "ROMEO:" seed 3"#,
      #"sample m 300 top_p 0.9 stop "\n\n""#,
      #"sample m beam 5 length 200 prime "ROMEO:""#,
      #"sample g label "german" length 12 count 5 temperature 0.8"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.sample(arguments) })
}

/// The parameters of `sample`.
struct SampleParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .anyModel, "The model (or generator) to sample from.")
    .taking(["model", "generator"], .takes("a language model or a generator"))
  let lengthArgument = ParameterKey<Int?>.positional(
    "LENGTH", .integer(0...1_000_000), "Characters to generate (same as `length`).")
  let length = ParameterKey<Int>.option(
    "length", .integer(0...1_000_000), default: 200, note: "200, or `set length`",
    "Characters to generate.")
  let temperature = ParameterKey<Double>.option(
    "temperature", .real(.closed(0, 100)), default: 1, note: "1, or `set temperature`",
    "Softmax temperature (0: greedy).")
  let topK = ParameterKey<Int?>.option(
    "top_k", .integer(1...1_114_112), note: "all, or `set top_k`",
    "Keep only the k most likely characters."
  ).taking(["model"], .optionFor("a language model"))
  let topP = ParameterKey<Double?>.option(
    "top_p", .real(.openClosed(0, 1)), note: "1, or `set top_p`",
    "Keep the most likely characters up to this total probability."
  ).taking(["model"], .optionFor("a language model"))
  let prime = ParameterKey<String>.option(
    "prime", .string, default: "", "Text to start from; the sample continues it.")
  let seed = ParameterKey<Int?>.option(
    "seed", .integer(0...Int.max), note: "`set seed`, else 0, 1, 2, … per sample",
    "Seed for the random draws.")
  let stop = ParameterKey<[String]>.option(
    "stop", .strings, "Stop once the text ends with this string (or any of a list)."
  ).taking(["model"], .optionFor("a language model"))
  let unknown = UnknownCharacters.option("the prime")
  let precision = ParameterKey<Precision>.option(
    "precision", default: .fp32, "bf16: the products read bfloat16 weight copies (half the bytes of fp32).")
  let beam = BeamParameters()
  let label = ParameterKey<String?>.option(
    "label", .string, note: "every label", "A generator's label to draw words for."
  ).taking(["generator"], .optionFor("a generator"))
  let count = ParameterKey<Int>.option("count", .integer(1...10_000), default: 1, "A generator's words per label.")
    .taking(["generator"], .optionFor("a generator"))
}

extension Interpreter {
  func sample(_ arguments: Arguments<SampleParameters>) throws(InterpreterError) -> SessionObject? {
    if arguments.has(\.lengthArgument) && arguments.has(\.length) {
      throw arguments.error(
        "the length is given twice (as an argument and as 'length')", at: \.length, kind: .invalid)
    }
    let name = arguments[\.model]
    if case .generator(let g)? = session[name] {
      try sampleGenerator(g, name: name, arguments)
      return nil
    }
    let entry = session.model(name)!
    var length = arguments[\.lengthArgument] ?? arguments[\.length]
    if stepsScale < 1 { length = min(length, max(20, Int(Double(length) * stepsScale))) }
    let prime = try knownText(
      arguments[\.prime], label: "the prime text", alphabet: Alphabet(entry), policy: arguments[\.unknown], arguments,
      at: \.prime)
    if let width = arguments[\.beam.beam] {
      try beamSample(arguments, entry: entry, name: name, width: width, length: length, prime: prime)
      return nil
    }
    if arguments.has(\.beam.lengthPenalty) {
      throw arguments.error("length_penalty applies to `beam` only", at: \.beam.lengthPenalty, kind: .invalid)
    }
    let seed = arguments[\.seed].map(UInt64.init) ?? session.samplesDrawn
    let options = SamplingOptions(
      length: length, temperature: Float(arguments[\.temperature]), topK: arguments[\.topK],
      topP: arguments[\.topP].map(Float.init), prime: prime, seed: seed, stop: arguments[\.stop])
    if arguments[\.seed] == nil { session.samplesDrawn += 1 }
    let precision = arguments[\.precision]
    if let note = precision.portableNote { warn(note) }
    try stream(entry, name: name, options: options, precision: precision, range: arguments.command.name.range)
    return nil
  }

  /// Samples and streams the characters to the sink, polling the stop flag between characters.
  func stream(
    _ entry: ModelEntry, name: String, options: SamplingOptions, precision: Precision = .fp32, range: SourceRange
  )
    throws(InterpreterError)
  {
    let sampler: Sampler
    do throws(ModelError) {
      if let tokenizer = entry.tokenizer {
        sampler = try Sampler(model: entry.model, tokenizer: tokenizer, precision: precision)
      } else {
        sampler = try Sampler(model: entry.model, vocabulary: entry.vocabulary, precision: precision)
      }
    } catch {
      throw InterpreterError(.runtime, error.description, at: range)
    }
    sink.emit(.sampleBegan(model: name, prime: options.prime))
    var stopped = false
    do {
      try sampler.sample(options) { character in
        sink.emit(.sampleCharacter(character))
        if shouldStop() {
          stopped = true
          return false
        }
        return true
      }
    } catch {
      sink.emit(.sampleEnded)
      throw InterpreterError(.runtime, error.description, at: range)
    }
    sink.emit(.sampleEnded)
    if stopped { warn("\(name): sampling stopped") }
  }

  /// A sample printed during training (`train … sample_every K`).
  func sampleDuringTraining(
    name: String, entry: ModelEntry, length: Int, step: Int, range: SourceRange
  )
    throws(InterpreterError)
  {
    let temperature = Float(sessionDefaults[\.temperature])
    say(
      "\(name)  step \(Formatting.padLeft(String(step), 6))  sample (temperature \(Formatting.number(Double(temperature)))):"
    )
    try stream(
      entry, name: name,
      options: SamplingOptions(length: length, temperature: temperature, seed: UInt64(step)),
      range: range)
  }
}
