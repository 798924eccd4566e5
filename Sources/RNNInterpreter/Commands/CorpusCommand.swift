import Foundation
import RNNModels
import RNNTokenizers

extension CommandTable {
  /// `corpus PATH|[PATH, …] [split F] [validation F] [invalid error|replace|skip] [separator S] [tokens char|word|bpe]
  /// [vocab N] [min_count N]`
  static let corpus = CommandSpec(
    "corpus",
    summary: "Load UTF-8 text (a file, a folder or a glob) as a corpus and split it into train / validation / test.",
    help: """
      Reads the text, builds its vocabulary (every distinct Unicode scalar, sorted) and cuts it into \
      splits: the first `split` for training, the next `validation` for validation, the rest (if any) \
      for testing. PATH may be a folder (every text file under it, recursively, sorted by path; names \
      starting with '.' are left out) or a glob (`*` within a name, `**` across folders), or a list of \
      these (`["a.txt", "notes/", "src/**/*.c"]`: their documents in the order given, a file named \
      twice read once); each file is a document, and documents are joined by `separator`. With at \
      least 10 documents the splits are made of whole documents (validation text is then text the model never saw), otherwise of \
      characters. `~` at the start is the home folder. Files are read in two streamed passes, so memory \
      holds only the tokens (one byte per character for up to 256 distinct characters). Bytes that are \
      not UTF-8 are an error naming the file and offset unless `invalid replace` or `invalid skip` is \
      given. `tokens word` or `tokens bpe` then tokenizes the text with a tokenizer learned on the \
      training split (see `help tokens`). `url "https://…"` (or `tinyshakespeare`) downloads the text \
      once into the cache folder ($RNN_CACHE, else ~/.cache/rnn) and reads the cached copy from then \
      on; it must be UTF-8 text (see README, "Corpora from the web").
      """,
    parameters: CorpusParameters.self,
    producesValue: true,
    examples: [
      #"shakes = corpus "corpora/shakespeare-tragedies.txt" split 0.9"#,
      #"web = corpus "scraped.txt" invalid replace"#,
      #"notes = corpus "notes/" split 0.9"#,
      #"src = corpus "linux/**/*.c" invalid skip"#,
      #"mix = corpus ["intro.txt", "notes/", "src/**/*.c"]"#,
      #"b = corpus "book.txt" tokens bpe vocab 2000"#,
      #"ts = corpus tinyshakespeare split 0.9"#,
      #"w = corpus url "https://example.com/input.txt""#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in
      try interpreter.loadCorpus(arguments)
    })
}

/// The parameters of `corpus`.
struct CorpusParameters: CommandParameters {
  let path = ParameterKey<[String]?>.positional(
    "PATH", .strings,
    "A text file, a folder or a glob, relative to the working directory, or a list of them (or give `url` or `tinyshakespeare`).")
  let download = CorpusDownloadOptions()
  let split = ParameterKey<Double>.option(
    "split", .real(.openClosed(0, 1)), default: 0.9, "Fraction of the text used for training.")
  let validation = ParameterKey<Double?>.option(
    "validation", .real(.closedOpen(0, 1)), note: "the rest",
    "Fraction used for validation; what remains after train and validation is the test split.")
  let invalid = ParameterKey<InvalidUTF8Handling>.option(
    "invalid", default: .error,
    "Bytes that are not UTF-8 are an error, or each bad sequence is read as U+FFFD (�), or the file is left out (counted).")
  let separator = ParameterKey<String>.option("separator", .string, default: "\n\n", "Text put between two documents.")
  let tokens = ParameterKey<TokenizerKind>.option(
    "tokens", default: .char,
    "What a token is: a character, a word (words, numbers, punctuation, whitespace runs) or a byte-level BPE piece.")
  let vocab = ParameterKey<Int?>.option(
    "vocab", .integer(1...1_048_576), note: "2048 for bpe, every word for word",
    "Number of tokens: BPE merges until it has this many; word keeps the most frequent words.")
  let minCount = ParameterKey<Int>.option(
    "min_count", .integer(1...2_147_483_647), default: 1,
    "For `tokens word`: a word becomes a token when seen this often in training; rarer ones are spelled with characters.")
}

extension TokenizerKind: ParameterChoice {}

extension Interpreter {
  func loadCorpus(_ arguments: Arguments<CorpusParameters>) throws(InterpreterError) -> SessionObject? {
    let train = arguments[\.split]
    let validation = arguments[\.validation]
    if let validation, train + validation > 1 + 1e-9 {
      throw arguments.error(
        "split \(Formatting.number(train)) + validation \(Formatting.number(validation)) must not exceed 1",
        at: \.validation, kind: .invalid)
    }
    let fractions = SplitFractions(train: train, validation: validation)
    let handling = arguments[\.invalid]
    let kind = arguments[\.tokens]
    if kind != .word && arguments[\.minCount] != 1 {
      throw arguments.error("min_count applies to `tokens word` only", at: \.minCount, kind: .invalid)
    }
    if kind == .char, arguments[\.vocab] != nil {
      throw arguments.error(
        "a char corpus's vocabulary is its characters; vocab applies to `tokens word` and `tokens bpe`", at: \.vocab, kind: .invalid)
    }
    let path = try corpusPath(arguments)  // after the checks above: a download only for a call that can succeed
    var corpus: Corpus
    do throws(CorpusError) {
      corpus = try readCorpus(path, fractions: fractions, invalidUTF8: handling, separator: arguments[\.separator])
      corpus = try corpus.tokenized(kind, vocabularySize: arguments[\.vocab], minCount: arguments[\.minCount])
    } catch {
      var message = error.description
      if case .invalidUTF8 = error {
        message += ", or load it with `invalid replace` to read each bad sequence as U+FFFD (or `invalid skip` to leave the file out)"
      }
      throw arguments.error(message, at: \.path)
    }
    let entry = CorpusEntry(corpus: corpus, path: path, fractions: fractions)
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    if corpus.replacedSequences > 0 {
      warn(
        "\(path): \(Formatting.count(corpus.replacedSequences)) invalid UTF-8 sequence\(corpus.replacedSequences == 1 ? "" : "s") read as U+FFFD"
      )
    }
    if !corpus.skippedFiles.isEmpty {
      let n = corpus.skippedFiles.count
      let shown = corpus.skippedFiles.prefix(5).map(\.debugDescription).joined(separator: ", ")
      warn("\(path): \(Formatting.count(n)) file\(n == 1 ? "" : "s") left out as not UTF-8: \(shown)\(n > 5 ? ", …" : "")")
    }
    return .corpus(entry)
  }

