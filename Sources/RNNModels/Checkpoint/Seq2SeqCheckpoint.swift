import Foundation
import NumericCore
import SafeTensors

/// What a sequence-to-sequence checkpoint holds: the network, the training position (so `fit`
/// continues exactly), and where its pairs came from (so they can be read and split again).
public struct Seq2SeqContents {
  public var model: Seq2SeqModel
  public var trainer: Seq2SeqTrainer
  public var dataPath: String
  public var dataAbsolutePath: String?
  public var holdout: Double

  public init(model: Seq2SeqModel, trainer: Seq2SeqTrainer, dataPath: String, dataAbsolutePath: String? = nil, holdout: Double) {
    self.model = model
    self.trainer = trainer
    self.dataPath = dataPath
    self.dataAbsolutePath = dataAbsolutePath
    self.holdout = holdout
  }
}

/// Saving and loading a ``Seq2SeqModel`` as one `.safetensors` file, written and validated as
/// ``ClassifierCheckpoint`` does (atomic write with checksums; every name, shape and value checked).
///
/// Tensors, under the names of the PyTorch module in `scripts/python/make_seq2seq_fixtures.py`
/// (`load_state_dict` takes them): `encoder.embedding.weight` [Vs, E], `encoder.rnn.weight_ih_l0`
/// … (`nn.RNN/LSTM/GRU` names), `decoder.embedding.weight` [Vt, E], `decoder.rnn.*`,
/// `decoder.out.weight` [Vt, H], `decoder.out.bias` [Vt]; with attention `attention.score.weight`
/// [H, H] (`W_a`) and `attention.combine.weight` [H, 2H] (`W_c`). Training: `optimizer.step` I64
/// [1], `optimizer.{encoder,decoder,attention}.<slot>` F32 flat in parameter order,
/// `state.position` I64 [3] (steps, epoch, batches of the epoch done), `state.losses` F32.
/// Metadata: `format` = `rnn-playground-seq2seq`, `format_version`, `config` (a language model's,
/// `vocab_size` = Vt, plus `"attention"`), `source_vocab`, `target_vocab` (characters; token 0 is
/// the start/end marker), `data` (`{"path", "absolute_path", "holdout", "seed"}`).
public enum Seq2SeqCheckpoint {
  static let format = "rnn-playground-seq2seq"
  static let version = "1"

  public static func isSeq2Seq(_ file: SafeTensorsFile) -> Bool { file.metadata["format"] == format }

  public static func save(_ contents: Seq2SeqContents, to path: String) throws(CheckpointError) {
    do { try encode(contents).write(path: path) } catch { throw .file(path: path, error) }
  }

  /// PyTorch's name for each model tensor, with where its values live.
  static func tensors(_ m: Seq2SeqModel) -> [(name: String, shape: [Int], pointer: UnsafeMutablePointer<Float>)] {
    var out: [(String, [Int], UnsafeMutablePointer<Float>)] = []
    for (part, net) in [("encoder", m.encoder), ("decoder", m.decoder)] {
      for e in net.layout.entries {
        let name: String
        switch e.name {
        case "encoder.weight": name = "\(part).embedding.weight"
        case "decoder.weight": name = "\(part).out.weight"
        case "decoder.bias": name = "\(part).out.bias"
        default: name = "\(part).\(e.name)"
        }
        if part == "encoder" && e.offset >= m.encoderCount { continue }
        out.append((name, e.shape, net.parameters.pointer + e.offset))
      }
    }
    if m.usesAttention {
      let H = m.hidden
      out.append(("attention.score.weight", [H, H], m.scoreWeight))
      out.append(("attention.combine.weight", [H, 2 * H], m.combineWeight))
    }
    return out
  }

  public static func encode(_ c: Seq2SeqContents) throws(SafeTensorsError) -> SafeTensorsFile {
    let m = c.model, t = c.trainer
    var file = try SafeTensorsFile()
    for (name, shape, p) in tensors(m) {
      try file.append(TensorEntry(name: name, shape: shape, values: Array(UnsafeBufferPointer(start: p, count: shape.reduce(1, *)))))
    }
    try file.append(TensorEntry(name: "optimizer.step", shape: [1], values: [Int64(t.decoderState.step)]))
    for slot in t.optimizer.slotNames {
      for (group, state) in [("encoder", t.encoderState), ("decoder", t.decoderState), ("attention", t.attentionState)] {
        let values = state.slots[slot]!
        try file.append(TensorEntry(name: "optimizer.\(group).\(slot)", shape: [values.count], values: values))
      }
    }
    try file.append(TensorEntry(name: "state.position", shape: [3], values: [Int64(t.steps), Int64(t.epoch), Int64(t.position)]))
    try file.append(TensorEntry(name: "state.losses", shape: [t.losses.count], values: t.losses))
    var config = CheckpointMetadata.encodeConfig(m.decoder.config)
    config.removeLast()
    config += ",\"attention\":\(m.usesAttention)}"
    var data: [String: Any] = ["path": c.dataPath, "holdout": "\(c.holdout)", "seed": "\(t.seed)"]
    if let absolute = c.dataAbsolutePath { data["absolute_path"] = absolute }
    file.metadata = [
      "format": format, "format_version": version, "config": config,
      "source_vocab": CheckpointMetadata.encodeVocabulary(m.sourceVocabulary),
      "target_vocab": CheckpointMetadata.encodeVocabulary(m.targetVocabulary), "data": CheckpointMetadata.json(data),
    ]
    return file
  }

