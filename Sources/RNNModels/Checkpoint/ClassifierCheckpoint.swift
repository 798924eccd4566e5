import Foundation
import NumericCore
import SafeTensors

/// What a classifier checkpoint holds: the network, the optimizer position (so `fit` continues
/// exactly), and where its examples came from (so they can be read and split again).
public struct ClassifierContents {
  public var classifier: SequenceClassifier
  public var trainer: ClassifierTrainer
  /// The TSV file it was built from, as written and made absolute when saved.
  public var dataPath: String
  public var dataAbsolutePath: String?
  /// The held-out fraction and the seed the examples were split with.
  public var holdout: Double
  public var seed: UInt64

  public init(
    classifier: SequenceClassifier, trainer: ClassifierTrainer, dataPath: String, dataAbsolutePath: String? = nil,
    holdout: Double, seed: UInt64
  ) {
    self.classifier = classifier
    self.trainer = trainer
    self.dataPath = dataPath
    self.dataAbsolutePath = dataAbsolutePath
    self.holdout = holdout
    self.seed = seed
  }
}

/// Saving and loading a many-to-one ``SequenceClassifier`` as one `.safetensors` file, written and
/// validated as ``ModelCheckpoint`` does for a language model (atomic write with checksums;
/// structure, metadata, every tensor's name, dtype and shape, finiteness checked on load).
///
/// Tensors: the body's under PyTorch's names (`encoder.weight`, `rnn.weight_ih_l0`, …; no decoder),
/// `head.weight` F32 [C, H] and `head.bias` F32 [C]; Adam's state as `optimizer.step` I64 [1] and
/// `optimizer.body.<slot>` / `optimizer.head.<slot>` F32, flat in parameter order; `state.epochs`
/// I64 [1] and `state.rng` U64 [4]. Metadata: `format` = `rnn-playground-classifier`,
/// `format_version`, `config`, `vocab` (as a language model's), `labels` (JSON array) and `data`
/// (`{"path", "absolute_path", "holdout", "seed"}`).
public enum ClassifierCheckpoint {
  static let format = "rnn-playground-classifier"
  static let version = "1"

  /// Whether `file` is a classifier checkpoint (by its metadata).
  public static func isClassifier(_ file: SafeTensorsFile) -> Bool { file.metadata["format"] == format }

  /// Writes `contents` to `path` atomically.
  public static func save(_ contents: ClassifierContents, to path: String) throws(CheckpointError) {
    do { try encode(contents).write(path: path) } catch { throw .file(path: path, error) }
  }

  /// The file's bytes-to-be, for tests and for callers that write elsewhere.
  public static func encode(_ c: ClassifierContents) throws(SafeTensorsError) -> SafeTensorsFile {
    let model = c.classifier, config = model.body.config
    var file = try SafeTensorsFile()
    for e in ParameterLayout(config: config).entries where e.offset < model.bodyCount {
      let values = Array(UnsafeBufferPointer(start: model.body.parameters.pointer + e.offset, count: e.count))
      try file.append(TensorEntry(name: e.name, shape: e.shape, values: values))
    }
    let C = model.classCount, H = config.hidden
    try file.append(TensorEntry(name: "head.weight", shape: [C, H], values: Array(model.head.array[..<(C * H)])))
    try file.append(TensorEntry(name: "head.bias", shape: [C], values: Array(model.head.array[(C * H)...])))
    try file.append(TensorEntry(name: "optimizer.step", shape: [1], values: [Int64(c.trainer.bodyState.step)]))
    for slot in c.trainer.optimizer.slotNames {
      try file.append(TensorEntry(name: "optimizer.body.\(slot)", shape: [model.bodyCount], values: c.trainer.bodyState.slots[slot]!))
      try file.append(TensorEntry(name: "optimizer.head.\(slot)", shape: [model.head.count], values: c.trainer.headState.slots[slot]!))
    }
    try file.append(TensorEntry(name: "state.epochs", shape: [1], values: [Int64(c.trainer.epochsDone)]))
    try file.append(TensorEntry(name: "state.rng", shape: [4], values: c.trainer.rng.stateWords))
    var data: [String: Any] = ["path": c.dataPath, "holdout": "\(c.holdout)", "seed": "\(c.seed)"]
    if let absolute = c.dataAbsolutePath { data["absolute_path"] = absolute }
    file.metadata = [
      "format": format, "format_version": version, "config": CheckpointMetadata.encodeConfig(config),
      "vocab": CheckpointMetadata.encodeVocabulary(model.vocabulary), "labels": CheckpointMetadata.json(model.labels),
      "data": CheckpointMetadata.json(data),
    ]
    return file
  }

