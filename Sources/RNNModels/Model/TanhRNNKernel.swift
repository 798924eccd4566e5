import CKernels
import NumericCore

/// Element-wise work of one vanilla (Elman, tanh) RNN step: `h_t = tanh(W_ih x + b_ih + W_hh h + b_hh)`.
enum TanhRNNKernel {
  /// Forward. In: `gates` `[B, H]` = `W_ih x + b_ih + b_hh`, `recurrent` `[B, H]` = `W_hh h_{t−1}`.
  /// Out: `h` `[B, H]`.
  @inline(__always)
  static func forward(
    batch: Int, hidden H: Int, gates: UnsafePointer<Float>, recurrent: UnsafePointer<Float>,
    h: UnsafeMutablePointer<Float>
  ) {
    if NativeGateKernels.available {
      rnn_tanh_rnn_forward(batch * H, gates, recurrent, h)
    } else {
      portableForward(count: batch * H, gates: gates, recurrent: recurrent, h: h)
    }
  }

  /// `forward` over `count` values in Swift: the definition `rnn_tanh_rnn_forward` reproduces bit
  /// for bit.
  static func portableForward(
    count: Int, gates: UnsafePointer<Float>, recurrent: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    var j = 0
    while j < count {
      let n = min(8, count - j)
      store(FastMath.tanh(load(gates + j, n) + load(recurrent + j, n)), h + j, n)
      j += 8
    }
  }

  /// Backward: `dGates = dh ⊙ (1 − h_t²)` over `[B, H]`.
  @inline(__always)
  static func backward(
    batch: Int, hidden H: Int, dh: UnsafePointer<Float>, h: UnsafePointer<Float>,
    dGates: UnsafeMutablePointer<Float>
  ) {
    let one = Lane(repeating: 1)
    let count = batch * H
    var j = 0
    while j < count {
      let n = min(8, count - j)
      let hv = load(h + j, n)
      store(load(dh + j, n) * (one - hv * hv), dGates + j, n)
      j += 8
    }
  }
}
