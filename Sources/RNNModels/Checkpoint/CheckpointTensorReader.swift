import NumericCore
import SafeTensors

/// Typed, shape-checked access to a checkpoint's tensors, with errors that name the tensor.
struct TensorReader {
  let file: SafeTensorsFile
  let reader: MetadataReader

  func entry(_ name: String, shape: [Int]) throws(CheckpointError) -> TensorEntry {
    guard let t = file[name] else { throw reader.invalid("tensor '\(name)' is missing") }
    guard t.shape == shape else { throw reader.invalid("tensor '\(name)' has shape \(t.shape), expected \(shape)") }
    return t
  }

  func floats(_ name: String, shape: [Int]) throws(CheckpointError) -> [Float] {
    let t = try entry(name, shape: shape)
    guard [.f32, .f16, .bf16, .f64].contains(t.dtype) else { throw reader.invalid("tensor '\(name)' is \(t.dtype), expected F32") }
    do { return try t.floatsWidening() } catch { throw reader.invalid("\(error)") }
  }

  func ints(_ name: String, shape: [Int]) throws(CheckpointError) -> [Int64] {
    let t = try entry(name, shape: shape)
    guard t.dtype == .i64 else { throw reader.invalid("tensor '\(name)' is \(t.dtype), expected I64") }
    do { return try t.int64s() } catch { throw reader.invalid("\(error)") }
  }

  func count(_ name: String, rank: Int) throws(CheckpointError) -> [Int] {
    guard let t = file[name] else { throw reader.invalid("tensor '\(name)' is missing") }
    guard t.shape.count == rank else { throw reader.invalid("tensor '\(name)' must have rank \(rank), has shape \(t.shape)") }
    return t.shape
  }

  func nonNegative(_ name: String) throws(CheckpointError) -> Int {
    let v = try ints(name, shape: [1])[0]
    guard v >= 0, v <= Int64(Int32.max) * 1024 else { throw reader.invalid("tensor '\(name)' holds \(v), expected a count ≥ 0") }
    return Int(v)
  }

  /// The full training state, every shape checked against the configuration and options.
  func trainingState(config: ModelConfig, layout: ParameterLayout, options: TrainingOptions) throws(CheckpointError) -> TrainingState {
    let bs = try ints("state.batch_seq", shape: [2])
    guard (1...65_536).contains(bs[0]), (1...100_000).contains(bs[1]) else {
      throw reader.invalid("state.batch_seq holds \(bs), outside batch 1...65536, seq 1...100000")
    }
    let batch = Int(bs[0])
    var state = TrainingState(config: config, options: options, parameterCount: layout.totalCount, seed: 0)
    state.batch = batch
    state.seq = Int(bs[1])
    state.step = try nonNegative("state.step")
    state.epoch = try nonNegative("state.epoch")
    state.cursor = try cursor(batch: batch)
    state.hidden = try hiddenState(config: config, batch: batch)
    state.rng = try generator()
    state.trainLosses = try floats("state.train_losses", shape: [try count("state.train_losses", rank: 1)[0]])
    state.validationLosses = try validationLosses()
    state.optimizerConfig = options.optimizer
    state.optimizer.step = try nonNegative("optimizer.step")
    for slot in options.optimizer.slotNames {
      state.optimizer.slots[slot] = try optimizerSlot(slot, layout: layout)
    }
    try readScheduleAndStopping(into: &state, parameterCount: layout.totalCount)
    try rejectUnexpectedTensors(config: config, layout: layout, optimizer: options.optimizer)
    return state
  }

  /// The optional `state.plateau`, `state.early_stopping` and
  /// `state.early_stopping.best_parameters` tensors (see `ModelCheckpoint`).
  private func readScheduleAndStopping(into state: inout TrainingState, parameterCount: Int) throws(CheckpointError) {
    if file["state.plateau"] != nil {
      guard let values = try? entry("state.plateau", shape: [4]).doubles(), let plateau = PlateauState(values: values) else {
        throw reader.invalid("state.plateau must be F64 [4]: scale in (0, 1], best loss, bad evaluations, cool-down left")
      }
      state.plateau = plateau
    }
    if file["state.early_stopping"] != nil {
      guard let values = try? entry("state.early_stopping", shape: [4]).doubles(),
        var stopping = EarlyStoppingState(values: values)
      else {
        throw reader.invalid("state.early_stopping must be F64 [4]: best loss, its step, evaluations since, stopped 0 or 1")
      }
      if file["state.early_stopping.best_parameters"] != nil {
        let best = try floats("state.early_stopping.best_parameters", shape: [parameterCount])
        if let bad = best.firstIndex(where: { !$0.isFinite }) {
          throw reader.invalid("tensor 'state.early_stopping.best_parameters' holds a non-finite value at element \(bad)")
        }
        stopping.bestParameters = best
      }
      state.earlyStopping = stopping
    } else if file["state.early_stopping.best_parameters"] != nil {
      throw reader.invalid("state.early_stopping.best_parameters needs state.early_stopping")
    }
  }

