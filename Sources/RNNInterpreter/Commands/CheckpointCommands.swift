import Foundation
import RNNModels

extension CommandTable {
  /// `save MODEL PATH`
  static let save = CommandSpec(
    "save",
    summary: "Save a model (or a classifier), its optimizer and its training position to a .safetensors checkpoint.",
    help: """
      Writes one .safetensors file: the model's tensors under PyTorch's names (loadable with \
      load_state_dict), plus the optimizer state, the data cursor, the carried hidden state, the \
      random generator and the loss history, so that `load` continues training exactly where it \
      stopped. The write is atomic: a crash leaves the old file or the new one. Missing directories \
      are created. A classifier (`classifier`) saves the same way, with its labels, its optimizer \
      and the path of its examples; `load` brings either back.
      """,
    parameters: SaveParameters.self,
    examples: [#"save m "checkpoints/m.safetensors""#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.save(arguments) }
  )

  /// `load PATH [corpus NAME] [split F]`
  static let load = CommandSpec(
    "load",
    summary: "Load a model from a checkpoint, ready to sample or to continue training.",
    help: """
      Reads and validates a checkpoint written by `save` (or a model-only file with PyTorch's tensor \
      names). The corpus it was trained on is found by its fingerprint among the session's corpora, \
      else read again from the path stored in the checkpoint (as written when it was saved, relative \
      to where `rnn` ran, else the absolute path stored beside it; split with `split`); `corpus` \
      names one explicitly (the model must have a token for each of its characters; to carry a model \
      to a text with new characters, load it, then `train m corpus C`).
      """,
    parameters: LoadParameters.self,
    producesValue: true,
    examples: [#"m2 = load "checkpoints/m.safetensors""#],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.load(arguments) }
  )
}

/// The parameters of `save`.
struct SaveParameters: CommandParameters {
  let model = ParameterKey<String>.positional("MODEL", .object, "The model or classifier to save.")
  let path = ParameterKey<String>.positional(
    "PATH", .string, "Where to write (conventionally under checkpoints/).")
}

/// The parameters of `load`.
struct LoadParameters: CommandParameters {
  let path = ParameterKey<String>.positional("PATH", .string, "The checkpoint file.")
  let corpus = ParameterKey<String?>.option(
    "corpus", .corpus, note: "found automatically", "The corpus to continue training on.")
  let split = ParameterKey<Double?>.option(
    "split", .real(.openClosed(0, 1)), note: "the checkpoint's, else 0.9",
    "Training fraction when the corpus is read again from its path.")
}

extension Interpreter {
  func save(_ arguments: Arguments<SaveParameters>) throws(InterpreterError) -> SessionObject? {
    let name = arguments[\.model]
    let path = arguments[\.path]
    let entry: ModelEntry
    switch session[name]! {
    case .model(let m): entry = m
    case .classifier(let c):
      try createDirectory(of: path, arguments)
      return try saveClassifier(name, c, to: path, arguments)
    case .generator, .tagger:
      try createDirectory(of: path, arguments)
      try saveForm(name, session[name]!, to: path, arguments)
      return nil
    case .corpus:
      throw arguments.error("'\(name)' is a corpus; save writes models and classifiers", at: \.model, kind: .invalid)
    }
    try createDirectory(of: path, arguments)
    var contents = CheckpointContents(
      model: entry.model, vocabulary: entry.vocabulary, trainer: entry.trainer,
      options: entry.lastOptions ?? TrainingOptions(), corpus: entry.corpus?.corpus, tokenizer: entry.tokenizer)
    contents.corpusAbsolutePath = entry.corpus.map { resolvedCorpusLabel($0.path) }
    do { try ModelCheckpoint.save(contents, to: fileSystem.resolve(path)) } catch {
      throw arguments.error(error.saveMessage, at: \.path)
    }
    entry.hasUnsavedTraining = false
    entry.checkpointPath = path
    say("saved \(name) (step \(entry.step)) to \(path.debugDescription)")
    return nil
  }

  /// Creates the directories `path` needs, or fails saying nothing was written.
  private func createDirectory(of path: String, _ arguments: Arguments<SaveParameters>)
    throws(InterpreterError)
  {
    let directory = (path as NSString).deletingLastPathComponent
    guard !directory.isEmpty else { return }
    do { try fileSystem.createDirectory(directory) } catch {
      throw arguments.error(
        "cannot save \(path.debugDescription): cannot create directory \(error); nothing was written",
        at: \.path)
    }
  }

  private func saveClassifier(
    _ name: String, _ c: ClassifierEntry, to path: String, _ arguments: Arguments<SaveParameters>
  )
    throws(InterpreterError) -> SessionObject?
  {
    let contents = ClassifierContents(
      classifier: c.classifier, trainer: c.trainer, dataPath: c.path, dataAbsolutePath: fileSystem.resolve(c.path),
      holdout: c.holdoutFraction, seed: c.seed)
    do { try ClassifierCheckpoint.save(contents, to: fileSystem.resolve(path)) } catch {
      throw arguments.error(error.saveMessage, at: \.path)
    }
    say("saved \(name) (\(c.trainer.epochsDone) epochs) to \(path.debugDescription)")
    return nil
  }

  /// A classifier from a checkpoint, its examples read again from the file it was built from
  /// (as written when saved, else the absolute path stored beside it) when that is available.
  private func loadClassifier(
    _ contents: ClassifierContents, from path: String, _ arguments: Arguments<LoadParameters>
  )
    -> SessionObject
  {
    let dataPath = [contents.dataPath, contents.dataAbsolutePath].compactMap { $0 }.first { fileSystem.exists($0) }
    let data = dataPath.flatMap { p in
      (try? fileSystem.readBytes(p)).flatMap { String(validating: $0, as: UTF8.self) }
        .flatMap { try? ClassificationData(tsv: $0, source: p) }
    }
    let entry = ClassifierEntry(loaded: contents, path: dataPath ?? contents.dataPath, data: data)
    say("\(arguments.target.map { "\($0): " } ?? "")loaded \(path.debugDescription): \(Self.describe(entry))")
    if entry.train.isEmpty {
      warn(
        "the examples of this classifier (\(contents.dataPath.debugDescription)) are not available or have changed; classify works, fit needs them"
      )
    }
    return .classifier(entry)
  }

  func load(_ arguments: Arguments<LoadParameters>) throws(InterpreterError) -> SessionObject? {
    let path = arguments[\.path]
    guard fileSystem.exists(path) else {
      throw arguments.error("no such file: \(path)", at: \.path)
    }
    let loaded: LoadedCheckpoint
    do { loaded = try LoadedCheckpoint.load(path: fileSystem.resolve(path)) } catch {
      throw arguments.error(error.description, at: \.path)
    }
    let contents: CheckpointContents
    switch loaded {
    case .model(let m): contents = m
    case .classifier(let c):
      if arguments.has(\.corpus) || arguments.has(\.split) {
        throw arguments.error(
          "\(path) holds a classifier: 'corpus' and 'split' are for language models", at: \.path, kind: .invalid)
      }
      return loadClassifier(c, from: path, arguments)
    case .form(let f):
      if arguments.has(\.corpus) || arguments.has(\.split) {
        throw arguments.error(
          "\(path) holds a generator or tagger: 'corpus' and 'split' are for language models", at: \.path, kind: .invalid)
      }
      return loadForm(f, from: path, arguments)
    }
    let (corpus, corpusName) = try corpusForCheckpoint(contents, arguments)
    let trainer: Trainer
    do { trainer = try contents.makeTrainer() } catch {
      throw arguments.error(error.description, at: \.path)
    }
    let entry = ModelEntry(
      trainer: trainer, vocabulary: contents.vocabulary, corpus: corpus, corpusName: corpusName,
      seed: 0,
      lastOptions: contents.options, checkpointPath: path, tokenizer: contents.tokenizer)
    if corpus == nil { entry.checkpointCorpusFingerprint = contents.corpusFingerprint }
    for note in contents.notes { warn(note) }
    if let corpus, let warning = contents.corpusWarning(against: corpus.corpus) { warn(warning) }
    var line =
      "\(arguments.target.map { "\($0): " } ?? "")loaded \(path.debugDescription): \(Self.describe(entry)), at step \(entry.step)"
    if let corpusName {
      line += ", corpus \(corpusName)"
    } else if let corpus {
      line += ", corpus \(Self.shownCorpusLabel(corpus.path))"
    }
    say(line)
    if corpus == nil {
      warn(
        "the corpus of this checkpoint (\(contents.corpusPath ?? "unknown")) is not available; sample and eval files work, to train give one: train NAME corpus C"
      )
    }
    return .model(entry)
  }

  /// The corpus a loaded model continues on: the `corpus` option, a session corpus with the
  /// checkpoint's fingerprint, or the checkpoint's corpus path read again; `nil` if none is found.
  private func corpusForCheckpoint(
    _ contents: CheckpointContents, _ arguments: Arguments<LoadParameters>
  )
    throws(InterpreterError)
    -> (CorpusEntry?, String?)
  {
    if let name = arguments[\.corpus] {
      do throws(CorpusError) {
        return (try Self.corpus(session.corpus(name)!, asReadBy: contents), name)
      } catch {
        throw arguments.error(
          "corpus '\(name)' does not fit the checkpoint's model: \(error); load without it, then carry the model on: train NAME corpus \(name)",
          at: \.corpus, kind: .invalid)
      }
    }
    if let fingerprint = contents.corpusFingerprint {
      // The same text: first one of the model's own tokens, else any the model can read.
      let candidates = session.names.compactMap { name in session.corpus(name).map { (name, $0) } }
        .filter { $0.1.corpus.fingerprint == fingerprint }
      for exact in [true, false] {
        for (name, corpus) in candidates where !exact || corpus.corpus.tokenization?.tokenizer == contents.tokenizer {
          if let read = try? Self.corpus(corpus, asReadBy: contents) { return (read, name) }
        }
      }
    }
    // The path as saved (relative to where `rnn` ran then), else the absolute one saved with it.
    guard
      let path = [contents.corpusPath, contents.corpusAbsolutePath].compactMap({ $0 })
        .first(where: { corpusMayExist($0) })
    else { return (nil, nil) }
    let fractions = arguments[\.split].map { SplitFractions(train: $0) } ?? contents.corpusSplit ?? SplitFractions(train: 0.9)
    // `replace` reads a valid file exactly as `error` does; for a file with bad bytes it gives the
    // vocabulary the model was trained on only if the corpus was loaded with `invalid replace`.
    // The text as the model reads it: see `corpus(_:asReadBy:)`.
    guard let read = try? readCorpus(path, fractions: fractions, invalidUTF8: .replace),
      let corpus = try? Self.corpus(CorpusEntry(corpus: read, path: path, fractions: fractions), asReadBy: contents)
    else { return (nil, nil) }
    return (corpus, nil)
  }

  /// `entry` as the checkpoint's model reads it: a word or BPE model's text encoded with its own
  /// tokenizer; a character model's characters numbered by its vocabulary (which may be a
  /// carried-on model's, in another order, or larger). An error when the text has a character the
  /// model has no token for.
  static func corpus(_ entry: CorpusEntry, asReadBy contents: CheckpointContents) throws(CorpusError) -> CorpusEntry {
    var entry = entry
    if let tokenizer = contents.tokenizer {
      entry.corpus = try entry.corpus.encoded(with: tokenizer)
    } else if entry.corpus.tokenization != nil {
      throw .invalidTokens("the model reads characters and the corpus is of \(entry.corpus.tokenization!.tokenizer.kind.rawValue) tokens")
    } else {
      entry.corpus = try entry.corpus.remapped(to: contents.vocabulary)
    }
    return entry
  }
}
