import RNNTokenizers
import NumericCore
import SafeTensors

/// Saving and loading a model with its training state as one `.safetensors` file.
///
/// Tensors: the model's under PyTorch's names (`encoder.weight`, `rnn.weight_ih_l0`, …,
/// `decoder.bias`; see `ParameterLayout`), and — when training state is saved — under prefixes a
/// PyTorch loader can filter:
/// - `optimizer.step` I64 [1]; `optimizer.<slot>.<parameter name>` F32, shaped like the parameter
///   (slots: `exp_avg`, `exp_avg_sq`, `square_avg`, `sum`, `momentum_buffer`);
/// - `state.step`, `state.epoch` I64 [1]; `state.batch_seq` I64 [2] (B, T); `state.cursors` I64 [B]
///   (every stream's offset into its stream); `state.hidden.h` (and for the LSTM `state.hidden.c`)
///   F32 [L, B, H]; `state.rng` U64 [4]; `state.train_losses` F32 [steps];
///   `state.validation_losses` F64 [k, 2] (step, nats/char).
/// Tied weights (`config.tied`): SafeTensors has no aliasing, so the one shared block is written
/// twice, as `encoder.weight` and `decoder.weight` (what PyTorch's `state_dict` of a tied module
/// holds, so word_language_model's `--tied` loads it); on reading the two must be equal. Its
/// optimizer slots are written once, under `encoder.weight`.
/// Metadata: see `CheckpointMetadata`. The SafeTensors writer adds per-tensor CRC-32Cs and writes
/// atomically (temporary file, fsync, rename, fsync of the directory).
public enum ModelCheckpoint {
  /// Writes `contents` to `path` atomically; an existing file is replaced only once the new one is
  /// complete on disk.
  public static func save(_ contents: CheckpointContents, to path: String) throws(CheckpointError) {
    do {
      try encode(contents).write(path: path)
    } catch {
      throw .file(path: path, error)
    }
  }

