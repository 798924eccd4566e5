import Foundation
import NumericCore
import RNNLanguage
import RNNModels

extension CommandTable {
  /// `NAME = generator "words.tsv" cell lstm hidden 128 …`
  static let generator = CommandSpec(
    "generator",
    summary: "Build a one-to-many conditional generator of words from a tab-separated file of label and word.",
    help: """
      Reads `label<TAB>word` lines (blank lines and `#` comments skipped; a word longer than \
      `max_length` is an error naming its line), holds out a fraction shuffled by `seed`, and builds \
      the network of PyTorch's "generate names by language" tutorial: Embedding(V, embed) with the \
      label's one-hot vector concatenated to every step's input → `layers` × cell(hidden) → \
      Linear(hidden, V). A word is read from a zero state between boundaries (the newline): input \
      ⏎ w₁ … wₙ, target w₁ … wₙ ⏎, so the network learns how words start and end. Train it with `fit`, \
      draw words with `sample … label L`, compare labels with `eval`; `save` and `load` it.
      """,
    parameters: GeneratorParameters.self,
    producesValue: true,
    examples: [#"g = generator "corpora/words-by-language.tsv" cell lstm hidden 128"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.buildGenerator(arguments) })
}

/// The parameters of `generator`.
struct GeneratorParameters: CommandParameters {
  let file = ParameterKey<String>.positional("FILE", .string, "The TSV file of label and word.")
  let cell = ParameterKey<CellKind>.option("cell", default: .lstm, "The recurrent cell.")
  let hidden = ParameterKey<Int>.option("hidden", .integer(1...4096), default: 128, "Hidden units per layer.")
  let layers = ParameterKey<Int>.option("layers", .integer(1...8), default: 1, "Stacked recurrent layers.")
  let embed = ParameterKey<Int>.option("embed", .integer(1...4096), default: 32, "Character embedding width.")
  let holdout = ParameterKey<Double>.option(
    "holdout", .real(.closedOpen(0, 1)), default: 0.1, "Fraction of the words held out for `eval`.")
  let seed = ParameterKey<Int>.option("seed", .integer(0...Int.max), default: 1, "Seed for the weights and the split.")
  let maxLength = ParameterKey<Int>.option(
    "max_length", .integer(1...1000), default: 40, "The longest word accepted, in characters.")
}

extension Interpreter {
  func buildGenerator(_ arguments: Arguments<GeneratorParameters>) throws(InterpreterError) -> SessionObject? {
    let path = arguments[\.file]
    let text = try readPairsText(path, arguments, at: \.file)
    let seed = UInt64(arguments[\.seed])
    let entry: GeneratorEntry
    do {
      let data = try ClassificationData(tsv: text, source: path, maxTextLength: arguments[\.maxLength])
      let model = try ConditionalGenerator(
        cell: arguments[\.cell], vocabulary: ConditionalGenerator.vocabulary(of: data.examples.map(\.text)),
        labels: data.labels, embed: arguments[\.embed], hidden: arguments[\.hidden], layers: arguments[\.layers],
        seed: seed)
      entry = GeneratorEntry(
        generator: model, trainer: FormTrainer(bodyCount: model.bodyCount, extraCount: model.extra.count, seed: seed),
        path: path, data: data, holdoutFraction: arguments[\.holdout], seed: seed, maxLength: arguments[\.maxLength])
    } catch {
      throw arguments.error(error.description, at: \.file)
    }
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .generator(entry)
  }

  /// `LSTM 1×128 generator, 10 labels (english, …), 18,000 training / 2,000 held-out words: 97,000 parameters`
  static func describe(_ e: GeneratorEntry) -> String {
    let c = e.generator.body.config, labels = e.generator.labels
    let shown = labels.prefix(6).joined(separator: ", ") + (labels.count > 6 ? ", …" : "")
    return "\(c.cell.displayName) \(c.layers)×\(c.hidden) generator, \(labels.count) labels (\(shown)), "
      + "\(Formatting.count(e.train.count)) training / \(Formatting.count(e.holdout.count)) held-out words: "
      + "\(Formatting.count(e.generator.parameterCount)) parameters"
      + (e.trainer.step > 0 ? "; \(e.trainer.step) steps" : "")
  }

  func fitGenerator(_ entry: GeneratorEntry, _ arguments: Arguments<FitParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.classifier], g = entry.generator
    guard !entry.train.isEmpty else {
      throw arguments.error(
        "'\(name)' has no training words: its file \(entry.path.debugDescription) was not available when it was loaded",
        at: \.classifier)
    }
    let lr = Float(arguments[\.lr]), clip = Float(arguments[\.clip])
    try runFormTraining(name: name, examples: entry.train.count, arguments) { batch in
      let indices = entry.trainer.nextBatch(count: entry.train.count, batch: batch)
      g.zeroGradients()
      let loss = g.accumulate(indices.map { entry.train[$0] })
      entry.trainer.update(g, loss: loss, lr: lr, clip: clip)
      return (entry.trainer.step, loss, indices.count, indices.reduce(0) { $0 + entry.train[$1].0.count + 1 })
    }
    if !entry.holdout.isEmpty {
      let v = Self.generatorLoss(g, entry.holdout)
      entry.trainer.validation.append(.init(step: entry.trainer.step, loss: v))
      say("\(name)  validation loss \(Formatting.fixed(v, 4)) nats/char over \(Formatting.count(entry.holdout.count)) held-out words")
    }
    return nil
  }

  /// Runs `fit`'s updates (`steps`, or `epochs` passes over `examples` in batches), `update` doing
  /// one with the batch size and returning the step reached, its loss, and the examples and
  /// characters it read; prints the mean loss every `every` steps (default: ten reports), stopping
  /// between updates when asked, and (unless timings are off) the examples and characters per second.
  func runFormTraining(
    name: String, examples: Int, _ arguments: Arguments<FitParameters>,
    update: (Int) -> (step: Int, loss: Double, examples: Int, characters: Int)
  ) throws(InterpreterError) {
    if arguments.has(\.steps) && arguments.has(\.epochs) {
      throw arguments.error("give either 'steps' or 'epochs', not both", at: \.steps, kind: .invalid)
    }
    let batch = arguments[\.batch]
    let perEpoch = (examples + batch - 1) / batch
    let wanted = arguments[\.steps] ?? arguments[\.epochs] * perEpoch
    let updates = max(1, Int((Double(wanted) * min(1, stepsScale)).rounded()))
    let every = arguments.has(\.every) ? arguments[\.every] : max(1, updates / 10)
    var sum = 0.0, count = 0, seen = 0, characters = 0
    let start = Date()
    defer {
      let seconds = Date().timeIntervalSince(start)
      if settings.showTimings && seen > 0 && seconds > 0 {
        say(
          "\(name)  \(Formatting.count(seen)) examples, \(Formatting.count(characters)) characters in \(Formatting.fixed(seconds, 2)) s: "
            + "\(Formatting.count(Int(Double(seen) / seconds))) examples/s, \(Formatting.count(Int(Double(characters) / seconds))) characters/s"
        )
      }
    }
    for k in 1...updates {
      if shouldStop() {
        warn("\(name): stopped after \(k - 1) of \(updates) steps")
        return
      }
      let (step, loss, n, c) = update(batch)
      seen += n
      characters += c
      sum += loss
      count += 1
      if k % every == 0 || k == updates {
        say("\(name)  step \(Formatting.padLeft(String(step), 6))  loss \(Formatting.fixed(sum / Double(count), 4))")
        sum = 0
        count = 0
      }
    }
  }

  /// Mean cross-entropy per character (nats) of `words` under their own labels, or under `label`.
  static func generatorLoss(_ g: ConditionalGenerator, _ words: [([Int32], Int)], label: Int? = nil) -> Double {
    var nats = 0.0, characters = 0
    for (word, own) in words {
      let r = g.loss(word, label: label ?? own)
      nats += r.nats
      characters += r.characters
    }
    return nats / Double(max(1, characters))
  }

  func sampleGenerator(_ entry: GeneratorEntry, name: String, _ arguments: Arguments<SampleParameters>) throws(InterpreterError) {
    let g = entry.generator
    var labels = Array(g.labels.indices)
    if let label = arguments[\.label] {
      guard let index = g.labels.firstIndex(of: label) else {
        let hint = Suggestions.didYouMean(label, among: g.labels).map { "; did you mean \($0.debugDescription)?" } ?? ""
        throw arguments.error(
          "unknown label \(label.debugDescription) of generator '\(name)' (its labels: \(g.labels.joined(separator: ", ")))\(hint)",
          at: \.label, kind: .invalid)
      }
      labels = [index]
    }
    let prefix: [Int32]
    do { prefix = try g.vocabulary.encode(arguments[\.prime], context: "the prime text") } catch {
      throw arguments.error(error.description, at: \.prime, kind: .invalid)
    }
    let length = arguments[\.lengthArgument] ?? (arguments.has(\.length) ? arguments[\.length] : entry.maxLength)
    var rng = RandomGenerator(seed: arguments[\.seed].map(UInt64.init) ?? session.samplesDrawn)
    if arguments[\.seed] == nil { session.samplesDrawn += 1 }
    let width = (labels.map { g.labels[$0].count }.max() ?? 0) + 2
    var drawn: [GeneratedWords] = []
    defer { lastData = .words(drawn) }
    for label in labels {
      let words = (0..<arguments[\.count]).map { _ in
        g.sample(label: label, prefix: prefix, length: length, temperature: Float(arguments[\.temperature]), rng: &rng)
      }
      drawn.append(GeneratedWords(label: g.labels[label], words: words))
      say(Formatting.pad(g.labels[label], width) + words.joined(separator: "  "))
    }
  }
}
