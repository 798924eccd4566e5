import RNNModels

/// A sequence-to-sequence model held by the session: the network, its training position, and its
/// pairs (encoded) split into training and held-out sets.
public final class Seq2SeqEntry {
  public let model: Seq2SeqModel
  public var trainer: Seq2SeqTrainer
  /// The TSV file it was built from, as written.
  public let path: String
  /// The held-out fraction the pairs were split with (the seed is the trainer's).
  public let holdoutFraction: Double
  /// Empty for a loaded model whose file is not available (it translates, but cannot be fitted).
  public let train: [Seq2SeqExample]
  public let holdout: [Seq2SeqExample]

  /// A new model's entry: `train` and `holdout` encode with its vocabularies (built from all pairs).
  public init(model: Seq2SeqModel, path: String, train: Seq2SeqData, holdout: Seq2SeqData, holdoutFraction: Double, seed: UInt64) {
    self.model = model
    self.path = path
    self.holdoutFraction = holdoutFraction
    self.train = train.encoded(for: model) ?? []
    self.holdout = holdout.encoded(for: model) ?? []
    trainer = Seq2SeqTrainer(model: model, seed: seed)
  }

  /// A model read from a checkpoint, with its pairs when its file could be read again and fits
  /// its vocabularies.
  public init(loaded contents: Seq2SeqContents, path: String, data: Seq2SeqData?) {
    model = contents.model
    trainer = contents.trainer
    self.path = path
    holdoutFraction = contents.holdout
    let split = data?.split(holdout: contents.holdout, seed: contents.trainer.seed)
    let train = split.flatMap { $0.train.encoded(for: contents.model) }
    let holdout = split.flatMap { $0.holdout.encoded(for: contents.model) }
    self.train = holdout == nil ? [] : train ?? []
    self.holdout = train == nil ? [] : holdout ?? []
  }
}
