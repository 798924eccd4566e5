import Foundation
import NumericCore
import SafeTensors

/// What a generator checkpoint holds: the network, the training position, and where its words
/// came from (so they can be read and split again).
public struct GeneratorContents {
  public var generator: ConditionalGenerator
  public var trainer: FormTrainer
  /// The TSV file, as written and made absolute when saved; the held-out fraction, the split seed
  /// and the longest word allowed.
  public var dataPath: String
  public var dataAbsolutePath: String?
  public var holdout: Double
  public var seed: UInt64
  public var maxLength: Int

  public init(
    generator: ConditionalGenerator, trainer: FormTrainer, dataPath: String, dataAbsolutePath: String?,
    holdout: Double, seed: UInt64, maxLength: Int
  ) {
    self.generator = generator
    self.trainer = trainer
    self.dataPath = dataPath
    self.dataAbsolutePath = dataAbsolutePath
    self.holdout = holdout
    self.seed = seed
    self.maxLength = maxLength
  }
}

/// What a tagger checkpoint holds: the network, the training position, and where its text and
/// tags came from.
public struct TaggerContents {
  public var tagger: SequenceTagger
  public var trainer: FormTrainer
  /// The corpus file (as written, and absolute) and the split it was read with.
  public var corpusPath: String
  public var corpusAbsolutePath: String?
  public var fractions: SplitFractions
  /// The property's name (`quotes`, `regex "…"` as `regex` plus `pattern`) or the tag file's path.
  public var property: TextProperty?
  public var tagFile: String?
  /// Characters per chunk.
  public var length: Int

  public init(
    tagger: SequenceTagger, trainer: FormTrainer, corpusPath: String, corpusAbsolutePath: String?,
    fractions: SplitFractions, property: TextProperty?, tagFile: String?, length: Int
  ) {
    self.tagger = tagger
    self.trainer = trainer
    self.corpusPath = corpusPath
    self.corpusAbsolutePath = corpusAbsolutePath
    self.fractions = fractions
    self.property = property
    self.tagFile = tagFile
    self.length = length
  }
}

/// Saving and loading a ``ConditionalGenerator`` or a ``SequenceTagger`` as one `.safetensors`
/// file, written and validated as ``ClassifierCheckpoint`` does (atomic write with checksums;
/// metadata, every tensor's name, dtype and shape, finiteness checked on load).
///
/// Tensors under PyTorch's names: a generator's are those of `Embedding(V, E) → RNN/LSTM/GRU(E + C,
/// H) → Linear(H, V)`, so `rnn.weight_ih_l0` is `[G·H, E + C]`, the label one-hot's columns last;
/// a tagger's are the body's without the decoder plus `head.weight` `[K, H]` and `head.bias` `[K]`.
/// Training state: `optimizer.step` I64 [1], `optimizer.body.<slot>` and `optimizer.extra.<slot>`
/// F32 flat (the body in `ParameterLayout` order; the extra part the label rows `[C, G·H]` or
/// the head), `state.position` I64 [3] (updates, epoch, cursor), `state.losses` and
/// `state.validation` F64 [k, 2] (step, loss). Metadata: `format` (`rnn-playground-generator`
/// or `rnn-playground-tagger`), `format_version`, `config`, `vocab`, `labels` or `tags` (JSON
/// arrays) and `data`.
public enum FormCheckpoint {
  static let generatorFormat = "rnn-playground-generator"
  static let taggerFormat = "rnn-playground-tagger"
  static let version = "1"

  public static func isForm(_ file: SafeTensorsFile) -> Bool {
    [generatorFormat, taggerFormat].contains(file.metadata["format"] ?? "")
  }

  public static func save(_ contents: GeneratorContents, to path: String) throws(CheckpointError) {
    do { try encode(contents).write(path: path) } catch { throw .file(path: path, error) }
  }

  public static func save(_ contents: TaggerContents, to path: String) throws(CheckpointError) {
    do { try encode(contents).write(path: path) } catch { throw .file(path: path, error) }
  }

  public static func encode(_ c: GeneratorContents) throws(SafeTensorsError) -> SafeTensorsFile {
    let g = c.generator, config = g.body.config
    var file = try SafeTensorsFile()
    for (name, shape) in g.tensorShapes {
      try file.append(TensorEntry(name: name, shape: shape, values: g.tensor(named: name)!))
    }
    try appendTraining(c.trainer, to: &file)
    var data: [String: Any] = [
      "path": c.dataPath, "holdout": "\(c.holdout)", "seed": "\(c.seed)", "max_length": "\(c.maxLength)",
    ]
    if let absolute = c.dataAbsolutePath { data["absolute_path"] = absolute }
    file.metadata = [
      "format": generatorFormat, "format_version": version, "config": CheckpointMetadata.encodeConfig(config),
      "vocab": CheckpointMetadata.encodeVocabulary(g.vocabulary), "labels": CheckpointMetadata.json(g.labels),
      "data": CheckpointMetadata.json(data),
    ]
    return file
  }

  public static func encode(_ c: TaggerContents) throws(SafeTensorsError) -> SafeTensorsFile {
    let t = c.tagger, config = t.body.config
    var file = try SafeTensorsFile()
    for (name, shape) in t.tensorShapes {
      try file.append(TensorEntry(name: name, shape: shape, values: t.tensor(named: name)!))
    }
    try appendTraining(c.trainer, to: &file)
    var data: [String: Any] = [
      "path": c.corpusPath, "split": ["\(c.fractions.train)", "\(c.fractions.validation)"], "length": "\(c.length)",
      "seed": "\(c.trainer.seed)",
    ]
    if let absolute = c.corpusAbsolutePath { data["absolute_path"] = absolute }
    if case .regex(let pattern) = c.property {
      data["property"] = "regex"
      data["pattern"] = pattern
    } else if let p = c.property {
      data["property"] = p.name
    }
    if let tagFile = c.tagFile { data["tags"] = tagFile }
    file.metadata = [
      "format": taggerFormat, "format_version": version, "config": CheckpointMetadata.encodeConfig(config),
      "vocab": CheckpointMetadata.encodeVocabulary(t.vocabulary), "tags": CheckpointMetadata.json(t.tags),
      "data": CheckpointMetadata.json(data),
    ]
    return file
  }

  private static func appendTraining(_ t: FormTrainer, to file: inout SafeTensorsFile) throws(SafeTensorsError) {
    try file.append(TensorEntry(name: "optimizer.step", shape: [1], values: [Int64(t.bodyState.step)]))
    for slot in t.optimizer.slotNames {
      let body = t.bodyState.slots[slot]!, extra = t.extraState.slots[slot]!
      try file.append(TensorEntry(name: "optimizer.body.\(slot)", shape: [body.count], values: body))
      try file.append(TensorEntry(name: "optimizer.extra.\(slot)", shape: [extra.count], values: extra))
    }
    try file.append(TensorEntry(name: "state.position", shape: [3], values: [t.step, t.epoch, t.cursor].map(Int64.init)))
    for (name, records) in [("state.losses", t.losses), ("state.validation", t.validation)] {
      try file.append(
        TensorEntry(name: name, shape: [records.count, 2], values: records.flatMap { [Double($0.step), $0.loss] }))
    }
  }
}
