/// One layer's share of a `Workspace` for the chunk in flight, time-major (row `t·B + b` is step
/// `t` of stream `b`), and the state the chunk started from. Pointers only: making one allocates
/// nothing.
struct LayerBuffers {
  /// `[N, G·H]`: the input projection, then the activated gates, then (backward) their gradients.
  let gates: UnsafeMutablePointer<Float>
  /// `[N, H]`: the outputs `h_t`.
  let outputs: UnsafeMutablePointer<Float>
  /// `[N, H]`: LSTM `c_t`, GRU `W_hn h_{t−1} + b_hn`; for the RNN (which has neither) `outputs`.
  let cells: UnsafeMutablePointer<Float>
  /// `[B, H]`: `h_{−1}` and (LSTM) `c_{−1}`, the state carried into the chunk.
  let initialHidden: UnsafeMutablePointer<Float>
  let initialCell: UnsafeMutablePointer<Float>
  /// B, the streams: the row stride of one step is `B·H` in `outputs` and `cells`.
  let batch: Int
  /// H.
  let hidden: Int

  /// `h_{t−1}` of streams `b0…`: the initial state at `t = 0`, else step `t − 1` of `outputs`.
  @inline(__always)
  func previousHidden(step t: Int, from b0: Int) -> UnsafeMutablePointer<Float> {
    (t == 0 ? initialHidden : outputs + (t - 1) * batch * hidden) + b0 * hidden
  }

  /// `c_{t−1}` of streams `b0…` (LSTM): the initial state at `t = 0`, else step `t − 1` of `cells`.
  @inline(__always)
  func previousCell(step t: Int, from b0: Int) -> UnsafeMutablePointer<Float> {
    (t == 0 ? initialCell : cells + (t - 1) * batch * hidden) + b0 * hidden
  }
}

extension Workspace {
  /// Layer `layer`'s buffers (see `LayerBuffers`).
  func buffers(layer: Int) -> LayerBuffers {
    let H = config.hidden
    let out = outputs[layer].pointer
    return LayerBuffers(
      gates: gates[layer].pointer, outputs: out, cells: config.cell == .rnn ? out : cells[layer].pointer,
      initialHidden: initialHidden.pointer + layer * batch * H, initialCell: initialCell.pointer + layer * batch * H,
      batch: batch, hidden: H)
  }
}
