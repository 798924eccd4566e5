#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import CKernels
import NumericCore

/// One update of every parameter from its gradient, following `OptimizerConfig`'s equations
/// (PyTorch's single-tensor implementations, in their order of operations). The Adagrad, RMSprop
/// and Adam loops are in `CKernels` (vectorised square roots), split across cores for large models.
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
      let eps = config.epsilon
      state.slots["sum"]!.withUnsafeMutableBufferPointer { sums in
        let s = sums.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          rnn_adagrad(p + r.lowerBound, g + r.lowerBound, s + r.lowerBound, r.count, lr, eps)
        }
      }
    case .rmsprop:
      let a = config.alpha, eps = config.epsilon
      state.slots["square_avg"]!.withUnsafeMutableBufferPointer { avgs in
        let v = avgs.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          rnn_rmsprop(p + r.lowerBound, g + r.lowerBound, v + r.lowerBound, r.count, lr, a, eps)
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
    let stepSize = lr / (1 - powf(b1, t))
    let bc2Sqrt = (1 - powf(b2, t)).squareRoot()
    let decay = config.kind == .adamw ? 1 - lr * config.weightDecay : 1
    var m = state.slots.removeValue(forKey: "exp_avg")!
    var v = state.slots.removeValue(forKey: "exp_avg_sq")!
    m.withUnsafeMutableBufferPointer { mb in
      v.withUnsafeMutableBufferPointer { vb in
        let m = mb.baseAddress!, v = vb.baseAddress!
        Parallel.forEachPart(of: count, parts: parts) { r in
          let i = r.lowerBound
          rnn_adam(p + i, g + i, m + i, v + i, r.count, stepSize, bc2Sqrt, b1, b2, eps, decay)
        }
      }
    }
    state.slots["exp_avg"] = m
    state.slots["exp_avg_sq"] = v
  }
}
