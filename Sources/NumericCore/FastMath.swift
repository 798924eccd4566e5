#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Vectorized activations: Cephes-style `exp`, `tanh`, `sigmoid` on `SIMD8<Float>`, their
/// scalar forms, array forms and a stable `softmax`.
///
/// Design rules (relied upon by the model kernels):
/// - The scalar functions evaluate the *same* straight-line formula as the vector ones (they
///   broadcast into a `Vector` and take lane 0), so a result never depends on whether an element
///   fell into an 8-wide chunk or into the scalar tail of an array.
/// - The vector path contains no libm calls and no per-lane scalar code: only `+ − × ÷`,
///   comparisons/`replacing(with:where:)` and integer bit operations on the exponent field.
///   No fused multiply-add is used (the package is built for baseline x86-64, where a vector
///   `fma` would turn into per-lane libm calls), so results are identical on every target.
/// - NaN inputs give NaN outputs.
///
/// The error figures in the doc comments are measured against Double-precision libm by
/// `FastMathTests` (2 000 001 points evenly spaced over [−20, 20], dense bit-pattern sweeps, plus
/// edge cases) and are asserted there as a contract. "ulp" is the spacing of Floats at the
/// reference value. Results are identical in debug and release builds.
public enum FastMath {
  public typealias Vector = SIMD8<Float>

  // MARK: Constants (Cephes expf / tanhf)

  @inlinable static var log2e: Float { 1.44269504088896341 }
  /// ln 2 split so that `n·ln2Hi` is exact for |n| < 2^15.
  @inlinable static var ln2Hi: Float { 0.693359375 }
  @inlinable static var ln2Lo: Float { -2.12194440e-4 }
  /// 1.5·2^23: adding it rounds a Float with |v| < 2^22 to an integer (nearest-even) and leaves
  /// that integer in the low mantissa bits.
  @inlinable static var roundMagic: Float { 12_582_912 }
  @inlinable static var roundMagicBits: Int32 { 0x4B40_0000 }
  /// Inputs above this are clamped (the result is +inf anyway: exp(88.8) > Float.greatestFiniteMagnitude).
  @inlinable static var expClampHigh: Float { 88.8 }
  /// Inputs below this are clamped (the result is flushed to 0 anyway).
  @inlinable static var expClampLow: Float { -88.0 }
  /// The smallest Float `x` with exp(x) ≥ Float.leastNormalMagnitude (ln 2^−126 = −87.3365447…,
  /// rounded up). `exp` returns exactly 0 below it, so it never produces a subnormal.
  @inlinable public static var expMinNormalInput: Float { -87.33654022216797 }
  /// The largest Float `x` with exp(x) ≤ Float.greatestFiniteMagnitude; `exp` is +inf above it.
  @inlinable public static var expMaxFiniteInput: Float { 88.72283172607421875 }
  /// |x| at and above which `tanh` returns exactly ±1.
  @inlinable public static var tanhSaturation: Float { 9 }

  // MARK: Bit helpers

  @inlinable @inline(__always)
  static func bits(_ v: Vector) -> SIMD8<UInt32> { unsafeBitCast(v, to: SIMD8<UInt32>.self) }
  @inlinable @inline(__always)
  static func float(_ b: SIMD8<UInt32>) -> Vector { unsafeBitCast(b, to: Vector.self) }

  // MARK: Vector forms

  /// Vectorized e^x (Cephes `expf`): n = round(x·log2 e), r = x − n·ln2 (two-part ln 2),
  /// e^r ≈ 1 + r + r²·P(r) with a degree-5 P, then ×2^n built in the exponent bits (in two
  /// halves, so n = 128 is still exact).
  ///
  /// Contract (measured over 2M points in [−20, 20] plus edge sweeps, vs Double `exp`):
  /// - max relative error **8.1e-8** (**0.96 ulp**) for every x with a normal result,
  ///   x ∈ [−87.3365, 88.7228] (also sampled every 4099th Float over that whole range);
  /// - x < `expMinNormalInput` (≈ −87.3365, including −inf) → exactly **+0** (never subnormal);
  /// - x > `expMaxFiniteInput` (≈ 88.7228, including +inf) → **+inf**; below it always finite;
  /// - exp(±0) = 1 exactly; NaN → NaN.
  @inlinable
  public static func exp(_ x: Vector) -> Vector { expKernel(x) }

  /// The body of `exp(_: Vector)`, always inlined (also into `tanh` and `sigmoid`).
  @inlinable @inline(__always)
  static func expKernel(_ x: Vector) -> Vector {
    // NaN-preserving clamp (comparisons with NaN are false, so NaN lanes pass through).
    var xc = x.replacing(with: expClampHigh, where: x .> expClampHigh)
    xc = xc.replacing(with: expClampLow, where: xc .< expClampLow)

    // n = round(x·log2 e) via the 1.5·2^23 trick; the integer is in the low bits of t.
    let t = xc * log2e + roundMagic
    let n = t - roundMagic
    let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- roundMagicBits

    // r = x − n·ln2, |r| ≤ ~0.35.
    var r = xc - n * ln2Hi
    r = r - n * ln2Lo
    let z = r * r

    var p = Vector(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * z + r + 1

    // ×2^n as ×2^(n>>1) ×2^(n − n>>1): both factors are normal for n ∈ [−127, 129], and the
    // first product is exact, so overflow to +inf is correctly rounded.
    let n1 = ni &>> 1
    let n2 = ni &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Vector.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Vector.self)
    let y = (p * s1) * s2
    // Flush results below the normal range (and −inf inputs) to exactly 0.
    return y.replacing(with: 0, where: x .< expMinNormalInput)
  }

