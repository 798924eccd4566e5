import RNNModels

/// What the session commands (`show`, `list`, `save`, `load`, `plot`) do with a generator or a
/// tagger.
extension Interpreter {
  /// `show` for a generator or tagger.
  func showForm(_ name: String, _ object: SessionObject) {
    switch object {
    case .generator(let g):
      say("\(name): \(Self.describe(g))")
      let c = g.generator.body.config
      say(
        "  layers      embedding \(c.vocabSize)×\(c.embed) + one-hot label (\(g.generator.labelCount)) → \(c.layers) × \(c.cell.displayName)(\(c.hidden)) → linear \(c.hidden)×\(c.vocabSize)"
      )
      say("  data        \(g.path.debugDescription), holdout \(g.holdoutFraction), seed \(g.seed), words up to \(g.maxLength) characters")
      showTraining(g.trainer, unit: "nats/char")
    case .tagger(let t):
      say("\(name): \(Self.describe(t))")
      let c = t.tagger.body.config
      say(
        "  layers      embedding \(c.vocabSize)×\(c.embed) → \(c.layers) × \(c.cell.displayName)(\(c.hidden)) → linear \(c.hidden)×\(t.tagger.tagCount) at every character"
      )
      say("  corpus      \(t.corpusPath.debugDescription)\(t.corpus == nil ? " (not available)" : "")")
      showTraining(t.trainer, unit: "nats/char")
    default: break
    }
  }

  private func showTraining(_ trainer: FormTrainer, unit: String) {
    say("  trained     \(trainer.step) steps, epoch \(trainer.epoch + (trainer.step > 0 ? 1 : 0))")
    if !trainer.losses.isEmpty {
      let recent = trainer.losses.suffix(10)
      say(
        "  train loss  \(Formatting.fixed(recent.map(\.loss).reduce(0, +) / Double(recent.count), 4)) \(unit), mean of the last \(recent.count) steps"
      )
    }
    if let v = trainer.validation.last {
      say("  validation  \(Formatting.fixed(v.loss, 4)) \(unit) at step \(v.step)")
    }
  }

  /// The loss history of a generator or tagger for `plot`: training losses per step and validation losses.
  func formLosses(_ object: SessionObject?) -> (train: [Double], validation: [(step: Int, loss: Double)])? {
    let trainer: FormTrainer
    switch object {
    case .generator(let g)?: trainer = g.trainer
    case .tagger(let t)?: trainer = t.trainer
    default: return nil
    }
    return (trainer.losses.map(\.loss), trainer.validation.map { ($0.step, $0.loss) })
  }

  /// `save` for a generator or tagger; says what was written.
  func saveForm(_ name: String, _ object: SessionObject, to path: String, _ arguments: Arguments<SaveParameters>)
    throws(InterpreterError)
  {
    let resolved = fileSystem.resolve(path)
    do {
      switch object {
      case .generator(let g):
        try FormCheckpoint.save(
          GeneratorContents(
            generator: g.generator, trainer: g.trainer, dataPath: g.path, dataAbsolutePath: fileSystem.resolve(g.path),
            holdout: g.holdoutFraction, seed: g.seed, maxLength: g.maxLength), to: resolved)
        say("saved \(name) (\(g.trainer.step) steps) to \(path.debugDescription)")
      case .tagger(let t):
        let property: TextProperty? = if case .property(let p) = t.tagged { p } else { nil }
        let tagFile: String? = if case .file(let f) = t.tagged { f } else { nil }
        try FormCheckpoint.save(
          TaggerContents(
            tagger: t.tagger, trainer: t.trainer, corpusPath: t.corpusPath,
            corpusAbsolutePath: fileSystem.resolve(t.corpusPath), fractions: t.fractions, property: property,
            tagFile: tagFile, length: t.length), to: resolved)
        say("saved \(name) (\(t.trainer.step) steps) to \(path.debugDescription)")
      default: break
      }
    } catch {
      throw arguments.error(error.saveMessage, at: \.path)
    }
  }

  /// A generator or tagger from a checkpoint, its data read again when available.
  func loadForm(_ contents: FormCheckpoint.Contents, from path: String, _ arguments: Arguments<LoadParameters>)
    -> SessionObject
  {
    let prefix = arguments.target.map { "\($0): " } ?? ""
    switch contents {
    case .generator(let c):
      let dataPath = [c.dataPath, c.dataAbsolutePath].compactMap { $0 }.first { fileSystem.exists($0) }
      let data = dataPath.flatMap { p in
        (try? fileSystem.readBytes(p)).flatMap { String(validating: $0, as: UTF8.self) }
          .flatMap { try? ClassificationData(tsv: $0, source: p, maxTextLength: c.maxLength) }
      }
      let entry = GeneratorEntry(
        generator: c.generator, trainer: c.trainer, path: dataPath ?? c.dataPath, data: data, holdoutFraction: c.holdout,
        seed: c.seed, maxLength: c.maxLength)
      say("\(prefix)loaded \(path.debugDescription): \(Self.describe(entry))")
      if entry.train.isEmpty {
        warn(
          "the words of this generator (\(c.dataPath.debugDescription)) are not available or have changed; sample works, fit and eval need them"
        )
      }
      return .generator(entry)
    case .tagger(let c):
      let entry = loadedTagger(c)
      say("\(prefix)loaded \(path.debugDescription): \(Self.describe(entry))")
      if entry.train == nil {
        warn(
          "the corpus of this tagger (\(c.corpusPath.debugDescription)) or its tags are not available or have changed; tag works, fit and eval need them"
        )
      }
      return .tagger(entry)
    }
  }

  private func loadedTagger(_ c: TaggerContents) -> TaggerEntry {
    let source: TaggedText.Source = c.property.map { .property($0) } ?? .file(c.tagFile ?? "")
    var corpusEntry: CorpusEntry?
    var data: (TaggedText, TaggingChunks, TaggingChunks)?
    if let path = [c.corpusPath, c.corpusAbsolutePath].compactMap({ $0 }).first(where: { fileSystem.exists($0) }),
      let corpus = try? readCorpus(path, fractions: c.fractions, invalidUTF8: .replace), corpus.vocabulary == c.tagger.vocabulary
    {
      let tagText = c.tagFile.flatMap { (try? fileSystem.readBytes($0)).flatMap { String(validating: $0, as: UTF8.self) } }
      if let d = try? Self.taggingData(corpus, source: source, tagText: tagText, length: c.length), d.0.names == c.tagger.tags {
        corpusEntry = CorpusEntry(corpus: corpus, path: path, fractions: c.fractions)
        data = d
      }
    }
    return TaggerEntry(
      tagger: c.tagger, trainer: c.trainer, corpus: corpusEntry, corpusPath: c.corpusPath, fractions: c.fractions,
      tagged: source, length: c.length, train: data?.1, validation: data?.2)
  }
}

extension Interpreter {
  /// The recurrent network an analysis command looks at and its text: a model's, or a tagger's
  /// body (its hidden states are the units that tag) with its corpus's characters.
  func analysedModel<P: AnalysisParameters & ModelParameters>(_ name: String, _ arguments: Arguments<P>) throws(InterpreterError)
    -> (LanguageModel, AnalysisInput)
  {
    if case .tagger(let t)? = session[name] {
      return (t.tagger.body, try analysisInput(arguments, vocabulary: t.tagger.vocabulary, corpus: t.corpus))
    }
    let entry = session.model(name)!
    return (entry.model, try analysisInput(arguments, entry: entry))
  }
}
