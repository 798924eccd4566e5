import RNNModels

extension CommandTable {
  /// `NAME = classifier "data.tsv" cell gru hidden 64 …`
  static let classifier = CommandSpec(
    "classifier",
    summary: "Build a many-to-one classifier from a tab-separated file of label and text.",
    help: """
      Reads `label<TAB>text` lines (blank lines and `#` comments skipped), holds out a shuffled \
      fraction for measuring accuracy, and builds Embedding(V, embed) → `layers` × cell(hidden) → the \
      last hidden state of the top layer → Linear(hidden, C) for the C labels, each text read from a \
      zero state. Train it with `fit`, use it with `classify`; `save` and `load` it as a model.
      """,
    parameters: ClassifierParameters.self,
    producesValue: true,
    examples: [#"c = classifier "corpora/sentiment-tiny.tsv" cell gru hidden 64"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.buildClassifier(arguments) })

  /// `fit NAME [epochs N] [lr X] [batch B]`
  static let fit = CommandSpec(
    "fit",
    summary: "Train a classifier, a generator, a tagger or a seq2seq model with Adam.",
    help: """
      Each epoch shuffles the training examples and updates after every `batch` of them (Adam, \
      gradients clipped to global norm `clip`). A classifier trains for `epochs` and prints the mean \
      cross-entropy, the training accuracy and the held-out accuracy after each epoch. A generator \
      or a tagger trains for `steps` updates (or `epochs` passes), prints the mean loss every \
      `every` steps (ten times by default) and, at the end, the held-out loss (generator) or the \
      validation accuracy (tagger). A seq2seq model trains for `steps` updates, each on `batch` pairs \
      whose sources have one length (teacher forcing), and prints the mean training loss and the \
      held-out loss per target character every `every` steps. Running it again continues from where it stopped.
      """,
    parameters: FitParameters.self,
    examples: ["fit c epochs 20 lr 0.003 batch 16", "fit g steps 3000", "fit t steps 4000"],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.fit(arguments) })

  /// `classify NAME "text"`
  static let classify = CommandSpec(
    "classify",
    summary: "Classify a text with a trained classifier.",
    help: """
      Prints every label with its probability, most likely first. Characters the classifier never saw \
      are an error listing them, unless `unknown skip` leaves them out or `unknown replace` replaces \
      them (by a space, else a newline, else its first character); either says how many.
      """,
    parameters: ClassifyParameters.self,
    examples: [
      #"classify c "what a wonderful, funny film""#, #"classify c ["dull", "lovely"]"#, #"classify c "naïve" unknown skip"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.classify(arguments) })
}

/// The parameters of `classifier`.
struct ClassifierParameters: CommandParameters {
  let file = ParameterKey<String>.positional("FILE", .string, "The TSV file.")
  let cell = ParameterKey<CellKind>.option("cell", default: .gru, "The recurrent cell.")
  let hidden = ParameterKey<Int>.option("hidden", .integer(1...4096), default: 64, "Hidden units per layer.")
  let layers = ParameterKey<Int>.option("layers", .integer(1...8), default: 1, "Stacked recurrent layers.")
  let embed = ParameterKey<Int>.option("embed", .integer(1...4096), default: 32, "Embedding width.")
  let holdout = ParameterKey<Double>.option(
    "holdout", .real(.closedOpen(0, 1)), default: 0.2, "Fraction held out to measure accuracy.")
  let seed = ParameterKey<Int>.option(
    "seed", .integer(0...Int.max), default: 1, "Seed for the weights and the split.")
}

/// A command whose first positional is a classifier.
protocol ClassifierArgument: CommandParameters {
  /// `CLASSIFIER`.
  var classifier: ParameterKey<String> { get }
}

/// The parameters of `fit`.
struct FitParameters: ClassifierArgument {
  let classifier = ParameterKey<String>.positional("MODEL", .object, "The classifier, generator, tagger or seq2seq model.")
    .taking(
      ["classifier", "generator", "tagger", "seq2seq"],
      .takes("a classifier, a generator, a tagger or a seq2seq model (a language model trains with `train`)"))
  let epochs = ParameterKey<Int>.option(
    "epochs", .integer(1...100_000), default: 10, "Passes over the training examples."
  ).taking(["classifier", "generator", "tagger"], .optionFor("a classifier, a generator or a tagger"))
  let steps = ParameterKey<Int?>.option(
    "steps", .integer(1...100_000_000), note: "a generator's or tagger's `epochs`",
    "Updates to run (generator, tagger, seq2seq model)."
  ).taking(["generator", "tagger", "seq2seq"], .optionFor("a generator, a tagger or a seq2seq model"))
  let lr = ParameterKey<Double>.option("lr", .real(.openClosed(0, 10)), default: 0.003, "Adam's learning rate.")
  let batch = ParameterKey<Int>.option("batch", .integer(1...4096), default: 16, "Examples per update.")
  let clip = ParameterKey<Double>.option(
    "clip", .real(.init(lower: (0, true), upper: nil)), default: 5, "Clip the gradient's global norm (0 = off).")
  let every = ParameterKey<Int>.option(
    "every", .integer(1...100_000), default: 1, "Report every this many epochs (generator, tagger, seq2seq: steps).")
}

/// The parameters of `classify`.
struct ClassifyParameters: ClassifierArgument {
  let classifier = ParameterKey<String>.positional("CLASSIFIER", .object, "The classifier.")
    .taking(["classifier"], .notA("classifier"))
  let texts = ParameterKey<[String]>.positional(
    "TEXT", .strings, required: true, "The text, or a list of texts.")
  let unknown = UnknownCharacters.option("the text")
}

extension Interpreter {
  func buildClassifier(_ arguments: Arguments<ClassifierParameters>) throws(InterpreterError) -> SessionObject? {
    let path = arguments[\.file]
    let text = try readPairsText(path, arguments, at: \.file)
    let entry: ClassifierEntry
    let seed = UInt64(arguments[\.seed])
    do {
      let data = try ClassificationData(tsv: text, source: path)
      let (train, holdout) = data.split(holdout: arguments[\.holdout], seed: seed)
      let model = try SequenceClassifier(
        cell: arguments[\.cell], vocabulary: data.vocabulary, labels: data.labels,
        embed: arguments[\.embed], hidden: arguments[\.hidden], layers: arguments[\.layers],
        seed: seed)
      entry = ClassifierEntry(
        classifier: model, path: path, train: train, holdout: holdout,
        holdoutFraction: arguments[\.holdout], seed: seed)
    } catch {
      throw arguments.error(error.description, at: \.file)
    }
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .classifier(entry)
  }

  /// `GRU 1×64 classifier, 2 labels (neg, pos), 240 training / 60 held-out texts: 14,210 parameters`
  static func describe(_ e: ClassifierEntry) -> String {
    let c = e.classifier.body.config
    return "\(c.cell.displayName) \(c.layers)×\(c.hidden) classifier, \(e.classifier.classCount) labels ("
      + e.classifier.labels.joined(separator: ", ")
      + "), \(e.train.count) training / \(e.holdout.count) held-out texts: \(Formatting.count(e.classifier.parameterCount)) parameters"
      + (e.trainer.epochsDone > 0 ? "; \(e.trainer.epochsDone) epochs" : "")
  }

  func classifierArgument<P: ClassifierArgument>(_ arguments: Arguments<P>) throws(InterpreterError) -> ClassifierEntry {
    let name = arguments[\.classifier]
    guard case .classifier(let entry)? = session[name] else {
      throw arguments.error("'\(name)' is a \(session[name]!.kindName), not a classifier", at: \.classifier, kind: .invalid)
    }
    return entry
  }

  /// `fit` by the object's kind.
  func fit(_ arguments: Arguments<FitParameters>) throws(InterpreterError) -> SessionObject? {
    switch session[arguments[\.classifier]]! {
    case .generator(let g): return try fitGenerator(g, arguments)
    case .tagger(let t): return try fitTagger(t, arguments)
    case .seq2seq(let t): return try fitSeq2Seq(t, arguments)
    default: return try fitClassifier(arguments)
    }
  }

  func fitClassifier(_ arguments: Arguments<FitParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.classifier]
    let entry = try classifierArgument(arguments)
    let every = arguments[\.every]
    let epochs = max(1, Int((Double(arguments[\.epochs]) * min(1, stepsScale)).rounded()))
    guard !entry.train.isEmpty else {
      throw arguments.error(
        "'\(name)' has no training examples: its file \(entry.path.debugDescription) was not available when it was loaded",
        at: \.classifier)
    }
    let last = entry.trainer.epochsDone + epochs
    entry.trainer.train(
      entry.classifier, train: entry.train, holdout: entry.holdout, epochs: epochs, batch: arguments[\.batch],
      learningRate: Float(arguments[\.lr]), clip: Float(arguments[\.clip]), shouldStop: shouldStop
    ) { r in
      guard r.epoch % every == 0 || r.epoch == last else { return }
      say(
        "\(name)  epoch \(Formatting.padLeft(String(r.epoch), 4))  loss \(Formatting.fixed(r.loss, 4))  train accuracy \(Formatting.fixed(r.trainAccuracy * 100, 1))%"
          + (r.holdoutAccuracy.map { "  held-out accuracy \(Formatting.fixed($0 * 100, 1))%" } ?? ""))
    }
    return nil
  }

  func classify(_ arguments: Arguments<ClassifyParameters>) throws(InterpreterError) -> SessionObject? {
    let entry = try classifierArgument(arguments)
    let c = entry.classifier
    var results: [Classification] = []
    defer { lastData = .classifications(results) }
    for text in arguments[\.texts] {
      let known = try knownText(
        text, label: text.debugDescription, alphabet: Alphabet(c.vocabulary, owner: "classifier"), policy: arguments[\.unknown],
        arguments, at: \.texts)
      let tokens = known.unicodeScalars.map { Int32(c.vocabulary.index(of: $0)!) }
      guard !tokens.isEmpty else {
        throw arguments.error("nothing of \(text.debugDescription) is in the classifier's vocabulary", at: \.texts)
      }
      let p = c.probabilities(tokens)
      let order = p.indices.sorted { p[$0] > p[$1] }
      let parts = order.map { "\(c.labels[$0]) \(Formatting.fixed(p[$0] * 100, 1))%" }
      results.append(Classification(text: text, labels: order.map { c.labels[$0] }, probabilities: order.map { Double(p[$0]) }))
      say("\(text.debugDescription): \(c.labels[order[0]])  (" + parts.joined(separator: ", ") + ")")
    }
    return nil
  }
}
