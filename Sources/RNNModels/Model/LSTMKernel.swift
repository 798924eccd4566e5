import CKernels
import NumericCore

/// Fused element-wise work of one LSTM time step for all B streams. Gate order i, f, g, o:
/// each row of `gates` is `[i | f | g | o]`, four blocks of H.
enum LSTMKernel {
  /// Forward. In: `gates` `[B, 4H]` holding `W_ih x + b_ih + b_hh`; `recurrent` `[B, 4H]` holding
  /// `W_hh h_{t−1}`; `cPrev` `[B, H]`. Out: `gates` overwritten with the activated i, f, g, o;
  /// `c`, `h` `[B, H]`:  `c = f⊙c_prev + i⊙g`, `h = o⊙tanh(c)`. `tanh(c)` is not kept: backward
  /// recomputes it from `c` (the same function of the same value, so the same bits).
  @inline(__always)
  static func forward(
    batch: Int, hidden H: Int, gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    for b in 0..<batch {
      forward(
        units: H, stride: H, gates: gates + b * 4 * H, recurrent: recurrent + b * 4 * H, cPrev: cPrev + b * H,
        c: c + b * H, h: h + b * H)
    }
  }

  /// Forward for one stream and `units` hidden units: gate block `k` of `gates`/`recurrent` starts
  /// at `k·stride`. `c` may be `cPrev` (updated in place).
  @inline(__always)
  static func forward(
    units n: Int, stride H: Int, gates g: UnsafeMutablePointer<Float>, recurrent r: UnsafePointer<Float>,
    cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    if NativeGateKernels.available {
      rnn_lstm_forward(n, H, g, r, cPrev, c, h)
    } else {
      portableForward(units: n, stride: H, gates: g, recurrent: r, cPrev: cPrev, c: c, h: h)
    }
  }

  /// `forward(units:…)` in Swift: the definition `rnn_lstm_forward` reproduces bit for bit.
  static func portableForward(
    units n: Int, stride H: Int, gates g: UnsafeMutablePointer<Float>, recurrent r: UnsafePointer<Float>,
    cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    var j = 0
    while j < n {
      let w = min(8, n - j)
      let i = FastMath.sigmoid(load(g + j, w) + load(r + j, w))
      let f = FastMath.sigmoid(load(g + H + j, w) + load(r + H + j, w))
      let gg = FastMath.tanh(load(g + 2 * H + j, w) + load(r + 2 * H + j, w))
      let o = FastMath.sigmoid(load(g + 3 * H + j, w) + load(r + 3 * H + j, w))
      let cNew = f * load(cPrev + j, w) + i * gg
      let tc = FastMath.tanh(cNew)
      store(i, g + j, w)
      store(f, g + H + j, w)
      store(gg, g + 2 * H + j, w)
      store(o, g + 3 * H + j, w)
      store(cNew, c + j, w)
      store(o * tc, h + j, w)
      j += 8
    }
  }

  /// Backward. In: `dh` `[B, H]` = ∂L/∂h_t (from above plus from step t+1), `dc` `[B, H]` =
  /// ∂L/∂c_t from step t+1, the cached activated `gates`, `cPrev` and `c` (`c_t`, whose tanh is
  /// recomputed here rather than cached: one `[N, H]` buffer less per layer).
  /// Out: `dGates` `[B, 4H]` = ∂L/∂(gate pre-activations); `dc` overwritten with ∂L/∂c_{t−1}.
  @inline(__always)
  static func backward(
    batch: Int, hidden H: Int, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
    gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafePointer<Float>,
    dGates: UnsafeMutablePointer<Float>
  ) {
    for b in 0..<batch {
      let row = b * H
      if NativeGateKernels.available {
        rnn_lstm_backward(H, dh + row, dc + row, gates + b * 4 * H, cPrev + row, c + row, dGates + b * 4 * H)
      } else {
        portableBackward(
          hidden: H, dh: dh + row, dc: dc + row, gates: gates + b * 4 * H, cPrev: cPrev + row, c: c + row,
          dGates: dGates + b * 4 * H)
      }
    }
  }

  /// Backward for one stream (`dh`, `dc`, `cPrev`, `c` `[H]`, `gates`, `dGates` `[4H]`) in Swift:
  /// the definition `rnn_lstm_backward` reproduces bit for bit.
  static func portableBackward(
    hidden H: Int, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
    gates g: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafePointer<Float>,
    dGates dg: UnsafeMutablePointer<Float>
  ) {
    let one = Lane(repeating: 1)
    var j = 0
    while j < H {
      let n = min(8, H - j)
      let i = load(g + j, n), f = load(g + H + j, n)
      let gg = load(g + 2 * H + j, n), o = load(g + 3 * H + j, n)
      let tc = FastMath.tanh(load(c + j, n))
      let dhv = load(dh + j, n)
      let dcv = dhv * o * (one - tc * tc) + load(dc + j, n)
      store(dcv * gg * i * (one - i), dg + j, n)
      store(dcv * load(cPrev + j, n) * f * (one - f), dg + H + j, n)
      store(dcv * i * (one - gg * gg), dg + 2 * H + j, n)
      store(dhv * tc * o * (one - o), dg + 3 * H + j, n)
      store(dcv * f, dc + j, n)
      j += 8
    }
  }
}
