import RNNModels
import RNNTokenizers

/// A corpus held by the session: the prepared text and how it was split.
public struct CorpusEntry: Sendable {
  /// The prepared text.
  public var corpus: Corpus
  /// The path as the user wrote it.
  public var path: String
  /// The split fractions it was loaded with.
  public var fractions: SplitFractions

  /// Creates an entry.
  public init(corpus: Corpus, path: String, fractions: SplitFractions) {
    self.corpus = corpus
    self.path = path
    self.fractions = fractions
  }
}

/// A model held by the session, with everything needed to keep training it: its trainer (model,
/// optimizer, training position), vocabulary, the corpus it trains on, and the options it last
/// trained with (the defaults for its next `train`).
public final class ModelEntry {
  /// Model parameters and the training state (a new trainer when the vocabulary grows).
  public internal(set) var trainer: Trainer
  /// The characters it knows.
  public internal(set) var vocabulary: Vocabulary
  /// The word or BPE tokenizer it reads; nil when its tokens are the characters of `vocabulary`.
  public internal(set) var tokenizer: AnyTokenizer?
  /// The fingerprint of the text a loaded checkpoint was trained on, kept when that corpus was not
  /// found, so that giving it (`train m corpus C`) continues where training stopped.
  public var checkpointCorpusFingerprint: UInt64?
  /// The corpus it trains on, if known (a loaded checkpoint may come without one).
  public var corpus: CorpusEntry?
  /// The session name of that corpus when the model was built (for display).
  public var corpusName: String?
  /// The options of its last `train`, reused for options not given next time.
  public var lastOptions: TrainingOptions?
  /// Training done since it was built, loaded or saved.
  public var hasUnsavedTraining: Bool
  /// Where it was last saved or loaded from.
  public var checkpointPath: String?
  /// The initialisation seed.
  public let seed: UInt64

  /// Creates an entry.
  public init(
    trainer: Trainer, vocabulary: Vocabulary, corpus: CorpusEntry?, corpusName: String?,
    seed: UInt64,
    lastOptions: TrainingOptions? = nil, checkpointPath: String? = nil, tokenizer: AnyTokenizer? = nil
  ) {
    self.trainer = trainer
    self.vocabulary = vocabulary
    self.tokenizer = tokenizer
    self.corpus = corpus
    self.corpusName = corpusName
    self.seed = seed
    self.lastOptions = lastOptions
    self.hasUnsavedTraining = false
    self.checkpointPath = checkpointPath
  }

  /// The model.
  public var model: LanguageModel { trainer.model }
  /// Its configuration.
  public var config: ModelConfig { trainer.model.config }
  /// Training steps done so far.
  public var step: Int { trainer.state.step }
}

/// Something a name in the session refers to.
public enum SessionObject {
  case corpus(CorpusEntry)
  case model(ModelEntry)
  /// A many-to-one classifier (`classifier`, `fit`, `classify`).
  case classifier(ClassifierEntry)
  /// A one-to-many conditional generator (`generator`, `fit`, `sample`, `eval`).
  case generator(GeneratorEntry)
  /// A synced many-to-many tagger (`tagger`, `fit`, `tag`, `eval`).
  case tagger(TaggerEntry)

  /// `corpus`, `model`, `classifier`, `generator` or `tagger`, for messages.
  public var kindName: String {
    switch self {
    case .corpus: "corpus"
    case .model: "model"
    case .classifier: "classifier"
    case .generator: "generator"
    case .tagger: "tagger"
    }
  }
}