  /// How a corpus of `paths` is named (in messages, `show` and checkpoints): the path, or for a
  /// list of several the list as a JSON array of strings, `["a.txt", "notes/"]`.
  static func corpusLabel(_ paths: [String]) -> String {
    guard paths.count > 1 else { return paths[0] }
    let quoted = paths.map { path in
      String(
        decoding: try! JSONSerialization.data(withJSONObject: path, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
    }
    return "[" + quoted.joined(separator: ", ") + "]"
  }

  /// A corpus label for messages: a path quoted, a list label as it is.
  static func shownCorpusLabel(_ label: String) -> String {
    corpusPaths(label).count > 1 ? label : label.debugDescription
  }

  /// `label` with each path made absolute (`FileSystem.resolve`), for checkpoints.
  func resolvedCorpusLabel(_ label: String) -> String {
    let paths = Self.corpusPaths(label)
    return paths.count > 1 ? Self.corpusLabel(paths.map { fileSystem.resolve($0) }) : fileSystem.resolve(label)
  }

  /// Whether the corpus `label` names may be there to read again: every path exists (a glob is
  /// tried).
  func corpusMayExist(_ label: String) -> Bool {
    Self.corpusPaths(label).allSatisfy { fileSystem.exists($0) || $0.contains { "*?[".contains($0) } }
  }

  /// The paths a corpus label names: the entries of a list label, else the label itself.
  static func corpusPaths(_ label: String) -> [String] {
    guard label.hasPrefix("["), let data = label.data(using: .utf8),
      let list = (try? JSONSerialization.jsonObject(with: data)) as? [String], list.count > 1
    else { return [label] }
    return list
  }

  /// The corpus `label` names (a path, or a list label: `corpusLabel`). On the real disk it is
  /// streamed (memory: the token array plus a constant); other file systems hand over the bytes of
  /// one file, which are decoded in place.
  func readCorpus(
    _ label: String, fractions: SplitFractions, invalidUTF8: InvalidUTF8Handling, separator: String = "\n\n"
  ) throws(CorpusError) -> Corpus {
    let paths = Self.corpusPaths(label)
    let path = paths[0]
    if let disk = fileSystem as? LocalFileSystem {
      do throws(CorpusError) {
        return try Corpus.load(
          fileList: paths, label: label, separator: separator, fractions: fractions, invalidUTF8: invalidUTF8,
          home: ProcessInfo.processInfo.environment["HOME"], resolve: { disk.resolve($0) })
      } catch {
        // Worded like every other file the interpreter cannot read.
        if case .fileNotFound(let path) = error { throw .unreadable(path: path, reason: "no such file") }
        throw error
      }
    }
    guard paths.count == 1 else { throw .unreadable(path: label, reason: "a list of files is read from the disk only") }
    let bytes: [UInt8]
    do throws(FileSystemError) { bytes = try fileSystem.readBytes(path) } catch {
      throw .unreadable(path: error.path, reason: error.reason)
    }
    return try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in
      try Corpus(utf8: buffer, source: path, fractions: fractions, invalidUTF8: invalidUTF8)
    }
  }

  /// `"path": 993,274 characters, vocabulary 67; train 893,946 / validation 99,328 / test 0`; with
  /// documents and tokens: `"notes/": 12 documents, 52,113 characters as 14,201 bpe tokens, vocabulary
  /// 512; train 11,310 / validation 1,402 / test 1,489 tokens, by documents`
  static func describe(_ entry: CorpusEntry) -> String {
    let c = entry.corpus
    let s = c.splits
    let documents = c.documentCount > 1 ? "\(Formatting.count(c.documentCount)) documents, " : ""
    let tokens = c.tokenization.map { " as \(Formatting.count(c.tokens.count)) \($0.tokenizer.kind.rawValue) tokens" } ?? ""
    return
      "corpus \(shownCorpusLabel(entry.path)): \(documents)\(Formatting.count(c.characterCount)) characters\(tokens), "
      + "vocabulary \(Formatting.count(c.vocabularySize)); train \(Formatting.count(s.train.count)) / validation "
      + "\(Formatting.count(s.validation.count)) / test \(Formatting.count(s.test.count))\(c.tokenization == nil ? "" : " tokens")"
      + (s.documents == nil ? "" : ", by documents")
  }

}
