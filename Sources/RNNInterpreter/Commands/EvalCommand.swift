import Foundation
import RNNLanguage
import RNNModels
import RNNTokenizers

extension CommandTable {
  /// `eval MODEL [split S | file PATH] [streams B]`
  static let eval = CommandSpec(
    "eval",
    summary: "Measure a model's loss on a split of its corpus or on any text file.",
    help: """
      Reads the text as one stream, carrying the hidden state from the first character to the last, \
      without dropout, and prints the mean cross-entropy in nats per character, in bits per character \
      (bpc) and as perplexity. The default is the validation split; the result is also kept in the \
      model's loss history (`history`; with `limit`, marked as covering only that many characters, \
      and never taken for the best checkpoint). With `streams B` the text is cut into B segments read side \
      by side as a batch, each from a zero state, as char-rnn and torch-rnn evaluate: several \
      times faster for large models, and a little higher a loss (each segment starts without \
      context), so such a result is not added to the history. Characters of a `file` that the model \
      has no token for are an error listing them; `unknown skip` leaves them out, `unknown replace` \
      puts the model's fallback character in their place (a space when its vocabulary has one, else \
      a newline, else its first character), and both say how many characters they changed. `corpus C` \
      evaluates a split of another corpus instead, its text read with the model's tokens (the same \
      `unknown` choices); such a result is not added to the history. \
      A generator prints its held-out words' loss per label and, per language, the loss under its \
      own label beside the mean under the others (conditioning works when its own is lowest); a \
      tagger prints its per-character accuracy on the validation chunks beside the majority-class \
      baseline, and each tag's recall and precision. For both, `limit` counts words or chunks.
      """,
    parameters: EvalParameters.self,
    examples: [
      "eval m", "eval m split test", #"eval m file "corpora/latex-guides.txt" unknown skip"#, "eval m streams 32",
      "eval m corpus other split validation unknown replace",
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.eval(arguments) }
  )
}

/// The parameters of `eval`.
struct EvalParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .anyModel, "The model, generator, tagger or seq2seq model to evaluate.")
  let split = ParameterKey<CorpusSplits.Name>.option(
    "split", choice: ["validation", "test", "train"], default: .validation,
    "Which split of the model's corpus (or of `corpus`)."
  ).taking(["model"], .optionFor("a language model"))
  let file = ParameterKey<String?>.option("file", .string, "Evaluate on this text file instead.")
    .taking(["model"], .optionFor("a language model"))
  let corpus = ParameterKey<String?>.option(
    "corpus", .corpus, note: "the model's", "Evaluate on `split` of this corpus instead, read with the model's tokens."
  ).taking(["model"], .optionFor("a language model"))
  let unknown = UnknownCharacters.option("a `file` or `corpus`").taking(["model"], .optionFor("a language model"))
  let limit = ParameterKey<Int?>.option(
    "limit", .integer(2...Int.max), "Evaluate only the first this many characters."
  ).taking(["model", "generator", "tagger"], .optionFor("a language model, a generator or a tagger"))
  let streams = ParameterKey<Int>.option(
    "streams", .integer(1...4096), default: 1,
    "Read the text as this many side-by-side segments (1: one stream, the exact loss)."
  ).taking(["model"], .optionFor("a language model"))
  let by = ParameterKey<String?>.option(
    "by", .choice(["length"]), "A seq2seq model: exact match by source length, as a table."
  ).taking(["seq2seq"], .optionFor("a seq2seq model"))
  let precision = ParameterKey<Precision>.option(
    "precision", default: .fp32, "bf16: the forward pass's big matrix products take bfloat16 weight copies.")
}