  /// `state.cursors` `[B]`: one non-negative offset shared by all B streams.
  private func cursor(batch: Int) throws(CheckpointError) -> Int {
    let cursors = try ints("state.cursors", shape: [batch])
    guard let first = cursors.first, first >= 0, cursors.allSatisfy({ $0 == first }) else {
      throw reader.invalid("state.cursors must hold one non-negative offset shared by all \(batch) streams")
    }
    return Int(first)
  }

  /// `state.hidden.h` (and for the LSTM `state.hidden.c`), `[L, B, H]`.
  private func hiddenState(config: ModelConfig, batch: Int) throws(CheckpointError) -> HiddenState {
    let hiddenShape = [config.layers, batch, config.hidden]
    let h = try floats("state.hidden.h", shape: hiddenShape)
    let c = config.cell.hasCellState ? try floats("state.hidden.c", shape: hiddenShape) : []
    return HiddenState(layers: config.layers, batch: batch, hidden: config.hidden, h: h, c: c)
  }

  /// `state.rng`: the dropout generator's 4 U64 state words, not all zero.
  private func generator() throws(CheckpointError) -> RandomGenerator {
    let rngTensor = try entry("state.rng", shape: [4])
    guard rngTensor.dtype == .u64, let words = try? rngTensor.uint64s(), let rng = RandomGenerator(stateWords: words) else {
      throw reader.invalid("state.rng must be 4 U64 words, not all zero")
    }
    return rng
  }

  /// `state.validation_losses` F64 `[k, 2]`: (step, nats/char) pairs; with
  /// `state.validation_limits` I64 `[k]`, the characters each evaluated (0: the whole split).
  private func validationLosses() throws(CheckpointError) -> [TrainingState.ValidationRecord] {
    let k = try count("state.validation_losses", rank: 2)
    guard k[1] == 2, let pairs = try? entry("state.validation_losses", shape: k).doubles() else {
      throw reader.invalid("state.validation_losses must be F64 [k, 2]")
    }
    var records = stride(from: 0, to: pairs.count, by: 2).map {
      TrainingState.ValidationRecord(step: Int(pairs[$0]), loss: Float(pairs[$0 + 1]))
    }
    if file["state.validation_limits"] != nil {
      let limits = try entry("state.validation_limits", shape: [k[0]])
      guard limits.dtype == .i64, let values = try? limits.int64s(), values.allSatisfy({ $0 >= 0 }) else {
        throw reader.invalid("state.validation_limits must be I64 [k], not negative")
      }
      for (i, v) in values.enumerated() where v > 0 { records[i].characters = Int(v) }
    }
    return records
  }

  /// One optimizer slot (e.g. `exp_avg`) for every parameter, flat in `layout` order, from its
  /// tensors `optimizer.<slot>.<parameter name>`.
  private func optimizerSlot(_ slot: String, layout: ParameterLayout) throws(CheckpointError) -> [Float] {
    var values = [Float](repeating: 0, count: layout.totalCount)
    for e in layout.entries {
      values.replaceSubrange(e.offset..<(e.offset + e.count), with: try floats("optimizer.\(slot).\(e.name)", shape: e.shape))
    }
    return values
  }

  /// No `optimizer.*` or `state.*` tensor besides the ones this configuration and optimizer read.
  private func rejectUnexpectedTensors(
    config: ModelConfig, layout: ParameterLayout, optimizer: OptimizerConfig
  ) throws(CheckpointError) {
    let expected = Set(optimizer.slotNames.flatMap { slot in layout.entries.map { "optimizer.\(slot).\($0.name)" } })
    for name in file.names where name.hasPrefix("optimizer.") && name != "optimizer.step" && !expected.contains(name) {
      throw reader.invalid("unexpected tensor '\(name)' for optimizer \(optimizer.kind.rawValue)")
    }
    let stateNames: Set<String> = [
      "state.step", "state.epoch", "state.batch_seq", "state.cursors", "state.hidden.h", "state.hidden.c", "state.rng",
      "state.train_losses", "state.validation_losses", "state.validation_limits", "state.plateau", "state.early_stopping",
      "state.early_stopping.best_parameters",
    ]
    for name in file.names where name.hasPrefix("state.") && !stateNames.contains(name) {
      throw reader.invalid("unexpected tensor '\(name)'")
    }
    if !config.cell.hasCellState, file["state.hidden.c"] != nil {
      throw reader.invalid("state.hidden.c is only for an LSTM")
    }
  }
}
