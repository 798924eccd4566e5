import RNNModels

extension CommandTable {
  /// `rnn CORPUS …`
  static let rnn = modelSpec(.rnn, "a vanilla (tanh) RNN, as in min-char-rnn")
  /// `lstm CORPUS …`
  static let lstm = modelSpec(.lstm, "an LSTM (gates i, f, g, o, as in PyTorch)")
  /// `gru CORPUS …`
  static let gru = modelSpec(.gru, "a GRU (gates r, z, n, as in PyTorch)")

  private static func modelSpec(_ cell: CellKind, _ what: String) -> CommandSpec {
    CommandSpec(
      cell.rawValue,
      summary: "Build \(what), over a corpus's vocabulary.",
      help: """
        Builds Embedding(V, embed) → \(cell.displayName) with `layers` layers of `hidden` units → \
        Linear(hidden, V), with PyTorch's initialisation drawn from `seed`; V is the corpus's vocabulary \
        size. Dropout applies between layers and before the decoder, during training only. `tie true` \
        ties the decoder's weight to the embedding (one parameter, as word_language_model's `--tied`): \
        it needs `embed` equal to `hidden`, and `embed` follows `hidden` when not given.
        """,
      parameters: ModelBuildParameters.self,
      producesValue: true,
      examples: [
        "m = \(cell.rawValue) shakes hidden 128 layers 2 embed 64 dropout 0 seed 1",
        "m = \(cell.rawValue) shakes hidden 256 embed 256 tie true",
      ],
      action: { interpreter, arguments throws(InterpreterError) in
        try interpreter.buildModel(cell, arguments)
      })
  }
}

/// The parameters of `rnn`, `lstm` and `gru`.
struct ModelBuildParameters: CommandParameters {
  let corpus = ParameterKey<String>.positional(
    "CORPUS", .corpus, "The corpus whose vocabulary and text the model uses.")
  let hidden = ParameterKey<Int>.option(
    "hidden", .integer(1...8192), default: 128, "Hidden units per layer (H).")
  let layers = ParameterKey<Int>.option(
    "layers", .integer(1...16), default: 1, "Stacked recurrent layers (L).")
  let embed = ParameterKey<Int>.option(
    "embed", .integer(1...8192), default: 64, "Embedding width (E).")
  let dropout = ParameterKey<Double>.option(
    "dropout", .real(.closedOpen(0, 1)), default: 0, "Dropout probability.")
  let seed = ParameterKey<Int>.option(
    "seed", .integer(0...Int.max), default: 1, note: "1, or `set seed`",
    "Seed for the initial weights (and dropout).")
  let tie = ParameterKey<Bool>.option(
    "tie", .bool, default: false,
    "Tie the decoder's weight to the embedding (needs embed = hidden; embed follows hidden when not given).")
}

extension Interpreter {
  func buildModel(_ cell: CellKind, _ arguments: Arguments<ModelBuildParameters>)
    throws(InterpreterError) -> SessionObject?
  {
    let corpusName = arguments[\.corpus]
    let corpus = session.corpus(corpusName)!
    let tie = arguments[\.tie]
    let hidden = arguments[\.hidden]
    let embed = tie && !arguments.has(\.embed) ? hidden : arguments[\.embed]
    if tie && embed != hidden {
      throw arguments.error(
        "tie true needs embed equal to hidden, got embed \(embed) and hidden \(hidden)", at: \.embed, kind: .invalid)
    }
    let config = ModelConfig(
      cell: cell, vocabSize: corpus.corpus.vocabularySize, embed: embed, hidden: hidden, layers: arguments[\.layers],
      dropout: Float(arguments[\.dropout]), tied: tie)
    let seed = UInt64(arguments[\.seed])
    let model: LanguageModel
    do { model = try LanguageModel(config: config, seed: seed) } catch {
      throw arguments.error(error.description)
    }
    let options = TrainingOptions()
    let state = TrainingState(
      config: config, options: options, parameterCount: model.parameterCount, seed: seed)
    let entry = ModelEntry(
      trainer: Trainer(model: model, state: state), vocabulary: corpus.corpus.vocabulary,
      corpus: corpus,
      corpusName: corpusName, seed: seed, tokenizer: corpus.corpus.tokenization?.tokenizer)
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .model(entry)
  }

  /// `LSTM 2×128, embed 64, dropout 0, vocabulary 67: 234,567 parameters`
  static func describe(_ entry: ModelEntry) -> String {
    let c = entry.config
    return
      "\(c.cell.displayName) \(c.layers)×\(c.hidden), embed \(c.embed)\(c.tied ? " (tied)" : ""), dropout \(Formatting.number(Double(c.dropout))), "
      + "vocabulary \(c.vocabSize): \(Formatting.count(entry.model.parameterCount)) parameters"
  }
}
