import NumericCore

/// Every buffer one training or evaluation pass of a ``Seq2SeqModel`` over a batch of B pairs
/// (sources of Ts characters, targets padded to Tt steps) needs: the encoder's and the decoder's
/// ``Workspace``, the attention's activations and the gradients passed between the parts. Rows
/// are time-major (`t·B + b`); `Ns = Ts·B`, `Nt = Tt·B`.
final class Seq2SeqWorkspace {
  struct Key: Hashable {
    var batch: Int
    var sourceSteps: Int
    var targetSteps: Int
  }

  let encoder: Workspace
  let decoder: Workspace
  /// `[Ns, H]` keys `K = S · W_aᵀ`; backward, ∂L/∂K.
  let keys: FloatBuffer
  let keyGradients: FloatBuffer
  /// `[B, Tt, Ts]` attention weights α (stream b's block `[Tt, Ts]`); backward, the score gradients.
  let weights: FloatBuffer
  let scoreGradients: FloatBuffer
  /// `[Nt, 2H]` `[c_t; h_t]`, and backward its gradient.
  let joined: FloatBuffer
  let joinedGradients: FloatBuffer
  /// `[Nt, H]` h̃_t, and backward ∂L/∂h̃ (then ∂L/∂ of its pre-activation).
  let combined: FloatBuffer
  let combinedGradients: FloatBuffer
  /// `[Nt, H]` ∂L/∂(decoder top output); `[Ns, H]` ∂L/∂(encoder top output).
  let decoderTopGradients: FloatBuffer
  let encoderTopGradients: FloatBuffer
  /// `[L, B, H]` ∂L/∂(the decoder's initial state) = ∂L/∂(the encoder's last state), h and c.
  let stateHidden: FloatBuffer
  let stateCell: FloatBuffer

  init(model: Seq2SeqModel, key: Key) {
    let B = key.batch, H = model.hidden, Ns = key.sourceSteps * B, Nt = key.targetSteps * B
    let a = model.usesAttention
    encoder = Workspace(config: model.encoder.config, batch: B, steps: key.sourceSteps)
    decoder = Workspace(config: model.decoder.config, batch: B, steps: key.targetSteps)
    keys = FloatBuffer(count: a ? Ns * H : 0)
    keyGradients = FloatBuffer(count: a ? Ns * H : 0)
    weights = FloatBuffer(count: a ? B * key.targetSteps * key.sourceSteps : 0)
    scoreGradients = FloatBuffer(count: weights.count)
    joined = FloatBuffer(count: a ? Nt * 2 * H : 0)
    joinedGradients = FloatBuffer(count: joined.count)
    combined = FloatBuffer(count: a ? Nt * H : 0)
    combinedGradients = FloatBuffer(count: combined.count)
    decoderTopGradients = FloatBuffer(count: Nt * H)
    encoderTopGradients = FloatBuffer(count: Ns * H)
    stateHidden = FloatBuffer(count: model.layers * B * H)
    stateCell = FloatBuffer(count: model.cell.hasCellState ? model.layers * B * H : 0)
  }
}

extension Seq2SeqModel {
  /// The workspace for `key`, made once and kept (a few dozen shapes at most: one per source
  /// length and longest target of a batch).
  func workspace(_ key: Seq2SeqWorkspace.Key) -> Seq2SeqWorkspace {
    if let ws = workspaces[key] { return ws }
    if workspaces.count > 256 { workspaces.removeAll() }
    let ws = Seq2SeqWorkspace(model: self, key: key)
    workspaces[key] = ws
    return ws
  }
}
