#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NumericCore

/// Worst-case errors of a Float function against a Double reference.
struct ErrorStats: CustomStringConvertible {
  var maxAbs = 0.0
  var maxRel = 0.0
  var maxUlp = 0.0
  var worstRelX: Float = 0
  var worstUlpX: Float = 0
  var count = 0

  var description: String {
    "n=\(count) maxAbs=\(maxAbs) maxRel=\(maxRel) (x=\(worstRelX)) maxUlp=\(maxUlp) (x=\(worstUlpX))"
  }
}

/// Spacing of Floats at `r` (the ulp of the correctly rounded result), never below the
/// subnormal-free floor 2^-149·2^23 = ulp(FLT_MIN).
func floatUlp(at r: Double) -> Double {
  let f = Float(r)
  if !f.isFinite { return Double(Float.greatestFiniteMagnitude.ulp) }
  return Double(Swift.max(abs(f), Float.leastNormalMagnitude).ulp)
}

/// Runs the array form `f` over `xs` (so chunks and the tail are both exercised) and compares
/// with `reference`. Relative and ulp errors are taken only where |reference| ≥ FLT_MIN.
func measureErrors(
  _ xs: [Float],
  _ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
  reference: (Double) -> Double
) -> ErrorStats {
  var ys = [Float](repeating: .nan, count: xs.count)
  xs.withUnsafeBufferPointer { xp in
    ys.withUnsafeMutableBufferPointer { yp in f(xp.baseAddress!, yp.baseAddress!, xs.count) }
  }
  var s = ErrorStats()
  s.count = xs.count
  for i in xs.indices {
    let r = reference(Double(xs[i]))
    let a = abs(Double(ys[i]) - r)
    s.maxAbs = Swift.max(s.maxAbs, a)
    guard abs(r) >= Double(Float.leastNormalMagnitude) else { continue }
    let rel = a / abs(r)
    if rel > s.maxRel { s.maxRel = rel; s.worstRelX = xs[i] }
    let u = a / floatUlp(at: r)
    if u > s.maxUlp { s.maxUlp = u; s.worstUlpX = xs[i] }
  }
  return s
}

/// 2 000 001 points evenly spaced over [−20, 20] (includes 0 and ±20).
let sweepPoints: [Float] = {
  let n = 2_000_001
  return (0..<n).map { Float(-20.0 + 40.0 * Double($0) / Double(n - 1)) }
}()

/// Every `stride`-th Float in [lo, hi] (walking the bit patterns, so small magnitudes are
/// sampled as densely as large ones). Both bounds must have the same sign.
func floatsBetween(_ lo: Float, _ hi: Float, stride: UInt32) -> [Float] {
  precondition(lo <= hi && (lo.sign == hi.sign || lo == 0))
  var out: [Float] = []
  if lo >= 0 {
    var b = lo.bitPattern
    while b <= hi.bitPattern { out.append(Float(bitPattern: b)); b &+= stride }
  } else {
    var b = hi.bitPattern  // negative: larger bit pattern = more negative
    while b <= lo.bitPattern { out.append(Float(bitPattern: b)); b &+= stride }
  }
  return out
}

/// Every Float from `x` stepping `steps` times by nextUp (inclusive).
func consecutiveFloats(from x: Float, steps: Int) -> [Float] {
  var out: [Float] = [x]
  var v = x
  for _ in 0..<steps { v = v.nextUp; out.append(v) }
  return out
}

func referenceSigmoid(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// Elements per second of `body` applied to `n` elements, best of `reps` runs.
func elementsPerSecond(n: Int, reps: Int, _ body: () -> Void) -> Double {
  var best = Double.infinity
  for _ in 0..<reps {
    var t0 = timespec()
    var t1 = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t0)
    body()
    clock_gettime(CLOCK_MONOTONIC, &t1)
    let dt = Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
    best = Swift.min(best, dt)
  }
  return Double(n) / best
}
