import Foundation
import RNNModels

extension CommandTable {
  /// `NAME = tagger CORPUS property quotes …` or `tagger CORPUS tags "file" …`
  static let tagger = CommandSpec(
    "tagger",
    summary: "Build a synced many-to-many tagger: a tag for every character of a corpus.",
    help: """
      The tags come from a text property the `cells` analysis knows (`property quotes`, `parens`, \
      `depth`, `line_position`, `newline`, or `regex` with `regex "…"`; depth and line_position \
      are classes 0 … 9, larger values counted as 9) or from a tag file (`tags "file"`): one tag \
      character for every character of the corpus, with exactly the corpus's lines (the tag file's \
      line i as long as the text's line i; a mismatch is an error naming the line and offset). The \
      most frequent tag character is the background. The corpus's training split is cut into chunks \
      of `length` characters (each read from a zero state; a property is computed on the chunk \
      alone, as `tag` computes it on its text), its validation split likewise for `eval`. The \
      network is Embedding(V, embed) → `layers` × cell(hidden) → Linear(hidden, K) at every step, \
      trained with per-character cross-entropy. Find its tagging unit with `cells`.
      """,
    parameters: TaggerParameters.self,
    producesValue: true,
    examples: [
      #"q = tagger code property quotes cell gru hidden 64"#, #"t = tagger c tags "corpora/c-tags.txt" length 200"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.buildTagger(arguments) })

  /// `tag NAME "text" [probability true]`
  static let tag = CommandSpec(
    "tag",
    summary: "Tag every character of a text with a trained tagger.",
    help: """
      Prints the text, and under it a mark for every character whose most likely tag is not the \
      background (`^` for a two-tag property, otherwise the tag's own character); with \
      `probability true` a third line gives each character's probability of not being background, \
      in tenths (0 … 9, `*` for 0.95 and above). A newline in the text starts a new block.
      """,
    parameters: TagParameters.self,
    examples: [#"tag q "He said \"stop\" and left""#, #"tag q "f(a, \"b\")" probability true"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.tag(arguments) })
}

/// The parameters of `tagger`.
struct TaggerParameters: CommandParameters {
  let corpus = ParameterKey<String>.positional("CORPUS", .corpus, "The corpus (of characters).")
  let property = ParameterKey<String?>.option(
    "property", .choice(TextProperty.names), note: "quotes unless `tags` is given", "The property to tag.")
  let regex = ParameterKey<String?>.option("regex", .string, "The regular expression for `property regex`.")
  let tags = ParameterKey<String?>.option("tags", .string, "A tag file aligned with the corpus instead.")
  let cell = ParameterKey<CellKind>.option("cell", default: .gru, "The recurrent cell.")
  let hidden = ParameterKey<Int>.option("hidden", .integer(1...4096), default: 64, "Hidden units per layer.")
  let layers = ParameterKey<Int>.option("layers", .integer(1...8), default: 1, "Stacked recurrent layers.")
  let embed = ParameterKey<Int>.option("embed", .integer(1...4096), default: 32, "Embedding width.")
  let length = ParameterKey<Int>.option("length", .integer(2...10_000), default: 100, "Characters per chunk.")
  let seed = ParameterKey<Int>.option("seed", .integer(0...Int.max), default: 1, "Seed for the weights and the order.")
}

/// The parameters of `tag`.
struct TagParameters: CommandParameters {
  let tagger = ParameterKey<String>.positional("TAGGER", .object, "The tagger.").taking(["tagger"], .notA("tagger"))
  let text = ParameterKey<String>.positional("TEXT", .string, "The text to tag (at most 10,000 characters).")
  let probability = ParameterKey<Bool>.option(
    "probability", .bool, default: false, "Also print each character's probability of a tag.")
}

extension Interpreter {
  func buildTagger(_ arguments: Arguments<TaggerParameters>) throws(InterpreterError) -> SessionObject? {
    let corpus = session.corpus(arguments[\.corpus])!
    if arguments.has(\.tags) && (arguments.has(\.property) || arguments.has(\.regex)) {
      throw arguments.error("give either 'property' or 'tags', not both", at: \.tags, kind: .invalid)
    }
    let source: TaggedText.Source
    if let path = arguments[\.tags] {
      source = .file(path)
    } else {
      let name = arguments[\.property] ?? (arguments.has(\.regex) ? "regex" : "quotes")
      guard let property = TextProperty(name: name, pattern: arguments[\.regex]) else {
        throw arguments.error("property regex needs a pattern: regex \"…\"", at: \.property, kind: .invalid)
      }
      source = .property(property)
    }
    let tagText = try arguments[\.tags].map { path throws(InterpreterError) in try readText(path, arguments, at: \.tags) }
    let seed = UInt64(arguments[\.seed])
    let entry: TaggerEntry
    do {
      let (tagged, train, validation) = try Self.taggingData(
        corpus.corpus, source: source, tagText: tagText, length: arguments[\.length])
      let model = try SequenceTagger(
        cell: arguments[\.cell], vocabulary: corpus.corpus.vocabulary, tags: tagged.names, embed: arguments[\.embed],
        hidden: arguments[\.hidden], layers: arguments[\.layers], seed: seed)
      entry = TaggerEntry(
        tagger: model, trainer: FormTrainer(bodyCount: model.bodyCount, extraCount: model.extra.count, seed: seed),
        corpus: corpus, corpusPath: corpus.path, fractions: corpus.fractions, tagged: source, length: arguments[\.length],
        train: train, validation: validation)
    } catch {
      throw arguments.error(error.description, at: arguments.has(\.tags) ? \.tags : \.corpus)
    }
    guard (entry.train?.count ?? 0) > 0 else {
      throw arguments.error(
        "the training split of '\(arguments[\.corpus])' is shorter than one chunk of \(entry.length) characters", at: \.length)
    }
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .tagger(entry)
  }

  /// The tags of `corpus` and its training and validation chunks.
  static func taggingData(
    _ corpus: Corpus, source: TaggedText.Source, tagText: String?, length: Int
  ) throws(ModelError) -> (TaggedText, TaggingChunks, TaggingChunks) {
    guard corpus.tokenization == nil else {
      throw .invalidArgument("a tagger reads characters; this corpus is read as \(corpus.tokenization!.tokenizer.kind.rawValue) tokens")
    }
    let tokens = corpus.tokens.array
    let text = corpus.vocabulary.decode(tokens)
    let tagged: TaggedText
    switch source {
    case .property(let p): tagged = try TaggedText(text: text, property: p)
    case .file(let path): tagged = try TaggedText(text: text, tagText: tagText ?? "", path: path)
    }
    func chunks(_ split: CorpusSplits.Name) throws(ModelError) -> TaggingChunks {
      try TaggingChunks(
        tokens: tokens, range: corpus.splits.range(split), tagged: tagged, vocabulary: corpus.vocabulary, length: length)
    }
    return (tagged, try chunks(.train), try chunks(.validation))
  }

  /// `GRU 1×64 tagger of property quotes, 2 tags (0, 1), 900 training / 100 validation chunks of 100: 20,000 parameters`
  static func describe(_ e: TaggerEntry) -> String {
    let c = e.tagger.body.config, tags = e.tagger.tags
    return "\(c.cell.displayName) \(c.layers)×\(c.hidden) tagger of \(e.tagSourceDescription), \(tags.count) tags ("
      + tags.map { $0.debugDescription }.joined(separator: ", ") + "), "
      + "\(Formatting.count(e.train?.count ?? 0)) training / \(Formatting.count(e.validation?.count ?? 0)) validation chunks of \(e.length): "
      + "\(Formatting.count(e.tagger.parameterCount)) parameters" + (e.trainer.step > 0 ? "; \(e.trainer.step) steps" : "")
  }

  func fitTagger(_ entry: TaggerEntry, _ arguments: Arguments<FitParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.classifier], t = entry.tagger
    guard let train = entry.train, train.count > 0 else {
      throw arguments.error(
        "'\(name)' has no training text: its corpus \(entry.corpusPath.debugDescription) was not available when it was loaded",
        at: \.classifier)
    }
    let lr = Float(arguments[\.lr]), clip = Float(arguments[\.clip])
    try runFormTraining(name: name, examples: train.count, arguments) { batch in
      let indices = entry.trainer.nextBatch(count: train.count, batch: batch)
      let (x, y) = train.batch(indices)
      t.zeroGradients()
      let loss = t.accumulate(x, targets: y, batch: indices.count)
      entry.trainer.update(t, loss: loss, lr: lr, clip: clip)
      return (entry.trainer.step, loss, indices.count, x.count)
    }
    if let validation = entry.validation, validation.count > 0 {
      let r = Self.taggerAccuracy(t, validation, limit: nil)
      entry.trainer.validation.append(.init(step: entry.trainer.step, loss: r.loss))
      say("\(name)  validation accuracy \(Formatting.fixed(r.accuracy * 100, 2))% per character, loss \(Formatting.fixed(r.loss, 4))")
    }
    return nil
  }

  /// Per-character accuracy and loss of `t` on (the first `limit` of) `chunks`, the tag counts of
  /// the targets and, per tag, how many of its characters were tagged right and how many
  /// characters were given it.
  static func taggerAccuracy(_ t: SequenceTagger, _ chunks: TaggingChunks, limit: Int?) -> (
    accuracy: Double, loss: Double, characters: Int, counts: [Int], hits: [Int], given: [Int]
  ) {
    let K = t.tagCount
    var counts = [Int](repeating: 0, count: K), hits = counts, given = counts
    var nats = 0.0, right = 0, n = 0
    for i in 0..<min(chunks.count, limit ?? .max) {
      let p = t.probabilities(chunks.inputs[i])
      for (s, target) in chunks.targets[i].enumerated() {
        let row = p[(s * K)..<(s * K + K)]
        let best = row.indices.max { row[$0] < row[$1] }! - s * K
        counts[Int(target)] += 1
        given[best] += 1
        if best == Int(target) {
          hits[best] += 1
          right += 1
        }
        let pTarget: Float = max(row[s * K + Int(target)], .leastNonzeroMagnitude)
        nats -= Double(logf(pTarget))
        n += 1
      }
    }
    return (Double(right) / Double(max(1, n)), nats / Double(max(1, n)), n, counts, hits, given)
  }

  /// `eval q`: per-character accuracy on the validation chunks, beside the majority-class baseline.
  func evalTagger(_ entry: TaggerEntry, name: String, _ arguments: Arguments<EvalParameters>) throws(InterpreterError) {
    guard let validation = entry.validation, validation.count > 0 else {
      throw arguments.error("'\(name)' has no validation text (its corpus's validation split is shorter than a chunk, or not available)")
    }
    let t = entry.tagger
    let r = Self.taggerAccuracy(t, validation, limit: arguments[\.limit])
    if arguments[\.limit] == nil { entry.trainer.validation.append(.init(step: entry.trainer.step, loss: r.loss)) }
    let majority = r.counts.indices.max { r.counts[$0] < r.counts[$1] }!
    say(
      "\(name) validation: accuracy \(Formatting.fixed(r.accuracy * 100, 2))% per character over \(Formatting.count(r.characters)) characters; "
        + "majority-class baseline \(Formatting.fixed(Double(r.counts[majority]) / Double(max(1, r.characters)) * 100, 2))% "
        + "(always \(t.tags[majority].debugDescription)); loss \(Formatting.fixed(r.loss, 4)) nats/char, after \(entry.trainer.step) steps")
    for k in 0..<t.tagCount {
      let recall = Double(r.hits[k]) / Double(max(1, r.counts[k])), precision = Double(r.hits[k]) / Double(max(1, r.given[k]))
      say(
        "  tag \(Formatting.pad(t.tags[k].debugDescription, 6)) \(Formatting.padLeft(Formatting.count(r.counts[k]), 9)) characters"
          + "  recall \(Formatting.padLeft(Formatting.fixed(recall * 100, 1), 5))%  precision \(Formatting.padLeft(Formatting.fixed(precision * 100, 1), 5))%"
      )
    }
  }

  func tag(_ arguments: Arguments<TagParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.tagger]
    guard case .tagger(let entry)? = session[name] else {
      throw arguments.error("'\(name)' is a \(session[name]!.kindName), not a tagger", at: \.tagger, kind: .invalid)
    }
    let t = entry.tagger, text = arguments[\.text]
    guard text.unicodeScalars.count <= 10_000 else {
      throw arguments.error(
        "the text is \(Formatting.count(text.unicodeScalars.count)) characters long; tag reads at most 10,000", at: \.text)
    }
    guard !text.isEmpty else { throw arguments.error("nothing to tag: the text is empty", at: \.text) }
    let tokens: [Int32]
    do { tokens = try t.vocabulary.encode(text, context: "the text") } catch {
      throw arguments.error("\(error.description) (the tagger knows the characters of its corpus)", at: \.text)
    }
    let p = t.probabilities(tokens), K = t.tagCount
    var data = Tagging(text: text, tags: t.tags, best: [], tagged: [])
    defer { lastData = .tags(data) }
    var marks = "", odds = "", line = ""
    func flush() {
      say(line)
      say(marks)
      if arguments[\.probability] { say(odds) }
      (line, marks, odds) = ("", "", "")
    }
    for (s, scalar) in text.unicodeScalars.enumerated() {
      let row = p[(s * K)..<(s * K + K)]
      let best = row.indices.max { row[$0] < row[$1] }! - s * K
      let tagged = 1 - row[s * K]
      data.best.append(best)
      data.tagged.append(Double(tagged))
      if scalar == "\n" {
        flush()
        continue
      }
      line.unicodeScalars.append(scalar)
      marks += best == 0 ? " " : (K == 2 && entry.isProperty ? "^" : String(t.tags[best].prefix(1)))
      odds += tagged >= 0.95 ? "*" : String(Int(tagged * 10))
    }
    flush()
    return nil
  }
}

extension TaggerEntry {
  /// Whether its tags come from a property (else from a tag file).
  var isProperty: Bool {
    if case .property = tagged { return true }
    return false
  }
}
