import Foundation
import RNNTokenizers

/// The `__metadata__` of a checkpoint (all values strings; JSON inside some of them):
///
/// | key | value |
/// |---|---|
/// | `format` | `rnn-playground` |
/// | `format_version` | `1` |
/// | `config` | `{"cell": "lstm", "layers": 2, "hidden": 128, "embed": 64, "dropout": 0, "vocab_size": 65}`, and `"tied": true` for tied weights |
/// | `vocab` | JSON array of distinct one-character strings in token order: sorted by code point, unless the model was carried to a new text (then each extension's characters follow, in the order they were added) |
/// | `training` | `{"batch", "seq", "lr", "optimizer": {…}, "clip": {"mode", "value"}, "schedule": {…}}` |
/// | `corpus` | `{"path": "…", "absolute_path": "…", "fingerprint": "<16 hex digits>", "split": ["0.9", "0.1"]}` (train and validation fractions; a corpus of a list of paths has the list as a JSON array in a string, `"[\"a.txt\", \"notes/\"]"`) |
/// | `step`, `epoch` | decimal integers (for listings; the exact state is in `state.*` tensors) |
/// | `val_loss`, `best_val_loss` | last and best validation loss in nats/char, when known |
/// | `crc32c` | added by the SafeTensors writer: per-tensor CRC-32C |
enum CheckpointMetadata {
  static let format = "rnn-playground"
  static let version = "1"

  static func json(_ object: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }

  /// A short decimal form that converts back to the same Float.
  static func number(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }

  static func encodeConfig(_ c: ModelConfig) -> String {
    var config: [String: Any] = [
      "cell": c.cell.rawValue, "layers": c.layers, "hidden": c.hidden, "embed": c.embed,
      "dropout": number(c.dropout), "vocab_size": c.vocabSize,
    ]
    // Only when tied, so an untied model's metadata reads as before.
    if c.tied { config["tied"] = true }
    return json(config)
  }

  static func encodeVocabulary(_ v: Vocabulary) -> String { json(v.scalars.map { String($0) }) }

  static func encodeOptions(_ o: TrainingOptions) -> String {
    let opt = o.optimizer
    let clip: [String: Any] =
      switch o.clipping {
      case .none: ["mode": "none"]
      case .norm(let c): ["mode": "norm", "value": number(c)]
      case .value(let c): ["mode": "value", "value": number(c)]
      }
    let schedule: [String: Any] =
      switch o.schedule {
      case .constant: ["kind": "constant"]
      case .step(let every, let gamma): ["kind": "step", "every": every, "gamma": number(gamma)]
      case .exponential(let gamma): ["kind": "exponential", "gamma": number(gamma)]
      case .cosine(let warmup, let total, let floor): ["kind": "cosine", "warmup": warmup, "total": total, "floor": number(floor)]
      case .plateau(let gamma, let patience, let cooldown, let floor):
        ["kind": "plateau", "gamma": number(gamma), "patience": patience, "cooldown": cooldown, "floor": number(floor)]
      }
    return json(
      [
        "batch": o.batch, "seq": o.seq, "lr": number(o.learningRate), "clip": clip, "schedule": schedule,
        "optimizer": [
          "kind": opt.kind.rawValue, "momentum": number(opt.momentum), "nesterov": opt.nesterov,
          "alpha": number(opt.alpha), "beta1": number(opt.beta1), "beta2": number(opt.beta2),
          "eps": number(opt.epsilon), "weight_decay": number(opt.weightDecay),
        ] as [String: Any],
      ] as [String: Any])
  }
}

/// Reading JSON metadata values with errors that name the key.
struct MetadataReader {
  let path: String

  func invalid(_ reason: String) -> CheckpointError { .invalid(path: path, reason: reason) }

  func object(_ text: String?, key: String) throws(CheckpointError) -> [String: Any] {
    guard let text else { throw invalid("the metadata has no '\(key)'") }
    guard let data = text.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
      let object = value as? [String: Any]
    else { throw invalid("metadata '\(key)' is not a JSON object") }
    return object
  }

