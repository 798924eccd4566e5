import NumericCore

/// Carrying a trained model to a text with more tokens: the vocabulary grows from V to V + n, and
/// only the three tensors indexed by token change shape (`ParameterLayout`):
/// - `encoder.weight` [V, E] gets n rows ~ N(0, 1);
/// - `decoder.weight` [V, H] gets n rows and `decoder.bias` [V] n entries ~ U(−1/√H, 1/√H);
/// the distributions a fresh model draws them from (`Initialization`), drawn in that order (encoder
/// rows, decoder rows, bias entries; each row-major) from the training state's own generator
/// (`TrainingState.rng`, saved in every checkpoint), so the same checkpoint always grows the same
/// way. With tied weights (`ModelConfig.tied`) the one shared block gets its n rows ~
/// U(−1/√H, 1/√H), as a fresh tied model's (`Initialization`). Every existing value is kept, and so are the optimizer's slots for it; the new rows' slots
/// (Adam's moments, momentum buffers, …) start at zero, as a fresh optimizer's do.
public enum VocabularyGrowth {
  /// A trainer for `trainer`'s model with `added` more tokens at the end of its vocabulary; its
  /// state is `trainer`'s (step, epoch, cursor, hidden state, history), the optimizer's slots
  /// widened with zeros and the generator advanced past the draws.
  public static func grow(_ trainer: Trainer, by added: Int) throws(ModelError) -> Trainer {
    let old = trainer.model
    var config = old.config
    config.vocabSize += added
    try config.validate()
    let layout = ParameterLayout(config: config)
    var state = trainer.state
    let bound = 1 / Float(config.hidden).squareRoot()
    let parameters = widen(old.parameters.array, from: old.layout, to: layout) { entry, count in
      entry.name == "encoder.weight" && !config.tied
        ? (0..<count).map { _ in state.rng.nextNormal() } : (0..<count).map { _ in state.rng.uniform(-bound, bound) }
    }
    for (slot, values) in state.optimizer.slots {
      state.optimizer.slots[slot] = widen(values, from: old.layout, to: layout) { _, count in
        [Float](repeating: 0, count: count)
      }
    }
    return Trainer(model: try LanguageModel(config: config, parameters: parameters), state: state)
  }

  /// `values` in layout `old` re-laid in `new` (the same tensors, some with more rows): each
  /// tensor's old values first, then `fill(entry, missing)` for the elements it gained.
  static func widen(
    _ values: [Float], from old: ParameterLayout, to new: ParameterLayout, fill: (ParameterLayout.Entry, Int) -> [Float]
  ) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(new.totalCount)
    for entry in new.entries {
      let before = old.entry(named: entry.name)!
      out += values[before.offset..<(before.offset + before.count)]
      if entry.count > before.count { out += fill(entry, entry.count - before.count) }
    }
    return out
  }
}
