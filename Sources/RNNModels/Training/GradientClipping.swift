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
    let norm = Float(GradientClipping.sumOfSquares(g, count: count).squareRoot())
    clip(g, count: count, norm: norm)
    return norm
  }

  /// Clips gradients kept in two buffers as one vector (the global norm is over both), for a
  /// model whose parameters live in two buffers (the classifier's body and head). Returns the
  /// global norm measured before clipping.
  @discardableResult
  public func apply(
    to first: UnsafeMutablePointer<Float>, count firstCount: Int, and second: UnsafeMutablePointer<Float>,
    count secondCount: Int
  ) -> Float {
    let sum =
      GradientClipping.sumOfSquares(first, count: firstCount)
      + GradientClipping.sumOfSquares(second, count: secondCount)
    let norm = Float(sum.squareRoot())
    clip(first, count: firstCount, norm: norm)
    clip(second, count: secondCount, norm: norm)
    return norm
  }

  /// Clips gradients kept in any number of buffers as one vector (the sequence-to-sequence
  /// model's encoder, decoder and attention). Returns the global norm measured before clipping.
  @discardableResult
  public func apply(toGroups groups: [(UnsafeMutablePointer<Float>, Int)]) -> Float {
    let norm = Float(groups.reduce(0.0) { $0 + GradientClipping.sumOfSquares($1.0, count: $1.1) }.squareRoot())
    for (g, count) in groups { clip(g, count: count, norm: norm) }
    return norm
  }

  /// Clips `count` gradients of a vector whose global norm is `norm`.
  private func clip(_ g: UnsafeMutablePointer<Float>, count: Int, norm: Float) {
    switch self {
    case .none:
      break
    case .norm(let maxNorm):
      let coefficient = maxNorm / (norm + 1e-6)
      if coefficient < 1 {
        for i in 0..<count { g[i] *= coefficient }
      }
    case .value(let limit):
      let lo = SIMD8<Float>(repeating: -limit), hi = SIMD8<Float>(repeating: limit)
      var i = 0
      while i + 8 <= count {
        var v = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
        v.replace(with: lo, where: v .< lo)
        v.replace(with: hi, where: v .> hi)
        UnsafeMutableRawPointer(g + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i += 8
      }
      while i < count {
        g[i] = min(max(g[i], -limit), limit)
        i += 1
      }
    }
  }

  /// Σ gᵢ² in double precision, eight independent partial sums (no serial dependency chain).
  static func sumOfSquares(_ g: UnsafePointer<Float>, count: Int) -> Double {
    var lo = SIMD4<Double>(repeating: 0), hi = SIMD4<Double>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      let v = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
      let a = SIMD4<Double>(v.lowHalf), b = SIMD4<Double>(v.highHalf)
      lo += a * a
      hi += b * b
      i += 8
    }
    var sum = (lo + hi).sum()
    while i < count {
      sum += Double(g[i]) * Double(g[i])
      i += 1
    }
    return sum
  }
}