  public static func load(path: String) throws(CheckpointError) -> Seq2SeqContents {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(path: path) } catch { throw .file(path: path, error) }
    return try decode(file, path: path)
  }

  public static func decode(_ file: SafeTensorsFile, path: String) throws(CheckpointError) -> Seq2SeqContents {
    let reader = MetadataReader(path: path)
    let meta = file.metadata
    guard meta["format"] == format else { throw reader.invalid("metadata 'format' is '\(meta["format"] ?? "")', expected '\(format)'") }
    try reader.requireVersion(meta, version)
    let config = try reader.config(meta["config"])
    let attention = try reader.object(meta["config"], key: "config")["attention"] as? Bool ?? false
    let source = try reader.vocabulary(meta["source_vocab"]), target = try reader.vocabulary(meta["target_vocab"])
    guard config.vocabSize == target.count + 1 else {
      throw reader.invalid("config.vocab_size is \(config.vocabSize) but 'target_vocab' lists \(target.count) characters (+1 marker)")
    }
    let data = try reader.object(meta["data"], key: "data")
    guard let dataPath = data["path"] as? String, let holdout = Double(data["holdout"] as? String ?? ""),
      (0..<1).contains(holdout), let seed = UInt64(data["seed"] as? String ?? "")
    else { throw reader.invalid("metadata 'data' must hold a path, a holdout fraction in [0, 1) and a seed") }
    let model: Seq2SeqModel
    do {
      model = try Seq2SeqModel(
        cell: config.cell, source: source, target: target, embed: config.embed, hidden: config.hidden,
        layers: config.layers, dropout: config.dropout, attention: attention, seed: 0)
    } catch { throw reader.invalid("\(error)") }
    let tensors = TensorReader(file: file, reader: reader)
    let expected = Self.tensors(model)
    let known = Set(expected.map(\.name))
    for name in file.names where !known.contains(name) && !name.hasPrefix("optimizer.") && !name.hasPrefix("state.") {
      throw reader.invalid("unexpected tensor '\(name)' for this sequence-to-sequence model")
    }
    for (name, shape, p) in expected {
      let values = try tensors.floats(name, shape: shape)
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw reader.invalid("tensor '\(name)' holds a non-finite value (\(values[bad])) at element \(bad)")
      }
      p.update(from: values, count: values.count)
    }
    let trainer = try readTrainer(model, seed: seed, tensors, reader)
    return Seq2SeqContents(
      model: model, trainer: trainer, dataPath: dataPath,
      dataAbsolutePath: (data["absolute_path"] as? String).flatMap { $0.hasPrefix("/") ? $0 : nil }, holdout: holdout)
  }

  private static func readTrainer(_ m: Seq2SeqModel, seed: UInt64, _ tensors: TensorReader, _ reader: MetadataReader)
    throws(CheckpointError) -> Seq2SeqTrainer
  {
    var t = Seq2SeqTrainer(model: m, seed: seed)
    let step = try tensors.nonNegative("optimizer.step")
    t.encoderState.step = step
    t.decoderState.step = step
    t.attentionState.step = m.attention.count > 0 ? step : 0
    var expected: Set<String> = ["optimizer.step", "state.position", "state.losses"]
    for slot in t.optimizer.slotNames {
      t.encoderState.slots[slot] = try tensors.floats("optimizer.encoder.\(slot)", shape: [m.encoderCount])
      t.decoderState.slots[slot] = try tensors.floats("optimizer.decoder.\(slot)", shape: [m.decoderCount])
      t.attentionState.slots[slot] = try tensors.floats("optimizer.attention.\(slot)", shape: [m.attention.count])
      expected.formUnion(["encoder", "decoder", "attention"].map { "optimizer.\($0).\(slot)" })
    }
    for name in tensors.file.names where (name.hasPrefix("optimizer.") || name.hasPrefix("state.")) && !expected.contains(name) {
      throw reader.invalid("unexpected tensor '\(name)'")
    }
    let position = try tensors.ints("state.position", shape: [3])
    guard position.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else { throw reader.invalid("state.position must hold counts ≥ 0") }
    (t.steps, t.epoch, t.position) = (Int(position[0]), Int(position[1]), Int(position[2]))
    let losses = try tensors.count("state.losses", rank: 1)
    t.losses = try tensors.floats("state.losses", shape: losses)
    guard t.losses.count == t.steps else { throw reader.invalid("state.losses holds \(t.losses.count) values for \(t.steps) steps") }
    return t
  }
}
