import RNNModels

/// The text an analysis command looks at: `text "…"`, `file "PATH"`, or by default the start of the
/// model's validation split; at most `limit` characters; characters outside the vocabulary are an
/// error or (with `unknown skip`) left out of both the text and its tokens, which stay aligned.
struct AnalysisInput {
  /// The text, one Unicode scalar per token.
  var text: String
  /// `[T]` tokens of `text`.
  var tokens: [Int32]
  /// How the text is described in output (`"ROMEO:"`, `corpora/x.txt`, `validation split`).
  var label: String

  /// Options every analysis command takes, in this order.
  static func options(defaultLimit: Int) -> [ParameterSpec] {
    [
      .option("text", .string, "The text to look at."),
      .option("file", .string, "Read the text from this file instead."),
      .option(
        "limit", .integer(1...Int.max), default: .number(Double(defaultLimit), isInteger: true),
        "Use at most this many characters."),
      .option(
        "unknown", .choice(["error", "skip"]), default: .name("error"),
        "Characters outside the model's vocabulary are an error, or skipped."),
    ]
  }
}

extension Interpreter {
  /// The text options of `invocation` for a model of characters: these commands show a column per
  /// character, so a model of word or BPE tokens is an error.
  func analysisInput(_ invocation: Invocation, entry: ModelEntry) throws(InterpreterError) -> AnalysisInput {
    if let tokenizer = entry.tokenizer {
      throw invocation.error(
        "\(invocation.command.name.name) shows one column per character; this model reads \(tokenizer.kind.rawValue) tokens (use `tokens` to see how it cuts a text)"
      )
    }
    return try analysisInput(invocation, vocabulary: entry.vocabulary, corpus: entry.corpus)
  }

  /// Resolves the text options of `invocation` against `vocabulary` (and `corpus` for the default).
  func analysisInput(
    _ invocation: Invocation, vocabulary: Vocabulary, corpus: CorpusEntry?, fileOption: String = "file"
  ) throws(InterpreterError) -> AnalysisInput {
    if invocation.has("text") && invocation.has(fileOption) {
      throw invocation.error("give either 'text' or '\(fileOption)', not both", at: fileOption, kind: .invalid)
    }
    let limit = invocation.int("limit")!
    var source: String
    let label: String
    let at: String?
    if let text = invocation.string("text") {
      source = text
      label = text.count > 40 ? String(text.prefix(37)).debugDescription + "…" : text.debugDescription
      at = "text"
    } else if let path = invocation.string(fileOption) {
      let bytes: [UInt8]
      do { bytes = try fileSystem.readBytes(path) } catch { throw invocation.error("cannot read \(error)", at: fileOption) }
      guard let decoded = String(validating: bytes, as: UTF8.self) else {
        throw invocation.error("\(path) is not valid UTF-8", at: fileOption)
      }
      source = decoded
      label = path
      at = fileOption
    } else {
      guard let corpus else {
        throw invocation.error("give the text to look at: text \"…\" or \(fileOption) \"PATH\"", kind: .invalid)
      }
      let tokens = corpus.corpus.tokens(of: .validation)
      source = corpus.corpus.vocabulary.decode(tokens.slice(0..<min(tokens.count, limit)).array)
      label = "validation split of \(corpus.path)"
      at = nil
    }
    var kept = String.UnicodeScalarView()
    var tokens: [Int32] = []
    var unknown: [Unicode.Scalar] = []
    for scalar in source.unicodeScalars {
      if tokens.count == limit { break }
      if let i = vocabulary.index(of: scalar) {
        tokens.append(Int32(i))
        kept.append(scalar)
      } else if !unknown.contains(scalar) {
        unknown.append(scalar)
      }
    }
    if !unknown.isEmpty && invocation.string("unknown") != "skip" {
      let shown = unknown.prefix(20).map { Vocabulary.display($0) }.joined(separator: ", ")
      throw invocation.error(
        "the text has \(unknown.count) character\(unknown.count == 1 ? "" : "s") outside the model's vocabulary: \(shown); add 'unknown skip' to leave them out",
        at: at)
    }
    guard !tokens.isEmpty else { throw invocation.error("the text is empty", at: at) }
    return AnalysisInput(text: String(kept), tokens: tokens, label: label)
  }

  /// The model named by the `MODEL` positional.
  func modelArgument(_ invocation: Invocation, _ name: String = "MODEL") -> (String, ModelEntry) {
    let n = invocation.string(name)!
    return (n, session.model(n)!)
  }

  /// The chart width: the `width` option, else the terminal's.
  func chartWidth(_ invocation: Invocation) -> Int { invocation.int("width") ?? settings.terminalWidth }
}