  /// Reads and validates the classifier checkpoint at `path`.
  public static func load(path: String) throws(CheckpointError) -> ClassifierContents {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(path: path) } catch { throw .file(path: path, error) }
    return try decode(file, path: path)
  }

  public static func decode(_ file: SafeTensorsFile, path: String) throws(CheckpointError) -> ClassifierContents {
    let reader = MetadataReader(path: path)
    let meta = file.metadata
    guard meta["format"] == format else {
      throw reader.invalid("metadata 'format' is '\(meta["format"] ?? "")', expected '\(format)'")
    }
    try reader.requireVersion(meta, version)
    let (config, vocabulary) = try reader.characterConfig(meta)
    guard !config.tied else { throw reader.invalid("config.tied is for language models; a classifier has no decoder") }
    let labels = try self.labels(meta["labels"], reader)
    let data = try reader.object(meta["data"], key: "data")
    guard let dataPath = data["path"] as? String, let holdout = Double(data["holdout"] as? String ?? ""),
      (0..<1).contains(holdout), let seed = UInt64(data["seed"] as? String ?? "")
    else { throw reader.invalid("metadata 'data' must hold a path, a holdout fraction in [0, 1) and a seed") }

    let classifier: SequenceClassifier
    do {
      classifier = try SequenceClassifier(
        cell: config.cell, vocabulary: vocabulary, labels: labels, embed: config.embed, hidden: config.hidden,
        layers: config.layers, seed: 0)
    } catch { throw reader.invalid("\(error)") }
    let tensors = TensorReader(file: file, reader: reader)
    try readParameters(into: classifier, tensors, reader)
    let trainer = try readTrainer(for: classifier, tensors, reader)
    return ClassifierContents(
      classifier: classifier, trainer: trainer, dataPath: dataPath,
      dataAbsolutePath: (data["absolute_path"] as? String).flatMap { $0.hasPrefix("/") ? $0 : nil },
      holdout: holdout, seed: seed)
  }

  /// The labels: a JSON array of at least two distinct, non-empty strings.
  private static func labels(_ text: String?, _ reader: MetadataReader) throws(CheckpointError) -> [String] {
    guard let text, let bytes = text.data(using: .utf8),
      let labels = (try? JSONSerialization.jsonObject(with: bytes)) as? [String],
      labels.count >= 2, Set(labels).count == labels.count, !labels.contains("")
    else { throw reader.invalid("metadata 'labels' must be a JSON array of at least 2 distinct, non-empty strings") }
    return labels
  }

  /// The body's tensors (no decoder) and the head's, shapes checked, every value finite; any other
  /// model tensor is an error.
  private static func readParameters(into c: SequenceClassifier, _ tensors: TensorReader, _ reader: MetadataReader)
    throws(CheckpointError)
  {
    let config = c.body.config
    let entries = ParameterLayout(config: config).entries.filter { $0.offset < c.bodyCount }
    let known = Set(entries.map(\.name) + ["head.weight", "head.bias"])
    for name in tensors.file.names where !known.contains(name) && !name.hasPrefix("optimizer.") && !name.hasPrefix("state.") {
      throw reader.invalid("unexpected tensor '\(name)' for a \(config.layers)-layer \(config.cell.displayName) classifier")
    }
    func finite(_ name: String, _ shape: [Int]) throws(CheckpointError) -> [Float] {
      let values = try tensors.floats(name, shape: shape)
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw reader.invalid("tensor '\(name)' holds a non-finite value (\(values[bad])) at element \(bad)")
      }
      return values
    }
    for e in entries {
      let values = try finite(e.name, e.shape)
      for i in 0..<e.count { c.body.parameters.pointer[e.offset + i] = values[i] }
    }
    let C = c.classCount, H = config.hidden
    let head = try finite("head.weight", [C, H]) + finite("head.bias", [C])
    for i in 0..<head.count { c.head.pointer[i] = head[i] }
  }

  /// Adam's slots and step, the epoch count and the shuffling generator.
  private static func readTrainer(for c: SequenceClassifier, _ tensors: TensorReader, _ reader: MetadataReader)
    throws(CheckpointError) -> ClassifierTrainer
  {
    var trainer = ClassifierTrainer(classifier: c, seed: 0)
    let step = try tensors.nonNegative("optimizer.step")
    trainer.bodyState.step = step
    trainer.headState.step = step
    var expected: Set<String> = ["optimizer.step", "state.epochs", "state.rng"]
    for slot in trainer.optimizer.slotNames {
      trainer.bodyState.slots[slot] = try tensors.floats("optimizer.body.\(slot)", shape: [c.bodyCount])
      trainer.headState.slots[slot] = try tensors.floats("optimizer.head.\(slot)", shape: [c.head.count])
      expected.formUnion(["optimizer.body.\(slot)", "optimizer.head.\(slot)"])
    }
    for name in tensors.file.names where (name.hasPrefix("optimizer.") || name.hasPrefix("state.")) && !expected.contains(name) {
      throw reader.invalid("unexpected tensor '\(name)'")
    }
    trainer.epochsDone = try tensors.nonNegative("state.epochs")
    let rngTensor = try tensors.entry("state.rng", shape: [4])
    guard rngTensor.dtype == .u64, let words = try? rngTensor.uint64s(), let rng = RandomGenerator(stateWords: words) else {
      throw reader.invalid("state.rng must be 4 U64 words, not all zero")
    }
    trainer.rng = rng
    return trainer
  }
}

/// What a checkpoint file holds, told apart by its metadata's `format`.
public enum LoadedCheckpoint {
  case model(CheckpointContents)
  case classifier(ClassifierContents)
  case seq2seq(Seq2SeqContents)
  /// A conditional generator or a tagger (`FormCheckpoint`).
  case form(FormCheckpoint.Contents)

  /// Reads `path` once and decodes it as a classifier or a language-model checkpoint.
  public static func load(path: String) throws(CheckpointError) -> LoadedCheckpoint {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(path: path) } catch { throw .file(path: path, error) }
    if ClassifierCheckpoint.isClassifier(file) { return .classifier(try ClassifierCheckpoint.decode(file, path: path)) }
    if Seq2SeqCheckpoint.isSeq2Seq(file) { return .seq2seq(try Seq2SeqCheckpoint.decode(file, path: path)) }
    if FormCheckpoint.isForm(file) { return .form(try FormCheckpoint.decode(file, path: path)) }
    return .model(try ModelCheckpoint.decode(file, path: path))
  }
}
