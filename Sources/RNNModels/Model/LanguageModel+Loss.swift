import NumericCore

extension LanguageModel {
  /// The mean cross-entropy (nats/char, accumulated in Double) of one chunk without dropout and
  /// without touching the gradients: forward from `state` (updated to the carried state), then
  /// the loss against `targets` `[T·B]`.
  public func loss(
    inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, state: inout HiddenState, workspace ws: Workspace
  ) -> Double {
    var rng = RandomGenerator(seed: 0)
    forward(inputs: inputs, state: &state, workspace: ws, training: false, rng: &rng)
    return CrossEntropy.loss(
      logits: ws.logits.pointer, rows: ws.rows, vocab: config.vocabSize, targets: targets, gradientScale: nil)
      / Double(ws.rows)
  }

  /// A copy of the logits `[T·B, V]` left by the last `forward` in `workspace`.
  public func logits(in ws: Workspace) -> [Float] {
    Array(UnsafeBufferPointer(start: ws.logits.pointer, count: ws.rows * config.vocabSize))
  }
}
