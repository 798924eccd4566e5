import RNNModels

/// The text an analysis command looks at: `text "…"`, `file "PATH"`, or by default the start of the
/// model's validation split; at most `limit` characters; characters outside the vocabulary are an
/// error, or (`unknown skip`, `unknown replace`) left out of or replaced in both the text and its
/// tokens, which stay aligned (see `UnknownCharacters`).
struct AnalysisInput {
  /// The text, one Unicode scalar per token.
  var text: String
  /// `[T]` tokens of `text`.
  var tokens: [Int32]
  /// How the text is described in output (`"ROMEO:"`, `corpora/x.txt`, `validation split`).
  var label: String
}

/// The options every analysis command takes, in this order.
struct AnalysisOptions: CommandParameters {
  let text = ParameterKey<String?>.option("text", .string, "The text to look at.")
  let file = ParameterKey<String?>.option("file", .string, "Read the text from this file instead.")
  let limit: ParameterKey<Int>
  let unknown = UnknownCharacters.option("the text")

  /// With at most `defaultLimit` characters unless `limit` says otherwise.
  init(defaultLimit: Int) {
    limit = .option(
      "limit", .integer(1...Int.max), default: defaultLimit, "Use at most this many characters.")
  }

  init() { self.init(defaultLimit: 2000) }
}

/// A command that looks at a text with a model (`activations`, `cells`, …).
protocol AnalysisParameters: CommandParameters {
  /// The text options.
  var input: AnalysisOptions { get }
}

/// A command whose first positional is one model.
protocol ModelParameters: CommandParameters {
  /// `MODEL`.
  var model: ParameterKey<String> { get }
}

/// A command that draws in the terminal's width unless told otherwise.
protocol WidthParameters: CommandParameters {
  /// `width`, in columns.
  var width: ParameterKey<Int?> { get }
}

extension Interpreter {
  /// The text options of `arguments` for a model of characters: these commands show a column per
  /// character, so a model of word or BPE tokens is an error.
  func analysisInput<P: AnalysisParameters>(_ arguments: Arguments<P>, entry: ModelEntry) throws(InterpreterError) -> AnalysisInput {
    if let tokenizer = entry.tokenizer {
      throw arguments.error(
        "\(arguments.command.name.name) shows one column per character; this model reads \(tokenizer.kind.rawValue) tokens (use `tokens` to see how it cuts a text)"
      )
    }
    return try analysisInput(arguments, vocabulary: entry.vocabulary, corpus: entry.corpus)
  }

  /// Resolves the text options of `arguments` against `vocabulary` (and `corpus` for the default).
  func analysisInput<P: AnalysisParameters>(
    _ arguments: Arguments<P>, vocabulary: Vocabulary, corpus: CorpusEntry?
  ) throws(InterpreterError) -> AnalysisInput {
    if arguments.has(\.input.text) && arguments.has(\.input.file) {
      throw arguments.error("give either 'text' or 'file', not both", at: \.input.file, kind: .invalid)
    }
    let limit = arguments[\.input.limit]
    let source: String
    let label: String
    let at: PartialKeyPath<P>?
    if let text = arguments[\.input.text] {
      source = text
      label = text.count > 40 ? String(text.prefix(37)).debugDescription + "…" : text.debugDescription
      at = \.input.text
    } else if let path = arguments[\.input.file] {
      source = try readText(path, arguments, at: \.input.file)
      label = path
      at = \.input.file
    } else {
      guard let corpus else {
        throw arguments.error("give the text to look at: text \"…\" or file \"PATH\"", kind: .invalid)
      }
      let tokens = corpus.corpus.tokens(of: .validation)
      source = corpus.corpus.vocabulary.decode(tokens.slice(0..<min(tokens.count, limit)).array)
      label = "validation split of \(corpus.path)"
      at = nil
    }
    let kept = try knownText(
      source, label: label, alphabet: Alphabet(vocabulary), policy: arguments[\.input.unknown], limit: limit, arguments, at: at)
    let tokens = kept.unicodeScalars.map { Int32(vocabulary.index(of: $0)!) }
    guard !tokens.isEmpty else { throw arguments.error("the text is empty", at: at) }
    return AnalysisInput(text: kept, tokens: tokens, label: label)
  }

  /// The model named by the `MODEL` positional.
  func modelArgument<P: ModelParameters>(_ arguments: Arguments<P>) -> (String, ModelEntry) {
    let name = arguments[\.model]
    return (name, session.model(name)!)
  }

  /// The chart width: the `width` option, else the terminal's.
  func chartWidth<P: WidthParameters>(_ arguments: Arguments<P>) -> Int {
    arguments[\.width] ?? settings.terminalWidth
  }
}
