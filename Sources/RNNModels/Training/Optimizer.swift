#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import NumericCore

/// One update of every parameter from its gradient, following `OptimizerConfig`'s equations
/// (PyTorch's single-tensor implementations, in their order of operations).
public enum Optimizer {
  /// Applies one step with learning rate `lr` to `count` parameters. `grads` may be modified (weight
  /// decay is folded into it). Increments `state.step`.
  public static func step(
    config: OptimizerConfig, state: inout OptimizerState, lr: Float,
    parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count: Int
  ) {
    state.step += 1
    let wd = config.weightDecay
    if wd != 0 && config.kind != .adamw {
      for i in 0..<count { g[i] += wd * p[i] }
    }
    // Large models: each core updates its own share of the parameters.
    let parts = count >= 1 << 16 ? Parallel.parts(for: count, minimumRows: 1 << 15) : 1
    switch config.kind {
    case .sgd:
      let mu = config.momentum
      guard mu != 0 else {
        Parallel.forEachPart(of: count, parts: parts) { r in
          forEachLane(r) { i, n in store(load(p + i, n) - Lane(repeating: lr) * load(g + i, n), p + i, n) }
        }
        return
      }
      let first = state.step == 1
      state.slots["momentum_buffer"]!.withUnsafeMutableBufferPointer { bufs in
        let buf = bufs.baseAddress!
        for i in 0..<count {
          let b = first ? g[i] : mu * buf[i] + g[i]
          buf[i] = b
          p[i] -= lr * (config.nesterov ? g[i] + mu * b : b)
        }
      }
    case .adagrad:
      let eps = Lane(repeating: config.epsilon), rate = Lane(repeating: lr)
      state.slots["sum"]!.withUnsafeMutableBufferPointer { sums in
        let s = sums.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          forEachLane(r) { i, n in
            let gv = load(g + i, n)
            let sv = load(s + i, n) + gv * gv
            store(sv, s + i, n)
            store(load(p + i, n) - rate * gv / (sv.squareRoot() + eps), p + i, n)
          }
        }
      }
    case .rmsprop:
      let a = Lane(repeating: config.alpha), oneMinusA = Lane(repeating: 1 - config.alpha)
      let eps = Lane(repeating: config.epsilon), rate = Lane(repeating: lr)
      state.slots["square_avg"]!.withUnsafeMutableBufferPointer { avgs in
        let v = avgs.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          forEachLane(r) { i, n in
            let gv = load(g + i, n)
            let vv = a * load(v + i, n) + oneMinusA * gv * gv
            store(vv, v + i, n)
            store(load(p + i, n) - rate * gv / (vv.squareRoot() + eps), p + i, n)
          }
        }
      }
    case .adam, .adamw:
      adam(config: config, state: &state, lr: lr, p: p, g: g, count: count, parts: parts)
    }
  }

  /// Calls `body(i, n)` for `n` = 8 elements at a time from `range.lowerBound` (fewer at the end).
  @inline(__always)
  private static func forEachLane(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
    var i = range.lowerBound
    while i < range.upperBound {
      body(i, min(8, range.upperBound - i))
      i += 8
    }
  }

  private static func adam(
    config: OptimizerConfig, state: inout OptimizerState, lr: Float,
    p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, count: Int, parts: Int
  ) {
    let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
    let t = Float(state.step)
    let stepSize = Lane(repeating: lr / (1 - powf(b1, t)))
    let bc2Sqrt = Lane(repeating: (1 - powf(b2, t)).squareRoot())
    let decay = config.kind == .adamw ? 1 - lr * config.weightDecay : 1
    let oneMinusB1 = Lane(repeating: 1 - b1), b2v = Lane(repeating: b2), oneMinusB2 = Lane(repeating: 1 - b2)
    let epsv = Lane(repeating: eps), decayv = Lane(repeating: decay)
    var m = state.slots.removeValue(forKey: "exp_avg")!
    var v = state.slots.removeValue(forKey: "exp_avg_sq")!
    m.withUnsafeMutableBufferPointer { mb in
      v.withUnsafeMutableBufferPointer { vb in
        let m = mb.baseAddress!, v = vb.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          forEachLane(r) { i, n in
            var pv = load(p + i, n)
            if decay != 1 { pv *= decayv }
            let gv = load(g + i, n)
            var mv = load(m + i, n)
            mv += (gv - mv) * oneMinusB1
            let vv = load(v + i, n) * b2v + oneMinusB2 * gv * gv
            let denom = vv.squareRoot() / bc2Sqrt + epsv
            pv -= stepSize * mv / denom
            store(mv, m + i, n)
            store(vv, v + i, n)
            store(pv, p + i, n)
          }
        }
      }
    }
    state.slots["exp_avg"] = m
    state.slots["exp_avg_sq"] = v
  }
}
