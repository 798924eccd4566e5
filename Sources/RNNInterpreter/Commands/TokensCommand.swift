import RNNModels
import RNNTokenizers

extension CommandTable {
  /// `tokens CORPUS TEXT [width N]`
  static let tokens = CommandSpec(
    "tokens",
    summary: "Show how a corpus's tokenizer cuts a text: the pieces, their ids, characters per token.",
    help: """
      A token is the unit a model reads and predicts: it sees a text as a sequence of token ids and \
      learns the probability of the next id. With `tokens char` (the default) every character is a \
      token: "hello" is the five ids of h, e, l, l, o over the four-character vocabulary h, e, l, o \
      (the lecture's example), and a model learns four predictions from it: e after h, l after e, l \
      after l and o after l; the same input l must give l once and o once, which is why the model \
      carries a hidden state. With `tokens word` a word, a number, a run of whitespace or a \
      punctuation mark is one token \
      ("hello" is one id; a word seen fewer than `min_count` times is spelled with character tokens). \
      With `tokens bpe` the pieces are learned: byte-pair encoding starts from the 256 bytes and \
      repeatedly joins the most frequent adjacent pair of the training text into a new token until it \
      has `vocab` tokens, so "hello" may be " hel" + "lo" or one token, and a character it never saw is \
      spelled by its UTF-8 bytes. Fewer, longer tokens make a model see further back for the same \
      sequence length, at the cost of a larger softmax. Pieces are shown quoted; a BPE piece that is \
      part of a character is shown as its bytes, <e2 82>.
      """,
    parameters: TokensParameters.self,
    examples: [#"tokens b "To be, or not to be""#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.showTokens(arguments) })
}

/// The parameters of `tokens`.
struct TokensParameters: WidthParameters {
  let corpus = ParameterKey<String>.positional("CORPUS", .corpus, "The corpus whose tokenizer cuts the text.")
  let text = ParameterKey<String>.positional("TEXT", .string, "The text to tokenize.")
  let width = ParameterKey<Int?>.option("width", .integer(20...1000), note: "the terminal's", "Wrap at this many columns.")
}

extension Interpreter {
  func showTokens(_ arguments: Arguments<TokensParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.corpus]
    let text = arguments[\.text]
    let tokenizer = session.corpus(name)!.corpus.tokenizer
    let ids: [Int32]
    do throws(TokenizerError) { ids = try tokenizer.encode(text) } catch {
      throw arguments.error("the text has \(error)", at: \.text)
    }
    let characters = text.unicodeScalars.count
    let perToken = ids.isEmpty ? "" : ", \(Formatting.fixed(Double(characters) / Double(ids.count), 2)) characters per token"
    say(
      "\(name): \(Formatting.count(ids.count)) \(tokenizer.kind.rawValue) token\(ids.count == 1 ? "" : "s") for "
        + "\(Formatting.count(characters)) character\(characters == 1 ? "" : "s")\(perToken) (vocabulary \(Formatting.count(tokenizer.vocabularySize)))"
    )
    let columns = ids.map { id in (piece: Self.shownPiece(tokenizer.pieceBytes(id)), id: String(id)) }
    let width = chartWidth(arguments)
    var start = 0
    while start < columns.count {
      var pieces = "  piece"
      var numbers = "  id   "
      while start < columns.count {
        let w = max(columns[start].piece.count, columns[start].id.count) + 1
        guard pieces.count + w <= width || pieces.count == 7 else { break }
        pieces += " " + Formatting.pad(columns[start].piece, w - 1)
        numbers += " " + Formatting.pad(columns[start].id, w - 1)
        start += 1
      }
      say(pieces.trimmedRight)
      say(numbers.trimmedRight)
    }
    return nil
  }

  /// A token's text, quoted with escapes ("\n"); bytes that are not whole UTF-8 as `<e2 82>`.
  static func shownPiece(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    if Array(text.utf8) == bytes { return text.debugDescription }
    return "<" + bytes.map { String($0, radix: 16) }.joined(separator: " ") + ">"
  }
}
