import RNNLanguage
import RNNModels

/// The options of `sample` for beam search (see ``BeamOptions`` for the score).
struct BeamParameters: CommandParameters {
  let beam = ParameterKey<Int?>.option(
    "beam", .integer(1...4096), note: "sampling",
    "Search with this many texts kept per step for the likeliest text, instead of drawing."
  ).taking(["model"], .optionFor("a language model"))
  let lengthPenalty = Self.lengthPenaltyKey.taking(["model"], .optionFor("a language model"))

  /// `length_penalty α`, the exponent of ``BeamOptions/score(logProbability:tokens:lengthPenalty:)``:
  /// one key for `sample … beam` and `translate … beam`.
  static let lengthPenaltyKey = ParameterKey<Double>.option(
    "length_penalty", .real(.closed(0, 10)), default: 1,
    "With `beam`: finished texts are compared by Σ log p / n^length_penalty (n = tokens).")
}

extension Interpreter {
  /// `sample … beam W`: searches, then prints the text found and its score.
  func beamSample(
    _ arguments: Arguments<SampleParameters>, entry: ModelEntry, name: String, width: Int, length: Int, prime: String
  ) throws(InterpreterError) {
    let drawing: [(PartialKeyPath<SampleParameters>, String)] = [
      (\.temperature, "temperature"), (\.topK, "top_k"), (\.topP, "top_p"), (\.seed, "seed"),
    ]
    for (key, word) in drawing where arguments.has(key) {
      throw arguments.error(
        "beam search draws nothing: '\(word)' applies to sampling without `beam`", at: key, kind: .invalid)
    }
    let range = arguments.command.name.range
    let precision = arguments[\.precision]
    if let note = precision.portableNote { warn(note) }
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
    let options = BeamOptions(
      width: width, length: length, prime: prime, stop: arguments[\.stop],
      lengthPenalty: arguments[\.beam.lengthPenalty])
    let result: BeamResult
    do throws(ModelError) { result = try sampler.beamSearch(options, onStep: { !shouldStop() }) } catch {
      throw InterpreterError(.runtime, error.description, at: range)
    }
    sink.emit(.sampleBegan(model: name, prime: options.prime))
    for scalar in result.text.unicodeScalars { sink.emit(.sampleCharacter(String(scalar))) }
    sink.emit(.sampleEnded)
    let n = result.tokens.count
    let unit = entry.tokenizer == nil ? "character" : "token"
    say(
      "\(name): beam \(width), \(n) \(unit)\(n == 1 ? "" : "s"), log-probability \(Formatting.fixed(result.logProbability, 3))"
        + ", score \(Formatting.fixed(result.score, 4))")
    if result.interrupted { warn("\(name): beam search stopped; the best text so far is shown") }
  }
}
