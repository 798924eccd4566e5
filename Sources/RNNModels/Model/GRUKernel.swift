import CKernels
import NumericCore

/// Fused element-wise work of one GRU time step for all B streams, PyTorch's equations, gate
/// order r, z, n (rows `[r | z | n]`, three blocks of H):
/// `r = σ(x_r + h_r)`, `z = σ(x_z + h_z)`, `n = tanh(x_n + r ⊙ h_n)`, `h' = (1 − z) ⊙ n + z ⊙ h`,
/// where `x_* = W_i* x + b_i*` and `h_* = W_h* h + b_h*`.
enum GRUKernel {
  /// Forward. In: `gates` `[B, 3H]` = `W_ih x + b_ih`; `recurrent` `[B, 3H]` = `W_hh h + b_hh`;
  /// `hPrev` `[B, H]`. Out: `gates` overwritten with r, z, n; `hn` `[B, H]` = `h_n` (kept for
  /// backward); `h` `[B, H]`.
  @inline(__always)
  static func forward(
    batch: Int, hidden H: Int, gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
    hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    for b in 0..<batch {
      forward(
        units: H, stride: H, gates: gates + b * 3 * H, recurrent: recurrent + b * 3 * H, hPrev: hPrev + b * H,
        hn: hn + b * H, h: h + b * H)
    }
  }

  /// Forward for one stream and `units` hidden units: gate block `k` of `gates`/`recurrent` starts
  /// at `k·stride`. `h` may be `hPrev` (updated in place).
  @inline(__always)
  static func forward(
    units n: Int, stride H: Int, gates g: UnsafeMutablePointer<Float>, recurrent r: UnsafePointer<Float>,
    hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    if NativeGateKernels.available {
      rnn_gru_forward(n, H, g, r, hPrev, hn, h)
    } else {
      portableForward(units: n, stride: H, gates: g, recurrent: r, hPrev: hPrev, hn: hn, h: h)
    }
  }

  /// `forward(units:…)` in Swift: the definition `rnn_gru_forward` reproduces bit for bit.
  static func portableForward(
    units n: Int, stride H: Int, gates g: UnsafeMutablePointer<Float>, recurrent r: UnsafePointer<Float>,
    hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    let one = Lane(repeating: 1)
    var j = 0
    while j < n {
      let w = min(8, n - j)
      let rv = FastMath.sigmoid(load(g + j, w) + load(r + j, w))
      let zv = FastMath.sigmoid(load(g + H + j, w) + load(r + H + j, w))
      let hnv = load(r + 2 * H + j, w)
      let nv = FastMath.tanh(load(g + 2 * H + j, w) + rv * hnv)
      let hp = load(hPrev + j, w)
      store(rv, g + j, w)
      store(zv, g + H + j, w)
      store(nv, g + 2 * H + j, w)
      store(hnv, hn + j, w)
      store((one - zv) * nv + zv * hp, h + j, w)
      j += 8
    }
  }

  /// Backward. In: `dh` `[B, H]` = ∂L/∂h_t (overwritten with the direct part of ∂L/∂h_{t−1},
  /// `dh ⊙ z`; the caller adds `dGatesHH · W_hh`), cached r, z, n in `gates`, `hn`, `hPrev`.
  /// Out: `dGatesIH` `[B, 3H]` (∂L/∂x_*), `dGatesHH` `[B, 3H]` (∂L/∂h_*), which differ only in
  /// the n block: `∂L/∂h_n = r ⊙ ∂L/∂x_n`.
  @inline(__always)
  static func backward(
    batch: Int, hidden H: Int, dh: UnsafeMutablePointer<Float>, gates: UnsafePointer<Float>,
    hn: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
    dGatesIH: UnsafeMutablePointer<Float>, dGatesHH: UnsafeMutablePointer<Float>
  ) {
    let one = Lane(repeating: 1)
    for b in 0..<batch {
      let g = gates + b * 3 * H
      let dx = dGatesIH + b * 3 * H, dhh = dGatesHH + b * 3 * H
      let row = b * H
      var j = 0
      while j < H {
        let n = min(8, H - j)
        let rv = load(g + j, n), zv = load(g + H + j, n), nv = load(g + 2 * H + j, n)
        let dhv = load(dh + row + j, n)
        let hp = load(hPrev + row + j, n)
        let dnPre = dhv * (one - zv) * (one - nv * nv)
        let dzPre = dhv * (hp - nv) * zv * (one - zv)
        let drPre = dnPre * load(hn + row + j, n) * rv * (one - rv)
        store(drPre, dx + j, n)
        store(dzPre, dx + H + j, n)
        store(dnPre, dx + 2 * H + j, n)
        store(drPre, dhh + j, n)
        store(dzPre, dhh + H + j, n)
        store(dnPre * rv, dhh + 2 * H + j, n)
        store(dhv * zv, dh + row + j, n)
        j += 8
      }
    }
  }
}
