import RNNModels

extension CommandTable {
  /// `corpus PATH [split F] [validation F] [invalid error|replace]`
  static let corpus = CommandSpec(
    "corpus",
    summary: "Load a UTF-8 text file as a corpus and split it into train / validation / test.",
    help: """
      Reads the file, builds its vocabulary (every distinct Unicode scalar, sorted) and cuts the text \
      into contiguous splits: the first `split` of the characters for training, the next `validation` \
      for validation, the rest (if any) for testing. The file is read in two streamed passes, so memory \
      holds only the tokens (one byte per character for up to 256 distinct characters). Bytes that are \
      not UTF-8 are an error naming their offset unless `invalid replace` is given.
      """,
    parameters: CorpusParameters.self,
    producesValue: true,
    examples: [
      #"shakes = corpus "corpora/shakespeare-tragedies.txt" split 0.9"#,
      #"web = corpus "scraped.txt" invalid replace"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in
      try interpreter.loadCorpus(arguments)
    })
}

/// The parameters of `corpus`.
struct CorpusParameters: CommandParameters {
  let path = ParameterKey<String>.positional(
    "PATH", .string, "The text file, relative to the working directory.")
  let split = ParameterKey<Double>.option(
    "split", .real(.openClosed(0, 1)), default: 0.9, "Fraction of the text used for training.")
  let validation = ParameterKey<Double?>.option(
    "validation", .real(.closedOpen(0, 1)), note: "the rest",
    "Fraction used for validation; what remains after train and validation is the test split.")
  let invalid = ParameterKey<InvalidUTF8Handling>.option(
    "invalid", default: .error,
    "Bytes that are not UTF-8 are an error, or each bad sequence is read as U+FFFD (�).")
}

extension Interpreter {
  func loadCorpus(_ arguments: Arguments<CorpusParameters>) throws(InterpreterError) -> SessionObject? {
    let path = arguments[\.path]
    let train = arguments[\.split]
    let validation = arguments[\.validation]
    if let validation, train + validation > 1 + 1e-9 {
      throw arguments.error(
        "split \(Formatting.number(train)) + validation \(Formatting.number(validation)) must not exceed 1",
        at: \.validation, kind: .invalid)
    }
    let fractions = SplitFractions(train: train, validation: validation)
    let handling = arguments[\.invalid]
    let corpus: Corpus
    do throws(CorpusError) { corpus = try readCorpus(path, fractions: fractions, invalidUTF8: handling) } catch {
      var message = error.description
      if case .invalidUTF8 = error {
        message += ", or load it with `invalid replace` to read each bad sequence as U+FFFD"
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
    return .corpus(entry)
  }

  /// The corpus in the file at `path`. On the real disk it is streamed (memory: the token array
  /// plus a constant); other file systems hand over the bytes, which are decoded in place.
  func readCorpus(
    _ path: String, fractions: SplitFractions, invalidUTF8: InvalidUTF8Handling
  ) throws(CorpusError) -> Corpus {
    if let disk = fileSystem as? LocalFileSystem {
      do throws(CorpusError) {
        return try Corpus.load(path: disk.resolve(path), source: path, fractions: fractions, invalidUTF8: invalidUTF8)
      } catch {
        // Worded like every other file the interpreter cannot read.
        if case .fileNotFound(let path) = error { throw .unreadable(path: path, reason: "no such file") }
        throw error
      }
    }
    let bytes: [UInt8]
    do throws(FileSystemError) { bytes = try fileSystem.readBytes(path) } catch {
      throw .unreadable(path: error.path, reason: error.reason)
    }
    return try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in
      try Corpus(utf8: buffer, source: path, fractions: fractions, invalidUTF8: invalidUTF8)
    }
  }

  /// `"path": 993,274 characters, vocabulary 67; train 893,946 / validation 99,328 / test 0`
  static func describe(_ entry: CorpusEntry) -> String {
    let s = entry.corpus.splits
    return
      "corpus \(entry.path.debugDescription): \(Formatting.count(entry.corpus.tokens.count)) characters, "
      + "vocabulary \(entry.corpus.vocabulary.count); train \(Formatting.count(s.train.count)) / validation "
      + "\(Formatting.count(s.validation.count)) / test \(Formatting.count(s.test.count))"
  }
}
