import Foundation
import RNNModels

extension CommandTable {
  /// `NAME = seq2seq "pairs.tsv" cell gru hidden 128 [attention true] …`
  static let seq2seq = CommandSpec(
    "seq2seq",
    summary: "Build an encoder–decoder (sequence-to-sequence) model from a file of source and target pairs.",
    help: """
      Reads `source<TAB>target` lines (blank lines and `#` comments skipped; each field at most \
      200 characters), holds out a shuffled fraction, and builds an encoder Embedding → `layers` × \
      cell(hidden) over the source, whose last state starts a decoder of the same shape over the \
      target, and an output layer over the target's characters and an end marker. With `attention \
      true`, each decoder step also looks at every encoder output (Luong's general score: \
      softmax(hᵀ W_a s), then tanh(W_c [context; h])). Train it with `fit … steps N` (teacher \
      forcing, batches of pairs with sources of one length, padded targets masked), use it with \
      `translate`, measure it with `eval` (and `eval … by length`); `save` and `load` it.
      """,
    parameters: Seq2SeqParameters.self,
    producesValue: true,
    examples: [#"t = seq2seq "corpora/dates.tsv" cell gru hidden 128 attention true"#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.buildSeq2Seq(arguments) })

  /// `translate NAME "text" [beam N] [length N]`
  static let translate = CommandSpec(
    "translate",
    summary: "Translate a text with a sequence-to-sequence model (greedy, or beam search).",
    help: """
      Reads the text with the encoder and decodes until the end marker or `length` characters: \
      greedily (the most likely character each step), or with `beam N` keeping the N most likely \
      partial translations (by total log-probability) until N have ended; the ended ones are \
      ranked by Σ log p / n^length_penalty (n = characters + 1 for the end marker; default 1, as \
      `sample … beam`; 0 ranks by log-probability alone, which favours short translations). Prints \
      the translation, its log-probability and, with a beam, its score. Every character of the \
      text must be one the model was built with.
      """,
    parameters: TranslateParameters.self,
    examples: [
      #"translate t "the 3rd of March, 1997""#, #"translate t ["5 May 2001", "May 5, 2001"] beam 4"#,
      #"translate t "1 May 2001" beam 8 length_penalty 0.6"#,
    ],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.translate(arguments) })
}

/// The parameters of `seq2seq`.
struct Seq2SeqParameters: CommandParameters {
  let file = ParameterKey<String>.positional("FILE", .string, "The TSV file of source<TAB>target pairs.")
  let cell = ParameterKey<CellKind>.option("cell", default: .gru, "The recurrent cell of encoder and decoder.")
  let hidden = ParameterKey<Int>.option("hidden", .integer(1...4096), default: 128, "Hidden units per layer.")
  let layers = ParameterKey<Int>.option("layers", .integer(1...8), default: 1, "Stacked recurrent layers.")
  let embed = ParameterKey<Int>.option("embed", .integer(1...4096), default: 32, "Embedding width.")
  let dropout = ParameterKey<Double>.option(
    "dropout", .real(.closedOpen(0, 1)), default: 0, "Dropout after every recurrent layer (training only).")
  let attention = ParameterKey<Bool>.option("attention", .bool, default: false, "Luong attention over the encoder's outputs.")
  let holdout = ParameterKey<Double>.option(
    "holdout", .real(.closedOpen(0, 1)), default: 0.1, "Fraction held out for `eval`.")
  let seed = ParameterKey<Int>.option("seed", .integer(0...Int.max), default: 1, "Seed for the weights, the split and the batches.")
}

/// The parameters of `translate`.
struct TranslateParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .object, "The sequence-to-sequence model.")
    .taking(["seq2seq"], .notA("seq2seq model"))
  let texts = ParameterKey<[String]>.positional("TEXT", .strings, required: true, "The text, or a list of texts.")
  let beam = ParameterKey<Int>.option("beam", .integer(1...64), default: 1, "Beam width (1: greedy).")
  let length = ParameterKey<Int>.option(
    "length", .integer(1...Seq2SeqData.maximumLength), default: Seq2SeqData.maximumLength, "The longest translation, in characters.")
  let lengthPenalty = BeamParameters.lengthPenaltyKey
}