  /// The file's bytes-to-be, for tests and for callers that write elsewhere.
  public static func encode(_ c: CheckpointContents) throws(SafeTensorsError) -> SafeTensorsFile {
    let layout = ParameterLayout(config: c.config)
    precondition(c.parameters.count == layout.totalCount, "parameter count does not match the configuration")
    var file = try SafeTensorsFile()
    func add(_ name: String, _ shape: [Int], _ values: [Float]) throws(SafeTensorsError) {
      try file.append(TensorEntry(name: name, shape: shape, values: values))
    }
    for e in layout.entries {
      try add(e.name, e.shape, Array(c.parameters[e.offset..<(e.offset + e.count)]))
    }
    if layout.tied, let e = layout.entry(named: "decoder.weight") {
      try add(e.name, e.shape, Array(c.parameters[e.offset..<(e.offset + e.count)]))
    }
    var metadata: [String: String] = [
      "format": CheckpointMetadata.format, "format_version": CheckpointMetadata.version,
      "config": CheckpointMetadata.encodeConfig(c.config), "vocab": CheckpointMetadata.encodeVocabulary(c.vocabulary),
    ]
    if let tokenizer = c.tokenizer { metadata["tokenizer"] = tokenizer.serialized }
    if let options = c.options { metadata["training"] = CheckpointMetadata.encodeOptions(options) }
    if let path = c.corpusPath ?? c.corpusFingerprint.map({ _ in "" }) {
      var corpus: [String: Any] = ["path": path, "fingerprint": c.corpusFingerprint.map { String($0, radix: 16) } ?? ""]
      if let absolute = c.corpusAbsolutePath { corpus["absolute_path"] = absolute }
      // As decimal strings: the shortest text that reads back as the same Double.
      if let split = c.corpusSplit { corpus["split"] = ["\(split.train)", "\(split.validation)"] }
      metadata["corpus"] = CheckpointMetadata.json(corpus)
    }
    if let s = c.training {
      precondition(c.options != nil, "training state needs its options")
      metadata["step"] = String(s.step)
      metadata["epoch"] = String(s.epoch)
      let whole = s.validationLosses.filter { $0.characters == nil }
      if let last = whole.last { metadata["val_loss"] = String(last.loss) }
      if let best = whole.map(\.loss).min() { metadata["best_val_loss"] = String(best) }
      try file.append(TensorEntry(name: "optimizer.step", shape: [1], values: [Int64(s.optimizer.step)]))
      for slot in s.optimizer.slots.keys.sorted() {
        let values = s.optimizer.slots[slot]!
        for e in layout.entries {
          try add("optimizer.\(slot).\(e.name)", e.shape, Array(values[e.offset..<(e.offset + e.count)]))
        }
      }
      try file.append(TensorEntry(name: "state.step", shape: [1], values: [Int64(s.step)]))
      try file.append(TensorEntry(name: "state.epoch", shape: [1], values: [Int64(s.epoch)]))
      try file.append(TensorEntry(name: "state.batch_seq", shape: [2], values: [Int64(s.batch), Int64(s.seq)]))
      try file.append(TensorEntry(name: "state.cursors", shape: [s.batch], values: [Int64](repeating: Int64(s.cursor), count: s.batch)))
      let hiddenShape = [s.hidden.layers, s.hidden.batch, s.hidden.hidden]
      try add("state.hidden.h", hiddenShape, s.hidden.h)
      if c.config.cell.hasCellState { try add("state.hidden.c", hiddenShape, s.hidden.c) }
      try file.append(TensorEntry(name: "state.rng", shape: [4], values: s.rng.stateWords))
      try add("state.train_losses", [s.trainLosses.count], s.trainLosses)
      let pairs = s.validationLosses.flatMap { [Double($0.step), Double($0.loss)] }
      try file.append(TensorEntry(name: "state.validation_losses", shape: [s.validationLosses.count, 2], values: pairs))
      if s.validationLosses.contains(where: { $0.characters != nil }) {
        // Only when some evaluation was limited (0: the whole split), so older readers still load
        // the usual checkpoint.
        let limits = s.validationLosses.map { Int64($0.characters ?? 0) }
        try file.append(TensorEntry(name: "state.validation_limits", shape: [limits.count], values: limits))
      }
      try appendScheduleAndStopping(s, to: &file)
    }
    file.metadata = metadata
    return file
  }

  /// The optional tensors of the plateau schedule and of early stopping (only when the state has
  /// them, so checkpoints without them read as before): `state.plateau` F64 [4],
  /// `state.early_stopping` F64 [4] and `state.early_stopping.best_parameters` F32 [P].
  private static func appendScheduleAndStopping(_ s: TrainingState, to file: inout SafeTensorsFile) throws(SafeTensorsError) {
    if let plateau = s.plateau {
      try file.append(TensorEntry(name: "state.plateau", shape: [4], values: plateau.values))
    }
    if let stopping = s.earlyStopping {
      try file.append(TensorEntry(name: "state.early_stopping", shape: [4], values: stopping.values))
      if let best = stopping.bestParameters {
        try file.append(TensorEntry(name: "state.early_stopping.best_parameters", shape: [best.count], values: best))
      }
    }
  }

