import RNNModels
import RNNTokenizers

/// `train MODEL corpus OTHER`: a model carried on to another corpus, worked out before anything
/// changes and applied only once the whole `train` command has been checked.
///
/// The model reads the new text with its own tokens. A model of characters or of word tokens whose
/// vocabulary lacks some of the new text's symbols is extended: the union of both vocabularies, the
/// model's symbols keeping their ids and the new ones appended in the new corpus's order (its
/// characters by code point; for a word corpus then its words, most frequent first), with new
/// embedding and decoder rows (`VocabularyGrowth`). A BPE model keeps its tokenizer, whose byte
/// tokens spell any text. Switching to a different text starts its streams at the beginning
/// (cursor 0, zero hidden state); the model's step, optimizer and history carry on.
struct CorpusSwitch {
  /// The new corpus as the model reads it.
  let corpus: CorpusEntry
  let corpusName: String
  /// The grown trainer, vocabulary and tokenizer (the model's own when nothing was added).
  let trainer: Trainer
  let vocabulary: Vocabulary
  let tokenizer: AnyTokenizer?
  /// The symbols appended to the model's vocabulary (characters or words), in id order.
  let added: [String]
  /// Whether the text differs from the one the model trained on (its streams start over).
  let resetsStreams: Bool

  /// Applies the switch to `entry` and says what changed.
  func apply(to entry: ModelEntry, name: String, interpreter: Interpreter) {
    entry.trainer = trainer
    entry.vocabulary = vocabulary
    entry.tokenizer = tokenizer
    entry.corpus = corpus
    entry.corpusName = corpusName
    entry.checkpointCorpusFingerprint = nil
    // A grown model, or one moved to another text, differs from any checkpoint even after 0 steps.
    if !added.isEmpty || resetsStreams { entry.hasUnsavedTraining = true }
    if !added.isEmpty {
      let shown = added.prefix(10).map { $0.debugDescription }.joined(separator: ", ")
      let what = tokenizer == nil ? "character" : "token"
      interpreter.say(
        "\(name): vocabulary extended by \(added.count) \(what)\(added.count == 1 ? "" : "s") "
          + "(\(trainer.model.config.vocabSize - added.count) → \(trainer.model.config.vocabSize)): \(shown)\(added.count > 10 ? ", …" : "")"
      )
    } else if case .bpe = tokenizer {
      interpreter.say("\(name): reads bpe tokens; its own tokenizer encodes corpus '\(corpusName)' (no new tokens)")
    }
    if !added.isEmpty || resetsStreams {
      // Validation losses of another text (or vocabulary) do not compare with the old ones: early
      // stopping starts afresh, and the plateau schedule keeps its rate but forgets its best.
      entry.trainer.state.earlyStopping = nil
      if let scale = entry.trainer.state.plateau?.scale { entry.trainer.state.plateau = PlateauState(scale: scale) }
    }
    if resetsStreams {
      entry.trainer.state.cursor = 0
      entry.trainer.state.hidden = HiddenState(config: trainer.model.config, batch: entry.trainer.state.batch)
      interpreter.say("\(name): now trains on corpus '\(corpusName)', from its start (cursor reset)")
    }
  }
}

extension Interpreter {
  /// How `entry` would read the session corpus `name`; nothing changes until `apply`.
  func corpusSwitch(_ entry: ModelEntry, to other: CorpusEntry, named name: String) throws(CorpusSwitchError) -> CorpusSwitch {
    let text = other.corpus
    var trainer = entry.trainer
    let (vocabulary, addedCharacters) = entry.vocabulary.extended(with: text.vocabulary.scalars)
    var tokenizer = entry.tokenizer
    var added = addedCharacters.map { String($0) }
    if entry.tokenizer == nil, let t = text.tokenization {
      throw CorpusSwitchError(
        "the model reads characters and this corpus is of \(t.tokenizer.kind.rawValue) tokens; load the text with `tokens char`")
    }
    let corpus: Corpus
    do throws(CorpusError) {
      switch entry.tokenizer {
      case nil:
        corpus = try text.remapped(to: vocabulary)
      case .word(let words)?:
        let (grown, pieces) = words.extended(with: Self.pieces(of: text))
        tokenizer = .word(grown)
        added = pieces
        corpus = try text.encoded(with: .word(grown))
      case let own?:
        corpus = try text.encoded(with: own)
        added = []
      }
    } catch {
      throw CorpusSwitchError("\(error)")
    }
    if !added.isEmpty {
      do throws(ModelError) { trainer = try VocabularyGrowth.grow(entry.trainer, by: added.count) } catch {
        throw CorpusSwitchError("cannot extend the vocabulary: \(error)")
      }
    }
    let trainedOn = entry.corpus?.corpus.fingerprint ?? entry.checkpointCorpusFingerprint
    let sameText = trainedOn == text.fingerprint && entry.corpus.map { $0.fractions == other.fractions } ?? true
    return CorpusSwitch(
      corpus: CorpusEntry(corpus: corpus, path: other.path, fractions: other.fractions), corpusName: name, trainer: trainer,
      vocabulary: entry.tokenizer?.kind == .bpe ? entry.vocabulary : vocabulary,
      tokenizer: tokenizer, added: added, resetsStreams: !sameText || !added.isEmpty)
  }

  /// The symbols of a corpus in id order: its word tokenizer's pieces, else its characters.
  private static func pieces(of corpus: Corpus) -> [String] {
    if case .word(let t)? = corpus.tokenization?.tokenizer {
      return (0..<t.vocabularySize).map { String(decoding: t.pieceBytes(Int32($0)), as: UTF8.self) }
    }
    return corpus.vocabulary.scalars.map { String($0) }
  }
}

/// Why a model cannot be carried to a corpus.
struct CorpusSwitchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
