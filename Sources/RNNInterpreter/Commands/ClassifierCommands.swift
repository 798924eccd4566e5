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
    positionals: [.positional("FILE", .string, "The TSV file.")],
    options: [
      .option("cell", .choice(["rnn", "lstm", "gru"]), default: .name("gru"), "The recurrent cell."),
      .option("hidden", .integer(1...4096), default: .number(64, isInteger: true), "Hidden units per layer."),
      .option("layers", .integer(1...8), default: .number(1, isInteger: true), "Stacked recurrent layers."),
      .option("embed", .integer(1...4096), default: .number(32, isInteger: true), "Embedding width."),
      .option("holdout", .real(.closedOpen(0, 1)), default: .number(0.2, isInteger: false), "Fraction held out to measure accuracy."),
      .option("seed", .integer(0...Int.max), default: .number(1, isInteger: true), "Seed for the weights and the split."),
    ],
    producesValue: true,
    examples: [#"c = classifier "corpora/sentiment-tiny.tsv" cell gru hidden 64"#],
    action: { interpreter, invocation throws(InterpreterError) in try interpreter.buildClassifier(invocation) })

  /// `fit NAME [epochs N] [lr X] [batch B]`
  static let fit = CommandSpec(
    "fit",
    summary: "Train a classifier with Adam for some epochs.",
    help: """
      Each epoch shuffles the training examples and updates after every `batch` of them (Adam, \
      gradients clipped to global norm `clip`); prints the mean cross-entropy, the training accuracy \
      and the held-out accuracy after each epoch. Running it again continues from where it stopped.
      """,
    positionals: [.positional("CLASSIFIER", .object, "The classifier.")],
    options: [
      .option("epochs", .integer(1...100_000), default: .number(10, isInteger: true), "Passes over the training examples."),
      .option("lr", .real(.openClosed(0, 10)), default: .number(0.003, isInteger: false), "Adam's learning rate."),
      .option("batch", .integer(1...4096), default: .number(16, isInteger: true), "Examples per update."),
      .option(
        "clip", .real(.init(lower: (0, true), upper: nil)), default: .number(5, isInteger: true),
        "Clip the gradient's global norm (0 = off)."),
      .option("every", .integer(1...100_000), default: .number(1, isInteger: true), "Report every this many epochs."),
    ],
    examples: ["fit c epochs 20 lr 0.003 batch 16"],
    action: { interpreter, invocation throws(InterpreterError) in try interpreter.fitClassifier(invocation) })

  /// `classify NAME "text"`
  static let classify = CommandSpec(
    "classify",
    summary: "Classify a text with a trained classifier.",
    help: "Prints every label with its probability, most likely first. Characters the classifier never saw are left out, with a warning.",
    positionals: [
      .positional("CLASSIFIER", .object, "The classifier."),
      .positional("TEXT", .strings, "The text, or a list of texts."),
    ],
    examples: [#"classify c "what a wonderful, funny film""#, #"classify c ["dull", "lovely"]"#],
    action: { interpreter, invocation throws(InterpreterError) in try interpreter.classify(invocation) })
}

extension Interpreter {
  func buildClassifier(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let path = invocation.string("FILE")!
    let bytes: [UInt8]
    do { bytes = try fileSystem.readBytes(path) } catch { throw invocation.error("cannot read \(error)", at: "FILE") }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw invocation.error("\(path) is not valid UTF-8", at: "FILE") }
    let entry: ClassifierEntry
    do {
      let data = try ClassificationData(tsv: text, source: path)
      let (train, holdout) = data.split(holdout: invocation.double("holdout")!, seed: UInt64(invocation.int("seed")!))
      let model = try SequenceClassifier(
        cell: CellKind(rawValue: invocation.string("cell")!)!, vocabulary: data.vocabulary, labels: data.labels,
        embed: invocation.int("embed")!, hidden: invocation.int("hidden")!, layers: invocation.int("layers")!,
        seed: UInt64(invocation.int("seed")!))
      entry = ClassifierEntry(
        classifier: model, path: path, train: train, holdout: holdout, holdoutFraction: invocation.double("holdout")!,
        seed: UInt64(invocation.int("seed")!))
    } catch {
      throw invocation.error(error.description, at: "FILE")
    }
    say("\(invocation.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
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

  func classifierArgument(_ invocation: Invocation) throws(InterpreterError) -> ClassifierEntry {
    let name = invocation.string("CLASSIFIER")!
    guard case .classifier(let entry)? = session[name] else {
      throw invocation.error("'\(name)' is a \(session[name]!.kindName), not a classifier", at: "CLASSIFIER", kind: .invalid)
    }
    return entry
  }

  func fitClassifier(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let entry = try classifierArgument(invocation)
    let name = invocation.string("CLASSIFIER")!
    let every = invocation.int("every")!
    let epochs = max(1, Int((Double(invocation.int("epochs")!) * min(1, stepsScale)).rounded()))
    guard !entry.train.isEmpty else {
      throw invocation.error(
        "'\(name)' has no training examples: its file \(entry.path.debugDescription) was not available when it was loaded",
        at: "CLASSIFIER")
    }
    let last = entry.trainer.epochsDone + epochs
    entry.trainer.train(
      entry.classifier, train: entry.train, holdout: entry.holdout, epochs: epochs, batch: invocation.int("batch")!,
      learningRate: invocation.float("lr")!, clip: invocation.float("clip")!, shouldStop: shouldStop
    ) { r in
      guard r.epoch % every == 0 || r.epoch == last else { return }
      say(
        "\(name)  epoch \(Formatting.padLeft(String(r.epoch), 4))  loss \(Formatting.fixed(r.loss, 4))  train accuracy \(Formatting.fixed(r.trainAccuracy * 100, 1))%"
          + (r.holdoutAccuracy.map { "  held-out accuracy \(Formatting.fixed($0 * 100, 1))%" } ?? ""))
    }
    return nil
  }

  func classify(_ invocation: Invocation) throws(InterpreterError) -> SessionObject? {
    let entry = try classifierArgument(invocation)
    let c = entry.classifier
    for text in invocation.strings("TEXT") {
      var tokens: [Int32] = []
      var unknown: [String] = []
      for s in text.unicodeScalars {
        if let i = c.vocabulary.index(of: s) {
          tokens.append(Int32(i))
        } else if !unknown.contains(Vocabulary.display(s)) {
          unknown.append(Vocabulary.display(s))  // each character once, in order of appearance
        }
      }
      if !unknown.isEmpty { warn("left out characters the classifier never saw: \(unknown.joined(separator: ", "))") }
      guard !tokens.isEmpty else {
        throw invocation.error("nothing of \(text.debugDescription) is in the classifier's vocabulary", at: "TEXT")
      }
      let p = c.probabilities(tokens)
      let order = p.indices.sorted { p[$0] > p[$1] }
      let parts = order.map { "\(c.labels[$0]) \(Formatting.fixed(p[$0] * 100, 1))%" }
      say("\(text.debugDescription): \(c.labels[order[0]])  (" + parts.joined(separator: ", ") + ")")
    }
    return nil
  }
}