extension Interpreter {
  func eval(_ arguments: Arguments<EvalParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.model]
    switch session[name]! {
    case .generator(let g):
      try evalGenerator(g, name: name, arguments)
      return nil
    case .tagger(let t):
      try evalTagger(t, name: name, arguments)
      return nil
    case .seq2seq(let t):
      try evalSeq2Seq(name, t, byLength: arguments.has(\.by))
      return nil
    default: break
    }
    let entry = session.model(name)!
    if arguments.has(\.split) && arguments.has(\.file) {
      throw arguments.error("give either 'split' or 'file', not both", at: \.file, kind: .invalid)
    }
    var tokens: TokenSequence
    let label: String
    if arguments.has(\.corpus) && arguments.has(\.file) {
      throw arguments.error("give either 'corpus' or 'file', not both", at: \.file, kind: .invalid)
    }
    if let path = arguments[\.file] {
      label = path.debugDescription
      let text = try readText(path, arguments, at: \.file)
      tokens = try tokensForEvaluation(text, label: label, entry: entry, arguments, at: \.file)
    } else if let other = arguments[\.corpus] {
      let split = arguments[\.split]
      let corpus = session.corpus(other)!.corpus
      let part = corpus.tokens(of: split).array
      label = "corpus '\(other)' \(split.rawValue) split"
      let text = corpus.tokenization.map { $0.tokenizer.decode(part) } ?? corpus.vocabulary.decode(part)
      tokens = try tokensForEvaluation(text, label: label, entry: entry, arguments, at: \.corpus)
    } else {
      let split = arguments[\.split]
      guard let corpus = entry.corpus else {
        throw arguments.error(
          "model '\(name)' has no corpus; evaluate a file instead: eval \(name) file \"…\"")
      }
      tokens = corpus.corpus.tokens(of: split)
      label = "\(split.rawValue) split"
    }
    let whole = tokens.count
    var limit = arguments[\.limit] ?? tokens.count
    if stepsScale < 1 { limit = min(limit, max(100, Int(Double(limit) * stepsScale))) }
    if limit < tokens.count { tokens = tokens.slice(0..<limit) }
    guard tokens.count >= 2 else {
      throw arguments.error(
        "the \(label) has \(tokens.count) characters; evaluation needs at least 2",
        at: arguments.has(\.file) ? \.file : arguments.has(\.corpus) ? \.corpus : \.split)
    }
    let streams = arguments[\.streams]
    let precision = arguments[\.precision]
    if let note = precision.portableNote { warn(note) }
    let result = try evaluate(
      name: name, entry: entry, tokens: tokens, streams: streams, precision: precision,
      range: arguments.command.name.range)
    if label == "validation split" && !result.stoppedEarly && streams == 1 {
      entry.trainer.state.validationLosses.append(
        .init(step: entry.step, loss: Float(result.loss), characters: tokens.count < whole ? tokens.count : nil))
    }
    say("\(name) \(label)\(streams > 1 ? " (\(streams) streams)" : ""): \(Self.describe(result, entry: entry, tokens: tokens))")
    if ExactOutput.enabled {
      let (bits, characters) = Self.perCharacter(result, entry: entry, tokens: tokens)
      say(
        "eval_exact {\"loss\":\(ExactOutput.number(result.loss)),\"bits_per_char\":\(ExactOutput.number(bits)),"
          + "\"tokens\":\(result.characters),\"characters\":\(characters)}")
    }
    if result.stoppedEarly {
      warn("\(name): evaluation stopped after \(Formatting.count(result.characters)) characters")
    }
    return nil
  }

  /// For a model of characters as `describe(_:)`; for word or BPE tokens, per token and per
  /// character of the evaluated text (total bits over its characters, so tokenizations compare):
  /// `2.3456 nats/token, 1.234 bits/char, perplexity 10.44/token over 45,401 tokens (99,327 characters)`
  static func describe(_ e: Evaluation, entry: ModelEntry, tokens: TokenSequence) -> String {
    guard entry.tokenizer != nil else { return describe(e) }
    let (bits, characters) = perCharacter(e, entry: entry, tokens: tokens)
    return "\(Formatting.fixed(e.loss, 4)) nats/token, \(Formatting.fixed(bits, 3)) bits/char, "
      + "perplexity \(Formatting.fixed(e.perplexity, 2))/token over \(Formatting.count(e.characters)) tokens (\(Formatting.count(characters)) characters)"
  }

  /// Bits per character of an evaluation and the characters they are over: for a model of
  /// characters the loss in bits over the predicted characters; for word or BPE tokens the total
  /// bits over the characters of the evaluated tokens' text.
  static func perCharacter(_ e: Evaluation, entry: ModelEntry, tokens: TokenSequence) -> (bits: Double, characters: Int) {
    guard let tokenizer = entry.tokenizer else { return (e.bitsPerCharacter, e.characters) }
    let evaluated = e.stoppedEarly ? tokens.slice(0..<min(tokens.count, e.characters + 1)) : tokens
    let characters = tokenizer.decode(evaluated.array).unicodeScalars.count
    return (e.loss * Double(e.characters) / log(2) / Double(max(1, characters)), characters)
  }

  /// `1.2345 nats/char (1.781 bpc), perplexity 3.44 over 99,327 characters`
  static func describe(_ e: Evaluation) -> String {
    "\(Formatting.loss(e.loss)), perplexity \(Formatting.fixed(e.perplexity, 2)) over \(Formatting.count(e.characters)) characters"
  }

  /// Runs the evaluator with progress events and the stop flag.
  func evaluate(
    name: String, entry: ModelEntry, tokens: TokenSequence, streams: Int = 1, precision: Precision = .fp32,
    range: SourceRange
  )
    throws(InterpreterError)
    -> Evaluation
  {
    let start = Date()
    do {
      return try Evaluator.evaluate(
        model: entry.model, tokens: tokens, streams: streams, precision: precision,
        shouldStop: { done in
          let seconds = Date().timeIntervalSince(start)
          sink.emit(
            .progress(
              ProgressEvent(
                activity: .evaluating, model: name, done: done, total: tokens.count - 1,
                step: entry.step, loss: nil,
                elapsed: seconds, charactersPerSecond: seconds > 0 ? Double(done) / seconds : 0)))
          return shouldStop()
        })
    } catch {
      throw InterpreterError(.runtime, error.description, at: range)
    }
  }

  /// A validation pass during training (`train … eval_every K`), recorded in the history; the
  /// result, or nil when a stop request cut it short.
  @discardableResult
  func evaluateDuringTraining(
    name: String, entry: ModelEntry, corpus: CorpusEntry, range: SourceRange
  )
    throws(InterpreterError) -> Evaluation?
  {
    let result = try evaluate(
      name: name, entry: entry, tokens: corpus.corpus.tokens(of: .validation),
      precision: entry.lastOptions?.precision ?? .fp32, range: range)
    guard !result.stoppedEarly else { return nil }
    entry.trainer.state.validationLosses.append(.init(step: entry.step, loss: Float(result.loss)))
    say(
      "\(name)  step \(Formatting.padLeft(String(entry.step), 6))  validation \(Self.describe(result, entry: entry, tokens: corpus.corpus.tokens(of: .validation)))"
    )
    return result
  }

  /// The tokens of a text (a file's, another corpus's split) as the model reads them, its
  /// characters outside the model's vocabulary handled by the `unknown` option (`UnknownCharacters`).
  private func tokensForEvaluation(
    _ text: String, label: String, entry: ModelEntry, _ arguments: Arguments<EvalParameters>,
    at key: PartialKeyPath<EvalParameters>
  )
    throws(InterpreterError) -> TokenSequence
  {
    let text = try knownText(text, label: label, alphabet: Alphabet(entry), policy: arguments[\.unknown], arguments, at: key)
    if let tokenizer = entry.tokenizer {
      // Every character is known now, so this encodes.
      return TokenSequence(tokens: (try? tokenizer.encode(text)) ?? [], vocabularySize: tokenizer.vocabularySize)
    }
    let tokens = text.unicodeScalars.map { Int32(entry.vocabulary.index(of: $0)!) }
    return TokenSequence(tokens: tokens, vocabularySize: entry.vocabulary.count)
  }
}
