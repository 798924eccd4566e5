import RNNModels
import RNNTokenizers

/// The `unknown` option of every command that reads a text with a model or classifier (`sample`'s
/// prime, `eval file`, `predict`, `activations`, `cells`, … and `classify`): what happens to the
/// characters it has no token for. Never silent: `error` (the default) lists them; `skip` leaves
/// them out and `replace` puts the vocabulary's fallback character in their place (a space when
/// the vocabulary has one, else a newline, else its first character), and both print how many
/// characters they skipped or replaced.
enum UnknownCharacters: String, ParameterChoice {
  case error, skip, replace

  /// The option, for a command whose text is `what`.
  static func option(_ what: String) -> ParameterKey<UnknownCharacters> {
    .option(
      "unknown", default: .error,
      "Characters of \(what) outside the vocabulary are an error, left out, or replaced (by a space, else a newline, else the first character)."
    )
  }
}

/// The characters a model or classifier has tokens for, and the one `unknown replace` puts in
/// place of the others.
struct Alphabet {
  let contains: (Unicode.Scalar) -> Bool
  let fallback: Unicode.Scalar?
  /// "model", "classifier": for messages.
  let owner: String

  private init(contains: @escaping (Unicode.Scalar) -> Bool, fallback: Unicode.Scalar?, owner: String) {
    self.contains = contains
    self.fallback = fallback
    self.owner = owner
  }

  /// The characters of `vocabulary`.
  init(_ vocabulary: Vocabulary, owner: String = "model") {
    self.init(
      contains: { vocabulary.index(of: $0) != nil },
      fallback: [" ", "\n"].first { vocabulary.index(of: $0) != nil } ?? vocabulary.scalars.first, owner: owner)
  }

  /// The characters a model reads: every one for BPE (its byte tokens spell anything), those of its
  /// word tokenizer, else those of its vocabulary.
  init(_ entry: ModelEntry) {
    switch entry.tokenizer {
    case .bpe?:
      self.init(contains: { _ in true }, fallback: nil, owner: "model")
    case .word(let t)?:
      self.init(
        contains: { t.id(of: $0) != nil }, fallback: [" ", "\n"].first { t.id(of: $0) != nil } ?? t.characters.scalars.first,
        owner: "model")
    case .char(let t)?:
      self.init(Vocabulary(scalars: t.scalars))
    case nil:
      self.init(entry.vocabulary)
    }
  }
}

/// A text after the `unknown` policy: what is left, and what was found outside the alphabet.
struct KnownText {
  var text: String
  /// The characters outside the alphabet, each once, in order of appearance.
  var unknown: [Unicode.Scalar] = []
  /// How many characters were skipped or replaced.
  var count = 0
  /// Characters of the text looked at (at most the limit).
  var examined = 0

  /// `text` with every character `alphabet` lacks handled by `policy`, looking at characters until
  /// `limit` are kept; `unknown` lists the ones found (the caller reports them).
  init(_ text: String, alphabet: Alphabet, policy: UnknownCharacters, limit: Int = .max) {
    var kept = String.UnicodeScalarView()
    var keptCount = 0
    self.text = ""
    for scalar in text.unicodeScalars {
      if keptCount == limit { break }
      examined += 1
      if alphabet.contains(scalar) {
        kept.append(scalar)
        keptCount += 1
        continue
      }
      count += 1
      if !unknown.contains(scalar) { unknown.append(scalar) }
      if policy == .replace, let fallback = alphabet.fallback {
        kept.append(fallback)
        keptCount += 1
      }
    }
    self.text = String(kept)
  }

  /// The characters found, as listed in messages: `"~", "@"` (the first 20, then `…`).
  var shown: String {
    unknown.prefix(20).map { Vocabulary.display($0) }.joined(separator: ", ") + (unknown.count > 20 ? ", …" : "")
  }
}

extension Interpreter {
  /// `text` (called `label` in messages) with the `unknown` policy applied for `alphabet`: an
  /// error listing the characters outside it (at `at`), or the text without them or with them
  /// replaced, saying how many.
  func knownText<P: CommandParameters>(
    _ text: String, label: String, alphabet: Alphabet, policy: UnknownCharacters, limit: Int = .max,
    _ arguments: Arguments<P>, at: PartialKeyPath<P>?
  ) throws(InterpreterError) -> String {
    let known = KnownText(text, alphabet: alphabet, policy: policy, limit: limit)
    guard known.count > 0 else { return known.text }
    let outside = "outside the \(alphabet.owner)'s vocabulary"
    switch policy {
    case .error:
      let n = known.unknown.count
      throw arguments.error(
        "\(label) has \(n) character\(n == 1 ? "" : "s") \(outside): \(known.shown); "
          + "add 'unknown skip' to leave them out or 'unknown replace' to replace them",
        at: at)
    case .skip:
      say(
        "skipped \(Formatting.count(known.count)) of \(Formatting.count(known.examined)) characters of \(label) \(outside) "
          + "(\(known.unknown.count) distinct: \(known.shown))")
    case .replace:
      let with = alphabet.fallback.map { Vocabulary.display($0) } ?? "nothing"
      say(
        "replaced \(Formatting.count(known.count)) of \(Formatting.count(known.examined)) characters of \(label) \(outside) "
          + "(\(known.unknown.count) distinct: \(known.shown)) with \(with)")
    }
    return known.text
  }
}
