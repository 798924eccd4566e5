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
    positionals: [
      .positional("PATH", .string, "The text file, relative to the working directory.")
    ],
    options: [
      .option(
        "split", .real(.openClosed(0, 1)), default: .number(0.9, isInteger: false),
        "Fraction of the text used for training."),
      .option(
        "validation", .real(.closedOpen(0, 1)), note: "the rest",
        "Fraction used for validation; what remains after train and validation is the test split."),
      .option(
        "invalid", .choice(InvalidUTF8Handling.allCases.map(\.rawValue)), default: .name("error"),
        "Bytes that are not UTF-8 are an error, or each bad sequence is read as U+FFFD (�)."),
    ],
    producesValue: true,
    examples: [
      #"shakes = corpus "corpora/shakespeare-tragedies.txt" split 0.9"#,
      #"web = corpus "scraped.txt" invalid replace"#,
    ],
    action: { interpreter, invocation throws(InterpreterError) in
      try interpreter.loadCorpus(invocation)
    })
}

extension Interpreter {
  func loadCorpus(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let path = invocation.string("PATH")!
    let train = invocation.double("split")!
    let validation = invocation.double("validation")
    if let validation, train + validation > 1 + 1e-9 {
      throw invocation.error(
        "split \(Formatting.number(train)) + validation \(Formatting.number(validation)) must not exceed 1",
        at: "validation", kind: .invalid)
    }
    let fractions = SplitFractions(train: train, validation: validation)
    let handling = InvalidUTF8Handling(rawValue: invocation.string("invalid")!)!
    let corpus: Corpus
    do throws(CorpusError) { corpus = try readCorpus(path, fractions: fractions, invalidUTF8: handling) } catch {
      var message = error.description
      if case .invalidUTF8 = error {
        message += ", or load it with `invalid replace` to read each bad sequence as U+FFFD"
      }
      throw invocation.error(message, at: "PATH")
    }
    let entry = CorpusEntry(corpus: corpus, path: path, fractions: fractions)
    say("\(invocation.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
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