  /// Vectorized tanh (Cephes `tanhf`): for |x| < 0.625 the odd polynomial
  /// x + x·x²·P(x²) (no cancellation near 0; tiny x returns x exactly), otherwise
  /// 1 − 2/(e^{2|x|} + 1) with the vector `exp`; exactly ±1 for |x| ≥ 9 (`tanhSaturation`).
  /// The sign is copied from x, so tanh(−0) = −0 and the function is exactly odd.
  ///
  /// Contract (measured over 2M points in [−20, 20] plus edge sweeps, vs Double `tanh`):
  /// - max absolute error **7.5e-8**, max relative error **1.32e-7** (**1.26 ulp**) for all x
  ///   (also sampled every 1021st Float over ±[1e-30, 12]);
  /// - tanh(±inf) = ±1, tanh(±0) = ±0, NaN → NaN.
  @inlinable
  public static func tanh(_ x: Vector) -> Vector {
    let xb = bits(x)
    let sign = xb & 0x8000_0000
    let ax = float(xb & 0x7FFF_FFFF)

    // Small |x|: odd polynomial.
    let z = ax * ax
    var p = Vector(repeating: -5.70498872745e-3)
    p = p * z + 2.06390887954e-2
    p = p * z - 5.37397155531e-2
    p = p * z + 1.33314422036e-1
    p = p * z - 3.33332819422e-1
    let small = (p * z) * ax + ax

    // Larger |x|: 1 − 2/(e^{2|x|} + 1); |x| is capped so e^{2|x|} stays finite.
    let capped = ax.replacing(with: tanhSaturation, where: ax .> tanhSaturation)
    let e = expKernel(capped + capped)
    let large = 1 - 2 / (e + 1)

    var t = large.replacing(with: small, where: ax .< 0.625)
    t = t.replacing(with: 1, where: ax .>= tanhSaturation)
    return float(bits(t) | sign)
  }

  /// Vectorized logistic σ(x) = 1/(1 + e^{−x}), evaluated as e = e^{−|x|} ∈ [0, 1], then
  /// σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0 (one division) — nothing overflows for any x.
  ///
  /// Contract (measured over 2M points in [−20, 20] plus edge sweeps, vs Double
  /// 1/(1 + exp(−x))):
  /// - max absolute error **8.9e-8**; max relative error **1.77e-7** (**2.26 ulp**) whenever the
  ///   result is normal, x ≥ −87.3365 (also sampled every 1021st Float over ±[1e-30, 100]);
  /// - for x < −87.3365 (true σ < 2^−126) the result is exactly 0 (absolute error < 1.2e-38);
  /// - σ(+inf) = 1, σ(−inf) = 0, σ(±0) = 0.5, NaN → NaN.
  @inlinable
  public static func sigmoid(_ x: Vector) -> Vector {
    let ax = float(bits(x) & 0x7FFF_FFFF)
    let e = expKernel(0 - ax)
    let num = Vector(repeating: 1).replacing(with: e, where: x .< 0)
    return num / (1 + e)
  }

  // MARK: Scalar forms (same formula as the vector lanes)

  /// Scalar e^x, bit-identical to each lane of `exp(_: Vector)`; same accuracy contract.
  @inlinable public static func exp(_ x: Float) -> Float { exp(Vector(repeating: x))[0] }
  /// Scalar tanh, bit-identical to each lane of `tanh(_: Vector)`; same accuracy contract.
  @inlinable public static func tanh(_ x: Float) -> Float { tanh(Vector(repeating: x))[0] }
  /// Scalar σ(x), bit-identical to each lane of `sigmoid(_: Vector)`; same accuracy contract.
  @inlinable public static func sigmoid(_ x: Float) -> Float { sigmoid(Vector(repeating: x))[0] }

  // MARK: Array forms