extension Interpreter {
  func buildSeq2Seq(_ arguments: Arguments<Seq2SeqParameters>) throws(InterpreterError) -> SessionObject? {
    let path = arguments[\.file]
    let text = try readPairsText(path, arguments, at: \.file)
    let seed = UInt64(arguments[\.seed])
    let entry: Seq2SeqEntry
    do {
      let data = try Seq2SeqData(tsv: text, source: path)
      let (train, holdout) = data.split(holdout: arguments[\.holdout], seed: seed)
      let model = try Seq2SeqModel(
        cell: arguments[\.cell], source: data.sourceVocabulary, target: data.targetVocabulary, embed: arguments[\.embed],
        hidden: arguments[\.hidden], layers: arguments[\.layers], dropout: Float(arguments[\.dropout]),
        attention: arguments[\.attention], seed: seed)
      entry = Seq2SeqEntry(
        model: model, path: path, train: train, holdout: holdout, holdoutFraction: arguments[\.holdout], seed: seed)
    } catch {
      throw arguments.error(error.description, at: \.file)
    }
    say("\(arguments.target.map { "\($0): " } ?? "")\(Self.describe(entry))")
    return .seq2seq(entry)
  }

  /// `GRU 1×128 seq2seq with attention, 32 → 12 characters, 18,000 training / 2,000 held-out pairs: 123,456 parameters`
  static func describe(_ e: Seq2SeqEntry) -> String {
    let m = e.model
    return "\(m.cell.displayName) \(m.layers)×\(m.hidden) seq2seq\(m.usesAttention ? " with attention" : ""), "
      + "\(m.sourceVocabulary.count) → \(m.targetVocabulary.count) characters, \(e.train.count) training / "
      + "\(e.holdout.count) held-out pairs: \(Formatting.count(m.parameterCount)) parameters"
      + (e.trainer.steps > 0 ? "; \(e.trainer.steps) steps" : "")
  }

  /// A weighted sum of every parameter (for the session's fingerprint).
  static func checksum(_ m: Seq2SeqModel) -> Double {
    var sum = 0.0
    for g in m.parameterGroups { for i in 0..<g.count { sum += Double(g.parameters[i]) * Double(i % 7 + 1) } }
    return sum
  }

  func seq2seqArgument<P: CommandParameters>(_ name: String, _ arguments: Arguments<P>, at key: KeyPath<P, ParameterKey<String>>)
    throws(InterpreterError) -> Seq2SeqEntry
  {
    guard case .seq2seq(let entry)? = session[name] else {
      throw arguments.error("'\(name)' is a \(session[name]!.kindName), not a seq2seq model", at: key, kind: .invalid)
    }
    return entry
  }

