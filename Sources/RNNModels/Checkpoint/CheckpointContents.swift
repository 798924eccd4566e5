/// Everything one checkpoint file holds: the model (config, vocabulary, parameters) and, when it
/// was saved by a training session, everything needed to continue training exactly where it
/// stopped. A file holding only model tensors (e.g. written by PyTorch) gives `training == nil`.
public struct CheckpointContents: Sendable {
  public var config: ModelConfig
  public var vocabulary: Vocabulary
  /// All parameters in `ParameterLayout` order.
  public var parameters: [Float]
  /// Optimizer slots, step counts, cursor, carried hidden state, RNG, loss history.
  public var training: TrainingState?
  /// The options the model was last trained with (learning rate, batch, schedule, …).
  public var options: TrainingOptions?
  /// The corpus it was trained on (as the user wrote the path, relative to where `rnn` ran), and
  /// that corpus's fingerprint (FNV-1a 64 of its bytes).
  public var corpusPath: String?
  /// The same corpus path made absolute when saving, so a checkpoint loaded from another
  /// directory still finds its corpus.
  public var corpusAbsolutePath: String?
  public var corpusFingerprint: UInt64?
  /// The train/validation fractions the corpus was split with.
  public var corpusSplit: SplitFractions?
  /// Things the user should be told on load ("no checksum", "no optimizer state").
  public var notes: [String]

  public init(
    config: ModelConfig, vocabulary: Vocabulary, parameters: [Float], training: TrainingState? = nil,
    options: TrainingOptions? = nil, corpusPath: String? = nil, corpusFingerprint: UInt64? = nil, notes: [String] = []
  ) {
    self.config = config
    self.vocabulary = vocabulary
    self.parameters = parameters
    self.training = training
    self.options = options
    self.corpusPath = corpusPath
    self.corpusFingerprint = corpusFingerprint
    self.corpusSplit = nil
    self.corpusAbsolutePath = nil
    self.notes = notes
  }

  /// The contents of a live model: its parameters, and with `trainer` its whole training state.
  public init(
    model: LanguageModel, vocabulary: Vocabulary, trainer: Trainer?, options: TrainingOptions?, corpus: Corpus?
  ) {
    self.init(
      config: model.config, vocabulary: vocabulary, parameters: model.parameters.array,
      training: options == nil ? nil : trainer?.state, options: options, corpusPath: corpus?.source,
      corpusFingerprint: corpus?.fingerprint)
    corpusSplit = corpus?.fractions
  }

  /// A model built from these parameters, and a trainer that continues from the saved state
  /// (or starts fresh with `fallbackOptions` when the file has none).
  public func makeTrainer(fallbackOptions: TrainingOptions = TrainingOptions(), seed: UInt64 = 0) throws(ModelError) -> Trainer {
    let model = try LanguageModel(config: config, parameters: parameters)
    let state =
      training
      ?? TrainingState(
        config: config, options: options ?? fallbackOptions, parameterCount: model.parameterCount, seed: seed)
    return Trainer(model: model, state: state)
  }

  /// A warning when this checkpoint was trained on a different text than `corpus`, else nil.
  public func corpusWarning(against corpus: Corpus) -> String? {
    guard let fingerprint = corpusFingerprint, fingerprint != corpus.fingerprint else { return nil }
    return "this checkpoint was trained on \(corpusPath ?? "another corpus") "
      + "(fingerprint \(String(fingerprint, radix: 16))), not on \(corpus.source) "
      + "(fingerprint \(String(corpus.fingerprint, radix: 16))); training continues on the new text"
  }
}