  func int(_ o: [String: Any], _ key: String, in context: String, range: ClosedRange<Int>) throws(CheckpointError) -> Int {
    guard let n = o[key] as? NSNumber, let value = Int(exactly: n.doubleValue), range.contains(value) else {
      throw invalid("'\(context).\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
    }
    return value
  }

  func float(_ o: [String: Any], _ key: String, in context: String) throws(CheckpointError) -> Float {
    guard let n = o[key] as? NSNumber, n.doubleValue.isFinite else { throw invalid("'\(context).\(key)' must be a finite number") }
    return Float(n.doubleValue)
  }

  func string(_ o: [String: Any], _ key: String, in context: String) throws(CheckpointError) -> String {
    guard let s = o[key] as? String else { throw invalid("'\(context).\(key)' must be a string") }
    return s
  }

  func config(_ text: String?) throws(CheckpointError) -> ModelConfig {
    let o = try object(text, key: "config")
    let cellName = try string(o, "cell", in: "config")
    guard let cell = CellKind(rawValue: cellName) else { throw invalid("config.cell must be rnn, lstm or gru, not '\(cellName)'") }
    let dropout = o["dropout"] == nil ? 0 : try float(o, "dropout", in: "config")
    guard o["tied"] == nil || o["tied"] is Bool else { throw invalid("'config.tied' must be true or false") }
    let config = ModelConfig(
      cell: cell, vocabSize: o["vocab_size"] == nil ? 0 : try int(o, "vocab_size", in: "config", range: 1...1_114_112),
      embed: try int(o, "embed", in: "config", range: 1...65_536), hidden: try int(o, "hidden", in: "config", range: 1...65_536),
      layers: try int(o, "layers", in: "config", range: 1...64), dropout: dropout, tied: o["tied"] as? Bool ?? false)
    return config
  }

  /// Throws unless `meta["format_version"]` is `version` (the classifier's, the forms' and the
  /// seq2seq checkpoints require the key; a language model's may leave it out).
  func requireVersion(_ meta: [String: String], _ version: String) throws(CheckpointError) {
    guard meta["format_version"] == version else {
      throw invalid("format_version \(meta["format_version"] ?? "(none)") is not supported (this build reads version \(version))")
    }
  }

  /// `config` and `vocab` of a checkpoint whose vocabulary is characters (a classifier, generator or
  /// tagger): `config.vocab_size` 0 is read as `vocab`'s count, any other must equal it, and the
  /// config is validated.
  func characterConfig(_ meta: [String: String]) throws(CheckpointError) -> (ModelConfig, Vocabulary) {
    var config = try self.config(meta["config"])
    let vocabulary = try self.vocabulary(meta["vocab"])
    if config.vocabSize == 0 { config.vocabSize = vocabulary.count }
    guard config.vocabSize == vocabulary.count else {
      throw invalid("config.vocab_size is \(config.vocabSize) but 'vocab' lists \(vocabulary.count) characters")
    }
    do { try config.validate() } catch { throw invalid("\(error)") }
    return (config, vocabulary)
  }

  func vocabulary(_ text: String?) throws(CheckpointError) -> Vocabulary {
    guard let text, let data = text.data(using: .utf8),
      let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any]
    else { throw invalid("the metadata has no 'vocab' JSON array") }
    var scalars: [Unicode.Scalar] = []
    for item in array {
      guard let s = item as? String, s.unicodeScalars.count == 1 else {
        throw invalid("every 'vocab' entry must be a one-character string")
      }
      scalars.append(s.unicodeScalars.first!)
    }
    guard let vocabulary = Vocabulary(distinct: scalars) else {
      throw invalid("'vocab' must list distinct characters")
    }
    return vocabulary
  }

  /// The word or BPE tokenizer (metadata `tokenizer`, `TokenizerFormat`), nil when absent.
  func tokenizer(_ text: String?) throws(CheckpointError) -> AnyTokenizer? {
    guard let text else { return nil }
    do throws(TokenizerFormatError) { return try AnyTokenizer(serialized: text) } catch {
      throw invalid("metadata 'tokenizer': \(error)")
    }
  }

  func options(_ text: String?) throws(CheckpointError) -> TrainingOptions? {
    guard text != nil else { return nil }
    let o = try object(text, key: "training")
    let opt = o["optimizer"] as? [String: Any] ?? [:]
    guard let kind = OptimizerConfig.Kind(rawValue: opt["kind"] as? String ?? "") else {
      throw invalid("training.optimizer.kind must be one of sgd, adagrad, rmsprop, adam, adamw")
    }
    let optimizer = OptimizerConfig(
      kind: kind, momentum: try float(opt, "momentum", in: "optimizer"), nesterov: opt["nesterov"] as? Bool ?? false,
      alpha: try float(opt, "alpha", in: "optimizer"), beta1: try float(opt, "beta1", in: "optimizer"),
      beta2: try float(opt, "beta2", in: "optimizer"), epsilon: try float(opt, "eps", in: "optimizer"),
      weightDecay: try float(opt, "weight_decay", in: "optimizer"))
    let clipObject = o["clip"] as? [String: Any] ?? ["mode": "none"]
    let clipping: GradientClipping
    switch clipObject["mode"] as? String {
    case "norm": clipping = .norm(try float(clipObject, "value", in: "clip"))
    case "value": clipping = .value(try float(clipObject, "value", in: "clip"))
    case "none": clipping = .none
    default: throw invalid("training.clip.mode must be none, norm or value")
    }
    let s = o["schedule"] as? [String: Any] ?? ["kind": "constant"]
    let schedule: LearningRateSchedule
    switch s["kind"] as? String {
    case "constant": schedule = .constant
    case "step":
      schedule = .step(every: try int(s, "every", in: "schedule", range: 1...Int(Int32.max)), gamma: try float(s, "gamma", in: "schedule"))
    case "exponential": schedule = .exponential(gamma: try float(s, "gamma", in: "schedule"))
    case "cosine":
      schedule = .cosine(
        warmup: try int(s, "warmup", in: "schedule", range: 0...Int(Int32.max)),
        total: try int(s, "total", in: "schedule", range: 1...Int(Int32.max)), floor: try float(s, "floor", in: "schedule"))
    case "plateau":
      schedule = .plateau(
        gamma: try float(s, "gamma", in: "schedule"), patience: try int(s, "patience", in: "schedule", range: 0...Int(Int32.max)),
        cooldown: try int(s, "cooldown", in: "schedule", range: 0...Int(Int32.max)), floor: try float(s, "floor", in: "schedule"))
    default: throw invalid("training.schedule.kind must be constant, step, exponential, cosine or plateau")
    }
    let options = TrainingOptions(
      batch: try int(o, "batch", in: "training", range: 1...65_536), seq: try int(o, "seq", in: "training", range: 1...100_000),
      learningRate: try float(o, "lr", in: "training"), optimizer: optimizer, clipping: clipping, schedule: schedule)
    do { try options.validate() } catch { throw invalid("training options: \(error)") }
    return options
  }
}