  /// `fit NAME steps N …` for a sequence-to-sequence model.
  func fitSeq2Seq(_ entry: Seq2SeqEntry, _ arguments: Arguments<FitParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.classifier]
    guard !entry.train.isEmpty else {
      throw arguments.error(
        "'\(name)' has no training pairs: its file \(entry.path.debugDescription) was not available when it was loaded",
        at: \.classifier)
    }
    let steps = max(1, Int((Double(arguments[\.steps] ?? 1000) * min(1, stepsScale)).rounded()))
    let every = arguments.has(\.every) ? arguments[\.every] : max(1, steps / 10)
    let first = entry.trainer.steps, last = first + steps
    let start = Date()
    var sum = 0.0, count = 0, pairs = 0, evaluating = 0.0  // seconds spent on held-out losses
    entry.trainer.train(
      entry.model, on: entry.train, steps: steps, batch: arguments[\.batch], learningRate: Float(arguments[\.lr]),
      clip: Float(arguments[\.clip]), shouldStop: shouldStop
    ) { step, loss, batchPairs in
      pairs += batchPairs
      sum += Double(loss)
      count += 1
      guard step % every == 0 || step == last else { return }
      let evaluation = Date()
      let heldOut = entry.holdout.isEmpty ? "" : "  held-out loss \(Formatting.fixed(entry.model.loss(entry.holdout), 4))"
      evaluating += Date().timeIntervalSince(evaluation)
      say("\(name)  step \(Formatting.padLeft(String(step), 6))  loss \(Formatting.fixed(sum / Double(count), 4))\(heldOut)")
      (sum, count) = (0, 0)
    }
    let done = entry.trainer.steps - first
    var line = "\(name): trained \(done) step\(done == 1 ? "" : "s") (now at step \(entry.trainer.steps), epoch \(entry.trainer.epoch))"
    if settings.showTimings && done > 0 {
      let seconds = Date().timeIntervalSince(start) - evaluating  // training only
      line += "; \(Formatting.elapsed(seconds)), \(Formatting.count(Int(Double(pairs) / max(seconds, 1e-9)))) pairs/s"
    }
    say(line)
    return nil
  }

  func translate(_ arguments: Arguments<TranslateParameters>) throws(InterpreterError) -> SessionObject? {
    let entry = try seq2seqArgument(arguments[\.model], arguments, at: \.model)
    let m = entry.model
    if arguments.has(\.lengthPenalty) && arguments[\.beam] == 1 {
      throw arguments.error("length_penalty applies to `beam` only", at: \.lengthPenalty, kind: .invalid)
    }
    var results: [Translation] = []
    defer { lastData = .translations(results) }
    for text in arguments[\.texts] {
      guard let source = m.encodeSource(text) else {
        var unknown: [String] = []
        for s in text.unicodeScalars where m.sourceVocabulary.index(of: s) == nil && !unknown.contains(Vocabulary.display(s)) {
          unknown.append(Vocabulary.display(s))
        }
        throw arguments.error(
          "\(text.debugDescription) has characters the model never saw: \(unknown.joined(separator: ", "))", at: \.texts)
      }
      guard !source.isEmpty else { throw arguments.error("nothing to translate: the text is empty", at: \.texts) }
      let beam = arguments[\.beam]
      let found = m.translate(source, beam: beam, maxLength: arguments[\.length], lengthPenalty: arguments[\.lengthPenalty])
      results.append(Translation(text: text, translation: found.text, logProbability: found.logProbability))
      let score = beam > 1 ? ", score \(Formatting.fixed(found.score, 4))" : ""
      say("\(text.debugDescription) → \(found.text.debugDescription)  (log p \(Formatting.fixed(found.logProbability, 3))\(score))")
    }
    return nil
  }

  /// `eval NAME [by length]` for a sequence-to-sequence model: teacher-forced loss per target
  /// character and greedy exact-match accuracy on the held-out pairs, overall or by source length.
  func evalSeq2Seq(_ name: String, _ entry: Seq2SeqEntry, byLength: Bool) throws(InterpreterError) {
    var pairs = entry.holdout
    if stepsScale < 1 { pairs = Array(pairs.prefix(max(20, Int(Double(pairs.count) * stepsScale)))) }
    guard !pairs.isEmpty else {
      say("\(name): no held-out pairs (too few pairs, holdout 0, or its file is not available)")
      return
    }
    let loss = entry.model.loss(pairs)
    let right = entry.model.exactMatches(pairs)
    let exact = Double(right.filter { $0 }.count) / Double(pairs.count)
    say(
      "\(name): \(Formatting.count(pairs.count)) held-out pairs: loss \(Formatting.fixed(loss, 4)) nats per character, "
        + "exact match \(Formatting.fixed(exact * 100, 1))% (greedy)")
    guard byLength else { return }
    say("  source length   pairs   exact match")
    for (range, indices) in Self.lengthBins(pairs.map(\.source.count)) {
      let ok = indices.filter { right[$0] }.count
      let label = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
      say(
        "  " + Formatting.pad(label, 14) + Formatting.padLeft(String(indices.count), 7)
          + Formatting.padLeft(Formatting.fixed(Double(ok) / Double(indices.count) * 100, 1) + "%", 14))
    }
  }

  /// The indices of `lengths` grouped by length: one group per length when there are at most 12
  /// lengths, else at most 8 ranges of equal width.
  static func lengthBins(_ lengths: [Int]) -> [(ClosedRange<Int>, [Int])] {
    let lo = lengths.min()!, hi = lengths.max()!
    let width = hi - lo + 1 <= 12 ? 1 : (hi - lo + 8) / 8
    var bins: [Int: [Int]] = [:]
    for (i, n) in lengths.enumerated() { bins[(n - lo) / width, default: []].append(i) }
    return bins.keys.sorted().map { k in (lo + k * width...min(hi, lo + k * width + width - 1), bins[k]!) }
  }

  func showSeq2Seq(_ name: String, _ t: Seq2SeqEntry) {
    let m = t.model
    say("\(name): \(Self.describe(t))")
    say("  data        \(t.path.debugDescription), held out \(Formatting.fixed(t.holdoutFraction * 100, 0))%")
    say("  source      " + m.sourceVocabulary.scalars.prefix(100).map { Vocabulary.display($0) }.joined(separator: " "))
    say("  target      " + m.targetVocabulary.scalars.prefix(100).map { Vocabulary.display($0) }.joined(separator: " "))
    say(
      "  layers      encoder Embedding(\(m.sourceVocabulary.count), \(m.encoder.config.embed)) → \(m.layers) × \(m.cell.displayName)(\(m.hidden)); "
        + "decoder Embedding(\(m.targetTokenCount), \(m.decoder.config.embed)) → \(m.layers) × \(m.cell.displayName)(\(m.hidden))"
        + (m.usesAttention ? " → attention" : "") + " → Linear(\(m.hidden), \(m.targetTokenCount))"
        + (m.encoder.config.dropout > 0 ? "; dropout \(Formatting.number(Double(m.encoder.config.dropout)))" : ""))
    if let last = t.trainer.losses.last {
      say("  training    \(t.trainer.steps) steps (epoch \(t.trainer.epoch + 1)), last loss \(Formatting.fixed(last, 4))")
    }
  }

  func saveSeq2Seq(_ name: String, _ t: Seq2SeqEntry, to path: String, _ arguments: Arguments<SaveParameters>)
    throws(InterpreterError) -> SessionObject?
  {
    let contents = Seq2SeqContents(
      model: t.model, trainer: t.trainer, dataPath: t.path, dataAbsolutePath: fileSystem.resolve(t.path), holdout: t.holdoutFraction)
    do { try Seq2SeqCheckpoint.save(contents, to: fileSystem.resolve(path)) } catch {
      throw arguments.error(error.saveMessage, at: \.path)
    }
    say("saved \(name) (\(t.trainer.steps) steps) to \(path.debugDescription)")
    return nil
  }

  /// A sequence-to-sequence model from a checkpoint, its pairs read again from the file it was
  /// built from (as written when saved, else the absolute path stored beside it) when available.
  func loadSeq2Seq(_ contents: Seq2SeqContents, from path: String, _ arguments: Arguments<LoadParameters>) -> SessionObject {
    let dataPath = [contents.dataPath, contents.dataAbsolutePath].compactMap { $0 }.first { fileSystem.exists($0) }
    let data = dataPath.flatMap { p in
      (try? fileSystem.readBytes(p)).flatMap { String(validating: $0, as: UTF8.self) }.flatMap { try? Seq2SeqData(tsv: $0, source: p) }
    }
    let entry = Seq2SeqEntry(loaded: contents, path: dataPath ?? contents.dataPath, data: data)
    say("\(arguments.target.map { "\($0): " } ?? "")loaded \(path.debugDescription): \(Self.describe(entry))")
    if entry.train.isEmpty {
      warn(
        "the pairs of this model (\(contents.dataPath.debugDescription)) are not available or have changed; translate works, fit and eval need them"
      )
    }
    return .seq2seq(entry)
  }
}