  /// Reads and validates the checkpoint at `path`: structure and checksums (SafeTensors), then
  /// the metadata, every expected tensor's name, dtype and shape for the stated configuration, the
  /// vocabulary against the embedding, finiteness of the parameters, and the training state.
  public static func load(path: String) throws(CheckpointError) -> CheckpointContents {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.read(path: path) } catch { throw .file(path: path, error) }
    return try decode(file, path: path)
  }

  public static func decode(_ file: SafeTensorsFile, path: String) throws(CheckpointError) -> CheckpointContents {
    let reader = MetadataReader(path: path)
    let meta = file.metadata
    if let format = meta["format"], format != CheckpointMetadata.format {
      throw reader.invalid("metadata 'format' is '\(format)', expected '\(CheckpointMetadata.format)'")
    }
    if let version = meta["format_version"], version != CheckpointMetadata.version {
      throw reader.invalid("format_version \(version) is not supported (this build reads version \(CheckpointMetadata.version))")
    }
    var config = try reader.config(meta["config"])
    let vocabulary = try reader.vocabulary(meta["vocab"])
    let tokenizer = try reader.tokenizer(meta["tokenizer"])
    if config.vocabSize == 0 { config.vocabSize = tokenizer?.vocabularySize ?? vocabulary.count }
    if let tokenizer {
      guard config.vocabSize == tokenizer.vocabularySize else {
        throw reader.invalid("config.vocab_size is \(config.vocabSize) but the tokenizer has \(tokenizer.vocabularySize) tokens")
      }
    } else if config.vocabSize != vocabulary.count {
      throw reader.invalid("config.vocab_size is \(config.vocabSize) but 'vocab' lists \(vocabulary.count) characters")
    }
    do { try config.validate() } catch { throw reader.invalid("\(error)") }
    var notes: [String] = []
    if case .absent = file.checksumStatus { notes.append("no checksum in the file: structure validated, tensor bytes not verified") }

    let tensors = TensorReader(file: file, reader: reader)
    let layout = ParameterLayout(config: config)
    let known = Set(layout.entries.map(\.name) + (layout.tied ? ["decoder.weight"] : []))
    for name in file.names where !known.contains(name) && !name.hasPrefix("optimizer.") && !name.hasPrefix("state.") {
      throw reader.invalid("unexpected tensor '\(name)' for a \(config.layers)-layer \(config.cell.displayName)")
    }
    var parameters = [Float](repeating: 0, count: layout.totalCount)
    for e in layout.entries {
      let values = try tensors.floats(e.name, shape: e.shape)
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw reader.invalid("tensor '\(e.name)' holds a non-finite value (\(values[bad])) at element \(bad)")
      }
      parameters.replaceSubrange(e.offset..<(e.offset + e.count), with: values)
    }
    if layout.tied, let e = layout.entry(named: "decoder.weight") {
      let decoder = try tensors.floats(e.name, shape: e.shape)
      guard decoder == Array(parameters[e.offset..<(e.offset + e.count)]) else {
        throw reader.invalid("config.tied says encoder.weight and decoder.weight are one tensor, but they differ")
      }
    }
    let options = try reader.options(meta["training"])
    var contents = CheckpointContents(config: config, vocabulary: vocabulary, parameters: parameters, options: options, notes: notes)
    contents.tokenizer = tokenizer
    if let corpus = meta["corpus"] {
      let o = try reader.object(corpus, key: "corpus")
      contents.corpusPath = (o["path"] as? String).flatMap { $0.isEmpty ? nil : $0 }
      contents.corpusAbsolutePath = (o["absolute_path"] as? String).flatMap { $0.hasPrefix("/") || $0.hasPrefix("[") ? $0 : nil }
      contents.corpusFingerprint = (o["fingerprint"] as? String).flatMap { UInt64($0, radix: 16) }
      if let split = (o["split"] as? [String])?.compactMap(Double.init), split.count == 2, split[0] > 0, split[0] <= 1, split[1] >= 0,
        split[0] + split[1] <= 1 + 1e-9
      {
        contents.corpusSplit = SplitFractions(train: split[0], validation: split[1])
      }
    }
    if file.names.contains(where: { $0.hasPrefix("optimizer.") || $0.hasPrefix("state.") }) {
      guard let options else { throw reader.invalid("it has training state but no 'training' metadata") }
      contents.training = try tensors.trainingState(config: config, layout: layout, options: options)
    } else {
      contents.notes.append("no training state: the optimizer starts fresh")
    }
    return contents
  }
}