  /// `y[i] = tanh(x[i])` for `count` elements; `x` and `y` may be the same memory (but must not
  /// partially overlap). Chunks of 8 use the vector form, the tail the (identical) scalar form.
  @inlinable
  public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 8 <= count {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: tanh(v), as: Vector.self)
      i &+= 8
    }
    while i < count {
      y[i] = tanh(x[i])
      i &+= 1
    }
  }

  /// `y[i] = σ(x[i])` for `count` elements; `x` and `y` may be the same memory (but must not
  /// partially overlap).
  @inlinable
  public static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 8 <= count {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: sigmoid(v), as: Vector.self)
      i &+= 8
    }
    while i < count {
      y[i] = sigmoid(x[i])
      i &+= 1
    }
  }

  /// `y[i] = exp(x[i])` for `count` elements; `x` and `y` may be the same memory (but must not
  /// partially overlap).
  @inlinable
  public static func exp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 8 <= count {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: exp(v), as: Vector.self)
      i &+= 8
    }
    while i < count {
      y[i] = exp(x[i])
      i &+= 1
    }
  }

  // MARK: Softmax

  /// In-place softmax over `count` elements: `x[i] = exp(x[i] − max) / Σ exp(x[j] − max)`.
  /// Returns log Σ exp(x[j]) of the input (the log-partition), handy for cross-entropy.
  ///
  /// - Stable for any finite inputs (the maximum is subtracted first); uses the vector `exp`.
  /// - −inf entries are "masked": they get probability exactly 0 and do not affect the rest.
  /// - A single finite element becomes 1 and the return value is that element.
  /// - `count == 0`, or every entry −inf: the entries are set to 0 and −inf is returned.
  /// - Any NaN entry makes every output and the return value NaN; a +inf entry gives NaN too.
  /// - Accuracy (tested): each probability p_i within relative 4e-7 + 6e-8·|x_i − max| of the
  ///   exact value, plus 6e-8·count/32 for the Float summation (the second term is the
  ///   unavoidable rounding of x_i − max in Float; the third is a worst case), plus
  ///   2^−126 absolute (entries with x_i − max < −87.3365 become exactly 0); the
  ///   return value within 4e-7·max(1, |log-partition|) absolute.
  @inlinable @discardableResult
  public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) -> Float {
    guard count > 0 else { return -.infinity }
    let m = maximum(x, count: count)
    if m == -.infinity {  // everything masked
      x.update(repeating: 0, count: count)
      return -.infinity
    }
    let s = exponentiateShifted(x, count: count, by: m)
    scale(x, count: count, by: 1 / s)
    return m + logf(s)
  }

  /// Softmax step 1: the largest of `count ≥ 1` elements (NaNs are skipped here but propagate
  /// through step 2).
  @inlinable @inline(__always)
  static func maximum(_ x: UnsafeMutablePointer<Float>, count: Int) -> Float {
    var vm = Vector(repeating: -.infinity)
    var i = 0
    while i &+ 8 <= count {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
      vm = vm.replacing(with: v, where: v .> vm)
      i &+= 8
    }
    var m = vm.max()
    while i < count {
      if x[i] > m { m = x[i] }
      i &+= 1
    }
    return m
  }

  /// Softmax step 2: `x[i] = exp(x[i] − m)` in place; returns Σ of them (32 partial sums in 4
  /// accumulators, then the chunks of 8, then the scalar tail, in that order).
  @inlinable @inline(__always)
  static func exponentiateShifted(_ x: UnsafeMutablePointer<Float>, count: Int, by m: Float) -> Float {
    let vmax = Vector(repeating: m)
    var vs = Vector.zero, vs1 = Vector.zero, vs2 = Vector.zero, vs3 = Vector.zero
    var i = 0
    while i &+ 32 <= count {
      let p = UnsafeMutableRawPointer(x + i)
      let e0 = exp(p.loadUnaligned(as: Vector.self) - vmax)
      let e1 = exp(p.loadUnaligned(fromByteOffset: 32, as: Vector.self) - vmax)
      let e2 = exp(p.loadUnaligned(fromByteOffset: 64, as: Vector.self) - vmax)
      let e3 = exp(p.loadUnaligned(fromByteOffset: 96, as: Vector.self) - vmax)
      p.storeBytes(of: e0, as: Vector.self)
      p.storeBytes(of: e1, toByteOffset: 32, as: Vector.self)
      p.storeBytes(of: e2, toByteOffset: 64, as: Vector.self)
      p.storeBytes(of: e3, toByteOffset: 96, as: Vector.self)
      vs += e0
      vs1 += e1
      vs2 += e2
      vs3 += e3
      i &+= 32
    }
    vs = (vs + vs1) + (vs2 + vs3)
    while i &+ 8 <= count {
      let p = UnsafeMutableRawPointer(x + i)
      let e = exp(p.loadUnaligned(as: Vector.self) - vmax)
      p.storeBytes(of: e, as: Vector.self)
      vs += e
      i &+= 8
    }
    var s = vs.sum()
    while i < count {
      let e = exp(x[i] - m)
      x[i] = e
      s += e
      i &+= 1
    }
    return s
  }

  /// Softmax step 3: `x[i] *= factor` (the normalisation by 1/Σ).
  @inlinable @inline(__always)
  static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    let v = Vector(repeating: factor)
    var i = 0
    while i &+ 8 <= count {
      let p = UnsafeMutableRawPointer(x + i)
      p.storeBytes(of: p.loadUnaligned(as: Vector.self) * v, as: Vector.self)
      i &+= 8
    }
    while i < count {
      x[i] *= factor
      i &+= 1
    }
  }
}
