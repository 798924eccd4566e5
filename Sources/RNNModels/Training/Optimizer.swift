#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    switch config.kind {
    case .sgd:
      let mu = config.momentum
      guard mu != 0 else {
        for i in 0..<count { p[i] -= lr * g[i] }
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
        for i in 0..<count {
          s[i] += g[i] * g[i]
          p[i] -= lr * g[i] / (s[i].squareRoot() + eps)
        }
      }
    case .rmsprop:
      let a = config.alpha, eps = config.epsilon
      state.slots["square_avg"]!.withUnsafeMutableBufferPointer { avgs in
        let v = avgs.baseAddress!
        for i in 0..<count {
          v[i] = a * v[i] + (1 - a) * g[i] * g[i]
          p[i] -= lr * g[i] / (v[i].squareRoot() + eps)
        }
      }
    case .adam, .adamw:
      adam(config: config, state: &state, lr: lr, p: p, g: g, count: count)
    }
  }

  private static func adam(
    config: OptimizerConfig, state: inout OptimizerState, lr: Float,
    p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, count: Int
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
        for i in 0..<count {
          if decay != 1 { p[i] *= decay }
          m[i] += (g[i] - m[i]) * (1 - b1)
          v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i]
          let denom = v[i].squareRoot() / bc2Sqrt + eps
          p[i] -= stepSize * m[i] / denom
        }
      }
    }
    state.slots["exp_avg"] = m
    state.slots["exp_avg_sq"] = v
  }
}
