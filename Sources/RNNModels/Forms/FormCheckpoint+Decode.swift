import Foundation
import NumericCore
import SafeTensors

extension FormCheckpoint {
  /// A decoded form checkpoint.
  public enum Contents {
    case generator(GeneratorContents)
    case tagger(TaggerContents)
  }

  /// Decodes `file` (a generator or a tagger, by its `format`), validating everything.
  public static func decode(_ file: SafeTensorsFile, path: String) throws(CheckpointError) -> Contents {
    let reader = MetadataReader(path: path)
    let meta = file.metadata
    try reader.requireVersion(meta, version)
    let (config, vocabulary) = try reader.characterConfig(meta)
    let data = try reader.object(meta["data"], key: "data")
    let tensors = TensorReader(file: file, reader: reader)
    if meta["format"] == generatorFormat {
      return .generator(try decodeGenerator(config, vocabulary, data, meta, tensors))
    }
    return .tagger(try decodeTagger(config, vocabulary, data, meta, tensors))
  }

  private static func decodeGenerator(
    _ config: ModelConfig, _ vocabulary: Vocabulary, _ data: [String: Any], _ meta: [String: String], _ tensors: TensorReader
  ) throws(CheckpointError) -> GeneratorContents {
    let reader = tensors.reader
    let labels = try names(meta["labels"], key: "labels", minimum: 1, reader)
    guard let dataPath = data["path"] as? String, let holdout = Double(data["holdout"] as? String ?? ""),
      (0..<1).contains(holdout), let seed = UInt64(data["seed"] as? String ?? ""),
      let maxLength = Int(data["max_length"] as? String ?? ""), maxLength > 0
    else { throw reader.invalid("metadata 'data' must hold a path, a holdout fraction in [0, 1), a seed and a max_length") }
    let g: ConditionalGenerator
    do {
      g = try ConditionalGenerator(
        cell: config.cell, vocabulary: vocabulary, labels: labels, embed: config.embed, hidden: config.hidden,
        layers: config.layers, seed: 0)
    } catch { throw reader.invalid("\(error)") }
    try readTensors(g.tensorShapes, tensors) { (name, values) throws(ModelError) in try g.setTensor(named: name, to: values) }
    try rejectUnknown(Set(g.tensorShapes.map(\.name)), tensors, what: "\(config.layers)-layer \(config.cell.displayName) generator")
    let trainer = try readTrainer(bodyCount: g.bodyCount, extraCount: g.extra.count, seed: seed, tensors)
    return GeneratorContents(
      generator: g, trainer: trainer, dataPath: dataPath,
      dataAbsolutePath: (data["absolute_path"] as? String).flatMap { $0.hasPrefix("/") ? $0 : nil }, holdout: holdout,
      seed: seed, maxLength: maxLength)
  }

  private static func decodeTagger(
    _ config: ModelConfig, _ vocabulary: Vocabulary, _ data: [String: Any], _ meta: [String: String], _ tensors: TensorReader
  ) throws(CheckpointError) -> TaggerContents {
    let reader = tensors.reader
    let tags = try names(meta["tags"], key: "tags", minimum: 2, reader)
    let split = (data["split"] as? [String] ?? []).compactMap(Double.init)
    guard let corpusPath = data["path"] as? String, split.count == 2, split[0] > 0, split[0] + split[1] <= 1,
      let length = Int(data["length"] as? String ?? ""), length > 0, let seed = UInt64(data["seed"] as? String ?? "")
    else { throw reader.invalid("metadata 'data' must hold a path, a split [train, validation], a length and a seed") }
    var property: TextProperty?
    if let name = data["property"] as? String {
      guard let p = TextProperty(name: name, pattern: data["pattern"] as? String) else {
        throw reader.invalid("metadata 'data.property' '\(name)' is not a known property")
      }
      property = p
    }
    let tagFile = data["tags"] as? String
    guard (property == nil) != (tagFile == nil) else { throw reader.invalid("metadata 'data' must hold either a property or a tag file") }
    let t: SequenceTagger
    do {
      t = try SequenceTagger(
        cell: config.cell, vocabulary: vocabulary, tags: tags, embed: config.embed, hidden: config.hidden,
        layers: config.layers, seed: 0)
    } catch { throw reader.invalid("\(error)") }
    try readTensors(t.tensorShapes, tensors) { (name, values) throws(ModelError) in try t.setTensor(named: name, to: values) }
    try rejectUnknown(Set(t.tensorShapes.map(\.name)), tensors, what: "\(config.layers)-layer \(config.cell.displayName) tagger")
    let trainer = try readTrainer(bodyCount: t.bodyCount, extraCount: t.extra.count, seed: seed, tensors)
    return TaggerContents(
      tagger: t, trainer: trainer, corpusPath: corpusPath,
      corpusAbsolutePath: (data["absolute_path"] as? String).flatMap { $0.hasPrefix("/") ? $0 : nil },
      fractions: SplitFractions(train: split[0], validation: split[1]), property: property, tagFile: tagFile, length: length)
  }

