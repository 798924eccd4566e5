#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Vectorized activations. PLACEHOLDER bodies (per-lane libm); to be replaced by SIMD polynomials.
public enum FastMath {
  public typealias Vector = SIMD8<Float>

  @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
  @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inlinable public static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

  @inlinable public static func exp(_ x: Vector) -> Vector {
    var r = x
    for i in 0..<Vector.scalarCount { r[i] = expf(x[i]) }
    return r
  }
  @inlinable public static func tanh(_ x: Vector) -> Vector {
    var r = x
    for i in 0..<Vector.scalarCount { r[i] = tanhf(x[i]) }
    return r
  }
  @inlinable public static func sigmoid(_ x: Vector) -> Vector {
    var r = x
    for i in 0..<Vector.scalarCount { r[i] = 1 / (1 + expf(-x[i])) }
    return r
  }

  /// `y[i] = tanh(x[i])` for `count` elements; `x` and `y` may be the same memory.
  @inlinable
  public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = tanh(x[i]) }
  }
  /// `y[i] = σ(x[i])` for `count` elements; `x` and `y` may be the same memory.
  @inlinable
  public static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = sigmoid(x[i]) }
  }
  /// `y[i] = exp(x[i])` for `count` elements; `x` and `y` may be the same memory.
  @inlinable
  public static func exp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = exp(x[i]) }
  }

  /// In-place softmax over `count` elements: `x[i] = exp(x[i] - max) / Σ exp(x[j] - max)`.
  /// Returns log Σ exp(x[j]) of the input (the log-partition), handy for cross-entropy.
  @inlinable @discardableResult
  public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) -> Float {
    var m = -Float.infinity
    for i in 0..<count { m = Swift.max(m, x[i]) }
    var s: Float = 0
    for i in 0..<count {
      let e = exp(x[i] - m)
      x[i] = e
      s += e
    }
    let inv = 1 / s
    for i in 0..<count { x[i] *= inv }
    return m + logf(s)
  }
}
