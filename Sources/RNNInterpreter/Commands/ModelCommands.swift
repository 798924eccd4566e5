import RNNModels
import RNNTokenizers

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
        size. Dropout applies between layers and before the decoder, during training only.
        """,
      positionals: [
        .positional("CORPUS", .corpus, "The corpus whose vocabulary and text the model uses.")
      ],
      options: [
        .option(
          "hidden", .integer(1...8192), default: .number(128, isInteger: true),
          "Hidden units per layer (H)."),
        .option(
          "layers", .integer(1...16), default: .number(1, isInteger: true),
          "Stacked recurrent layers (L)."),
        .option(
          "embed", .integer(1...8192), default: .number(64, isInteger: true), "Embedding width (E)."
        ),
        .option(
          "dropout", .real(.closedOpen(0, 1)), default: .number(0, isInteger: true),
          "Dropout probability."),
        .option(
          "seed", .integer(0...Int.max), default: .number(1, isInteger: true),
          note: "1, or `set seed`", "Seed for the initial weights (and dropout)."),
      ],
      producesValue: true,
      examples: ["m = \(cell.rawValue) shakes hidden 128 layers 2 embed 64 dropout 0 seed 1"],
      action: { interpreter, invocation throws(InterpreterError) in
        try interpreter.buildModel(cell, invocation)
      })
  }
}

extension Interpreter {
  func buildModel(_ cell: CellKind, _ invocation: Invocation) throws(InterpreterError)
    -> SessionObject?
  {
    let corpusName = invocation.string("CORPUS")!
    let corpus = session.corpus(corpusName)!
    let config = ModelConfig(
      cell: cell, vocabSize: corpus.corpus.vocabularySize, embed: invocation.int("embed")!,
      hidden: invocation.int("hidden")!, layers: invocation.int("layers")!,
      dropout: invocation.float("dropout")!)
    let seed = UInt64(invocation.int("seed")!)
    let model: LanguageModel
    do { model = try LanguageModel(config: config, seed: seed) } catch {
      throw invocation.error(error.description)
    }
    let options = TrainingOptions()
    let state = TrainingState(
      config: config, options: options, parameterCount: model.parameterCount, seed: seed)
    let entry = ModelEntry(
      trainer: Trainer(model: model, state: state), vocabulary: corpus.corpus.vocabulary,
      corpus: corpus,
      corpusName: corpusName, seed: seed, tokenizer: corpus.corpus.tokenization?.tokenizer)
    say("\(invocation.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .model(entry)
  }

  /// `LSTM 2×128, embed 64, dropout 0, vocabulary 67: 234,567 parameters`
  static func describe(_ entry: ModelEntry) -> String {
    let c = entry.config
    return
      "\(c.cell.displayName) \(c.layers)×\(c.hidden), embed \(c.embed), dropout \(Formatting.number(Double(c.dropout))), "
      + "vocabulary \(c.vocabSize): \(Formatting.count(entry.model.parameterCount)) parameters"
  }
}
