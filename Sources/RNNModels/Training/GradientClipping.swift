/// How gradients are limited before each update.
/// - `norm(c)`: PyTorch's `clip_grad_norm_`: with the global L2 norm ‖g‖ over all parameters,
///   scale every gradient by `c / (‖g‖ + 1e-6)` when that is below 1.
/// - `value(c)`: element-wise clamp to [−c, c], as min-char-rnn's `np.clip(dparam, -5, 5)`.
public enum GradientClipping: Sendable, Equatable, Codable {
  case none
  case norm(Float)
  case value(Float)

  /// Clips `count` gradients in place and returns the global norm measured before clipping.
  @discardableResult
  public func apply(to g: UnsafeMutablePointer<Float>, count: Int) -> Float {
    var sum = 0.0
    for i in 0..<count { sum += Double(g[i]) * Double(g[i]) }
    let norm = Float(sum.squareRoot())
    switch self {
    case .none:
      break
    case .norm(let maxNorm):
      let coefficient = maxNorm / (norm + 1e-6)
      if coefficient < 1 {
        for i in 0..<count { g[i] *= coefficient }
      }
    case .value(let limit):
      for i in 0..<count { g[i] = min(max(g[i], -limit), limit) }
    }
    return norm
  }
}