  /// A JSON array of at least `minimum` distinct, non-empty strings.
  private static func names(_ text: String?, key: String, minimum: Int, _ reader: MetadataReader) throws(CheckpointError) -> [String] {
    guard let text, let bytes = text.data(using: .utf8),
      let names = (try? JSONSerialization.jsonObject(with: bytes)) as? [String],
      names.count >= minimum, Set(names).count == names.count, !names.contains("")
    else { throw reader.invalid("metadata '\(key)' must be a JSON array of at least \(minimum) distinct, non-empty strings") }
    return names
  }

  /// Reads every tensor of `shapes` (finite values, exact shapes) and hands it to `set`.
  private static func readTensors(
    _ shapes: [(name: String, shape: [Int])], _ tensors: TensorReader, set: (String, [Float]) throws(ModelError) -> Void
  ) throws(CheckpointError) {
    for (name, shape) in shapes {
      let values = try finite(name, shape, tensors)
      do { try set(name, values) } catch { throw tensors.reader.invalid("\(error)") }
    }
  }

  private static func finite(_ name: String, _ shape: [Int], _ tensors: TensorReader) throws(CheckpointError) -> [Float] {
    let values = try tensors.floats(name, shape: shape)
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw tensors.reader.invalid("tensor '\(name)' holds a non-finite value (\(values[bad])) at element \(bad)")
    }
    return values
  }

  private static func rejectUnknown(_ known: Set<String>, _ tensors: TensorReader, what: String) throws(CheckpointError) {
    for name in tensors.file.names where !known.contains(name) && !name.hasPrefix("optimizer.") && !name.hasPrefix("state.") {
      throw tensors.reader.invalid("unexpected tensor '\(name)' for a \(what)")
    }
  }

  /// Adam's slots and step, the position and the loss histories.
  private static func readTrainer(bodyCount: Int, extraCount: Int, seed: UInt64, _ tensors: TensorReader)
    throws(CheckpointError) -> FormTrainer
  {
    var trainer = FormTrainer(bodyCount: bodyCount, extraCount: extraCount, seed: seed)
    let step = try tensors.nonNegative("optimizer.step")
    trainer.bodyState.step = step
    trainer.extraState.step = step
    var expected: Set<String> = ["optimizer.step", "state.position", "state.losses", "state.validation"]
    for slot in trainer.optimizer.slotNames {
      trainer.bodyState.slots[slot] = try tensors.floats("optimizer.body.\(slot)", shape: [bodyCount])
      trainer.extraState.slots[slot] = try tensors.floats("optimizer.extra.\(slot)", shape: [extraCount])
      expected.formUnion(["optimizer.body.\(slot)", "optimizer.extra.\(slot)"])
    }
    for name in tensors.file.names where (name.hasPrefix("optimizer.") || name.hasPrefix("state.")) && !expected.contains(name) {
      throw tensors.reader.invalid("unexpected tensor '\(name)'")
    }
    let position = try tensors.ints("state.position", shape: [3])
    guard position.allSatisfy({ $0 >= 0 && $0 < Int64(Int32.max) * 1024 }) else {
      throw tensors.reader.invalid("state.position must hold 3 counts ≥ 0")
    }
    (trainer.step, trainer.epoch, trainer.cursor) = (Int(position[0]), Int(position[1]), Int(position[2]))
    trainer.losses = try records("state.losses", tensors)
    trainer.validation = try records("state.validation", tensors)
    return trainer
  }

  private static func records(_ name: String, _ tensors: TensorReader) throws(CheckpointError) -> [FormTrainer.Record] {
    let k = try tensors.count(name, rank: 2)
    guard k[1] == 2, let pairs = try? tensors.entry(name, shape: k).doubles() else {
      throw tensors.reader.invalid("\(name) must be F64 [k, 2]")
    }
    return stride(from: 0, to: pairs.count, by: 2).map { FormTrainer.Record(step: Int(pairs[$0]), loss: pairs[$0 + 1]) }
  }
}
