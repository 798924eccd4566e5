import RNNModels

extension CommandTable {
  /// `corpus PATH [split F] [validation F]`
  static let corpus = CommandSpec(
    "corpus",
    summary: "Load a UTF-8 text file as a corpus and split it into train / validation / test.",
    help: """
      Reads the file, builds its vocabulary (every distinct Unicode scalar, sorted) and cuts the text \
      into contiguous splits: the first `split` of the characters for training, the next `validation` \
      for validation, the rest (if any) for testing.
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
    ],
    producesValue: true,
    examples: [#"shakes = corpus "corpora/shakespeare-tragedies.txt" split 0.9"#],
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
    let bytes: [UInt8]
    do { bytes = try fileSystem.readBytes(path) } catch {
      throw invocation.error("cannot read \(error)", at: "PATH")
    }
    let corpus: Corpus
    do {
      corpus = try bytes.withUnsafeBufferPointer { buffer throws(CorpusError) in
        try Corpus(utf8: buffer, source: path, fractions: fractions)
      }
    } catch {
      throw invocation.error(error.description, at: "PATH")
    }
    let entry = CorpusEntry(corpus: corpus, path: path, fractions: fractions)
    say("\(invocation.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .corpus(entry)
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
