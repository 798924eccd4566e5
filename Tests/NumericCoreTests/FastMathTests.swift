#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NumericCore
import XCTest

/// The accuracy contract stated in the doc comments of `FastMath` (measured values, rounded up).
private enum Contract {
  static let expMaxRel = 8.1e-8
  static let expMaxUlp = 0.96
  static let tanhMaxAbs = 7.5e-8
  static let tanhMaxRel = 1.32e-7
  static let tanhMaxUlp = 1.26
  static let sigmoidMaxAbs = 8.9e-8
  static let sigmoidMaxRel = 1.77e-7
  static let sigmoidMaxUlp = 2.26
}

final class FastMathTests: XCTestCase {
  // MARK: exp

  func testExpAccuracyContract() {
    let sweep = measureErrors(sweepPoints, { FastMath.exp($0, into: $1, count: $2) }, reference: exp)
    // The whole normal-result range, sampled through the bit patterns.
    let neg = floatsBetween(FastMath.expMinNormalInput, -1e-30, stride: 4099)
    let pos = floatsBetween(1e-30, FastMath.expMaxFiniteInput, stride: 4099)
    let full = measureErrors(
      neg + pos + [FastMath.expMinNormalInput, FastMath.expMaxFiniteInput],
      { FastMath.exp($0, into: $1, count: $2) }, reference: exp)
    print("FastMath.exp sweep [-20, 20]: \(sweep)")
    print("FastMath.exp normal range:    \(full)")
    for s in [sweep, full] {
      XCTAssertLessThanOrEqual(s.maxRel, Contract.expMaxRel, "\(s)")
      XCTAssertLessThanOrEqual(s.maxUlp, Contract.expMaxUlp, "\(s)")
    }
  }

  func testExpEdgeCases() {
    XCTAssertEqual(FastMath.exp(0 as Float), 1)
    XCTAssertEqual(FastMath.exp(-Float.zero), 1)
    XCTAssertEqual(FastMath.exp(Float.infinity), .infinity)
    XCTAssertEqual(FastMath.exp(-Float.infinity), 0)
    XCTAssertTrue(FastMath.exp(Float.nan).isNaN)
    XCTAssertTrue(FastMath.exp(-Float.nan).isNaN)
    XCTAssertEqual(FastMath.exp(1e-30 as Float), 1)
    XCTAssertEqual(FastMath.exp(-1e-30 as Float), 1)
    XCTAssertEqual(FastMath.exp(Float.leastNonzeroMagnitude), 1)
    XCTAssertEqual(FastMath.exp(-Float.leastNonzeroMagnitude), 1)
    XCTAssertEqual(FastMath.exp(-88.7 as Float), 0)
    XCTAssertEqual(FastMath.exp(-1000 as Float), 0)
    XCTAssertEqual(FastMath.exp(-Float.greatestFiniteMagnitude), 0)
    XCTAssertEqual(FastMath.exp(1000 as Float), .infinity)
    XCTAssertEqual(FastMath.exp(Float.greatestFiniteMagnitude), .infinity)
    XCTAssertTrue(isWithinUlps(FastMath.exp(88.7 as Float), exp(Double(88.7 as Float)), Contract.expMaxUlp))
    XCTAssertTrue(isWithinUlps(FastMath.exp(1 as Float), M_E, Contract.expMaxUlp))
    // The documented thresholds are the true boundaries of the normal range.
    XCTAssertLessThan(exp(Double(FastMath.expMaxFiniteInput)), Double(Float.greatestFiniteMagnitude))
    XCTAssertGreaterThan(exp(Double(FastMath.expMaxFiniteInput.nextUp)), Double(Float.greatestFiniteMagnitude))
    XCTAssertGreaterThanOrEqual(exp(Double(FastMath.expMinNormalInput)), Double(Float.leastNormalMagnitude))
    XCTAssertLessThan(exp(Double(FastMath.expMinNormalInput.nextDown)), Double(Float.leastNormalMagnitude))
    XCTAssertTrue(FastMath.exp(FastMath.expMaxFiniteInput).isFinite)
    XCTAssertEqual(FastMath.exp(FastMath.expMaxFiniteInput.nextUp), .infinity)
    XCTAssertTrue(FastMath.exp(FastMath.expMinNormalInput).isNormal)
    XCTAssertEqual(FastMath.exp(FastMath.expMinNormalInput.nextDown), 0)
  }

  /// Overflow is consistent (+inf exactly above the threshold, finite below), and the result is
  /// never subnormal: every Float around both thresholds, and a sweep of [−200, −80].
  func testExpOverflowAndUnderflowAreConsistent() {
    let top = consecutiveFloats(from: 88.70, steps: 5000)
    for x in top {
      let y = FastMath.exp(x)
      if x <= FastMath.expMaxFiniteInput {
        XCTAssertTrue(y.isFinite, "exp(\(x)) = \(y)")
      } else {
        XCTAssertEqual(y, .infinity, "exp(\(x))")
      }
    }
    let bottom =
      consecutiveFloats(from: -87.36, steps: 6000)
      + floatsBetween(-200, -80, stride: 97)
    for x in bottom {
      let y = FastMath.exp(x)
      XCTAssertTrue(y == 0 || y.isNormal, "exp(\(x)) = \(y) is subnormal")
      XCTAssertEqual(y == 0, x < FastMath.expMinNormalInput, "exp(\(x)) = \(y)")
    }
  }

  // MARK: tanh

  func testTanhAccuracyContract() {
    let sweep = measureErrors(sweepPoints, { FastMath.tanh($0, into: $1, count: $2) }, reference: tanh)
    // Dense over all magnitudes 1e-30 … 12 (both signs), through the bit patterns.
    let mags = floatsBetween(1e-30, 12, stride: 1021)
    let dense = measureErrors(
      mags + mags.map { -$0 }, { FastMath.tanh($0, into: $1, count: $2) }, reference: tanh)
    print("FastMath.tanh sweep [-20, 20]: \(sweep)")
    print("FastMath.tanh 1e-30…12:        \(dense)")
    for s in [sweep, dense] {
      XCTAssertLessThanOrEqual(s.maxAbs, Contract.tanhMaxAbs, "\(s)")
      XCTAssertLessThanOrEqual(s.maxRel, Contract.tanhMaxRel, "\(s)")
      XCTAssertLessThanOrEqual(s.maxUlp, Contract.tanhMaxUlp, "\(s)")
    }
  }

  func testTanhEdgeCases() {
    XCTAssertEqual(FastMath.tanh(0 as Float).bitPattern, Float(0).bitPattern)
    XCTAssertEqual(FastMath.tanh(-Float.zero).bitPattern, (-Float.zero).bitPattern)
    XCTAssertEqual(FastMath.tanh(Float.infinity), 1)
    XCTAssertEqual(FastMath.tanh(-Float.infinity), -1)
    XCTAssertTrue(FastMath.tanh(Float.nan).isNaN)
    XCTAssertTrue(FastMath.tanh(-Float.nan).isNaN)
    XCTAssertEqual(FastMath.tanh(88.7 as Float), 1)
    XCTAssertEqual(FastMath.tanh(-88.7 as Float), -1)
    XCTAssertEqual(FastMath.tanh(Float.greatestFiniteMagnitude), 1)
    for tiny: Float in [1e-30, 1e-20, 1e-10, 1e-5, Float.leastNormalMagnitude, Float.leastNonzeroMagnitude] {
      XCTAssertEqual(FastMath.tanh(tiny), tiny, "tanh(\(tiny))")
      XCTAssertEqual(FastMath.tanh(-tiny), -tiny, "tanh(\(-tiny))")
    }
    // Saturation: exactly ±1 from tanhSaturation on, strictly inside (−1, 1) below it.
    for x in consecutiveFloats(from: FastMath.tanhSaturation, steps: 2000) + [10, 20, 50, 1e10] {
      XCTAssertEqual(FastMath.tanh(x), 1, "tanh(\(x))")
      XCTAssertEqual(FastMath.tanh(-x), -1, "tanh(\(-x))")
    }
    XCTAssertLessThan(FastMath.tanh(FastMath.tanhSaturation.nextDown), 1)
    // Exactly odd, and monotone across the polynomial/exp switch at 0.625.
    for x in sweepPoints where x > 0 {
      XCTAssertEqual(FastMath.tanh(-x).bitPattern, (-FastMath.tanh(x)).bitPattern)
      if x > 0.6 { break }
    }
    let around = consecutiveFloats(from: 0.62, steps: 3000)
    for (a, b) in zip(around, around.dropFirst()) {
      XCTAssertLessThanOrEqual(FastMath.tanh(a), FastMath.tanh(b), "tanh not monotone at \(a)")
    }
  }

  // MARK: sigmoid

  func testSigmoidAccuracyContract() {
    let sweep = measureErrors(sweepPoints, { FastMath.sigmoid($0, into: $1, count: $2) }, reference: referenceSigmoid)
    let neg = floatsBetween(-100, -1e-30, stride: 1021)
    let pos = floatsBetween(1e-30, 100, stride: 1021)
    let dense = measureErrors(neg + pos, { FastMath.sigmoid($0, into: $1, count: $2) }, reference: referenceSigmoid)
    print("FastMath.sigmoid sweep [-20, 20]: \(sweep)")
    print("FastMath.sigmoid ±(1e-30…100):    \(dense)")
    for s in [sweep, dense] {
      XCTAssertLessThanOrEqual(s.maxAbs, Contract.sigmoidMaxAbs, "\(s)")
      XCTAssertLessThanOrEqual(s.maxRel, Contract.sigmoidMaxRel, "\(s)")
      XCTAssertLessThanOrEqual(s.maxUlp, Contract.sigmoidMaxUlp, "\(s)")
    }
  }

  func testSigmoidEdgeCases() {
    XCTAssertEqual(FastMath.sigmoid(0 as Float), 0.5)
    XCTAssertEqual(FastMath.sigmoid(-Float.zero), 0.5)
    XCTAssertEqual(FastMath.sigmoid(Float.infinity), 1)
    XCTAssertEqual(FastMath.sigmoid(-Float.infinity), 0)
    XCTAssertTrue(FastMath.sigmoid(Float.nan).isNaN)
    XCTAssertTrue(FastMath.sigmoid(-Float.nan).isNaN)
    XCTAssertEqual(FastMath.sigmoid(88.7 as Float), 1)
    XCTAssertEqual(FastMath.sigmoid(-88.7 as Float), 0)
    XCTAssertEqual(FastMath.sigmoid(Float.greatestFiniteMagnitude), 1)
    XCTAssertEqual(FastMath.sigmoid(-Float.greatestFiniteMagnitude), 0)
    XCTAssertEqual(FastMath.sigmoid(1e-30 as Float), 0.5)
    XCTAssertEqual(FastMath.sigmoid(-1e-30 as Float), 0.5)
    // No overflow, no NaN and no subnormal anywhere on the negative side.
    for x in floatsBetween(-1e30, -1, stride: 4099) {
      let y = FastMath.sigmoid(x)
      XCTAssertTrue(y == 0 || y.isNormal, "sigmoid(\(x)) = \(y)")
    }
    XCTAssertTrue(isWithinUlps(FastMath.sigmoid(-80 as Float), referenceSigmoid(-80), Contract.sigmoidMaxUlp))
  }

  // MARK: scalar / vector / array consistency

  /// The scalar forms are bit-identical to the vector lanes and to the array forms, whatever the
  /// element's position (chunk or tail): all 2M sweep points plus the special values.
  func testScalarMatchesVectorLanesBitwise() {
    let specials: [Float] = [
      0, -0.0, .infinity, -.infinity, .nan, 88.7, -88.7, 1e-30, -1e-30, 0.625, -0.625, 9, -9,
      FastMath.expMaxFiniteInput, FastMath.expMinNormalInput, .leastNonzeroMagnitude,
    ]
    // Every 20th sweep point (the full sweep is too slow for a debug build) plus the specials.
    let xs = stride(from: 0, to: sweepPoints.count, by: 20).map { sweepPoints[$0] } + specials
    typealias ArrayForm = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    let cases: [(String, (Float) -> Float, (FastMath.Vector) -> FastMath.Vector, ArrayForm)] = [
      ("exp", FastMath.exp, FastMath.exp, { FastMath.exp($0, into: $1, count: $2) }),
      ("tanh", FastMath.tanh, FastMath.tanh, { FastMath.tanh($0, into: $1, count: $2) }),
      ("sigmoid", FastMath.sigmoid, FastMath.sigmoid, { FastMath.sigmoid($0, into: $1, count: $2) }),
    ]
    for (name, scalar, vector, array) in cases {
      for shift in [0, 3] {  // shift moves every element between chunk and tail positions
        let input = Array(xs.dropFirst(shift))
        var out = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { x in
          out.withUnsafeMutableBufferPointer { y in array(x.baseAddress!, y.baseAddress!, input.count) }
        }
        var mismatches = 0
        for i in input.indices where scalar(input[i]).bitPattern != out[i].bitPattern {
          mismatches += 1
          if mismatches < 5 { XCTFail("\(name)(\(input[i])): scalar \(scalar(input[i])) vs array \(out[i])") }
        }
        XCTAssertEqual(mismatches, 0, "\(name)")
      }
      // Direct vector calls, with the specials in every lane position.
      for rot in 0..<8 {
        var v = FastMath.Vector()
        for lane in 0..<8 { v[lane] = specials[(lane + rot) % specials.count] }
        let r = vector(v)
        for lane in 0..<8 {
          XCTAssertEqual(r[lane].bitPattern, scalar(v[lane]).bitPattern, "\(name) lane \(lane) of \(v)")
        }
      }
    }
  }

  /// `x` and `y` may be the same memory; all tail lengths 0…17 work.
  func testArrayFormsInPlaceAndAllTailLengths() {
    for count in 0...17 {
      let xs = (0..<count).map { Float($0) * 0.7 - 5 }
      for (name, scalar, array): (String, (Float) -> Float, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) in [
        ("exp", FastMath.exp, { FastMath.exp($0, into: $1, count: $2) }),
        ("tanh", FastMath.tanh, { FastMath.tanh($0, into: $1, count: $2) }),
        ("sigmoid", FastMath.sigmoid, { FastMath.sigmoid($0, into: $1, count: $2) }),
      ] {
        var buf = xs + [42]  // sentinel must stay untouched
        buf.withUnsafeMutableBufferPointer { p in array(UnsafePointer(p.baseAddress!), p.baseAddress!, count) }
        XCTAssertEqual(Array(buf.prefix(count)), xs.map(scalar), "\(name) in place, count \(count)")
        XCTAssertEqual(buf[count], 42, "\(name) wrote past count \(count)")
      }
    }
  }

  // MARK: softmax

  private func softmaxed(_ xs: [Float]) -> ([Float], Float) {
    var ys = xs
    let lse = ys.withUnsafeMutableBufferPointer { FastMath.softmax($0.baseAddress!, count: $0.count) }
    return (ys, lse)
  }

  private func referenceSoftmax(_ xs: [Float]) -> ([Double], Double) {
    let m = Double(xs.max()!)
    let e = xs.map { exp(Double($0) - m) }
    let s = e.reduce(0, +)
    return (e.map { $0 / s }, m + log(s))
  }

  func testSoftmaxMatchesDoubleReference() {
    var rng = RandomGenerator(seed: 7)
    for count in [1, 2, 7, 8, 9, 16, 31, 100, 1000, 4099] {
      for scale: Float in [1, 10, 50] {
        let xs = (0..<count).map { _ in rng.uniform(-scale, scale) }
        let (ys, lse) = softmaxed(xs)
        let (ref, refLse) = referenceSoftmax(xs)
        var total = 0.0
        for i in 0..<count {
          total += Double(ys[i])
          // Contract: 4e-7 relative plus the unavoidable rounding of x − max (≤ 2^-24·|x − max|)
          // plus the worst-case summation error (32 partial sums),
          // plus FLT_MIN absolute (probabilities below 2^-126 are flushed to 0).
          let bound =
            ref[i] * (4e-7 + 6e-8 * abs(Double(xs[i]) - Double(xs.max()!)) + 6e-8 * Double(count) / 32)
            + Double(Float.leastNormalMagnitude)
          XCTAssertLessThanOrEqual(abs(Double(ys[i]) - ref[i]), bound, "count \(count) scale \(scale) i \(i)")
        }
        XCTAssertEqual(total, 1, accuracy: 1e-5)
        XCTAssertEqual(Double(lse), refLse, accuracy: 4e-7 * Swift.max(1, abs(refLse)))
      }
    }
  }

  func testSoftmaxIsStableForLargeInputs() {
    let (ys, lse) = softmaxed([1000, 1001, 1002, -1000, 3e38, 3e38, 0, 0, 1])
    XCTAssertTrue(ys.allSatisfy { $0.isFinite })
    XCTAssertEqual(ys[4], 0.5, accuracy: 1e-6)
    XCTAssertEqual(ys[5], 0.5, accuracy: 1e-6)
    XCTAssertEqual(ys[0], 0)
    XCTAssertEqual(lse, 3e38, accuracy: 3e38 * 1e-6)

    let (zs, lse2) = softmaxed([1000, 1001, 1002])
    let (ref, refLse) = referenceSoftmax([1000, 1001, 1002])
    for i in 0..<3 { XCTAssertEqual(Double(zs[i]), ref[i], accuracy: 1e-6) }
    XCTAssertEqual(Double(lse2), refLse, accuracy: 1e-4)
  }

  func testSoftmaxMasksNegativeInfinity() {
    var xs = [Float](repeating: -.infinity, count: 19)
    xs[3] = 1
    xs[11] = 2
    xs[18] = 1  // in the scalar tail
    let (ys, lse) = softmaxed(xs)
    let (ref, refLse) = referenceSoftmax([1, 2, 1])
    for i in 0..<19 where ![3, 11, 18].contains(i) { XCTAssertEqual(ys[i].bitPattern, Float(0).bitPattern, "i \(i)") }
    XCTAssertEqual(Double(ys[3]), ref[0], accuracy: 1e-7)
    XCTAssertEqual(Double(ys[11]), ref[1], accuracy: 1e-7)
    XCTAssertEqual(Double(ys[18]), ref[2], accuracy: 1e-7)
    XCTAssertEqual(ys[3], ys[18])
    XCTAssertEqual(Double(lse), refLse, accuracy: 1e-6)
  }

  func testSoftmaxSingleElementEmptyAndAllMasked() {
    for x: Float in [0, -3.5, 1e30, -1e30] {
      let (ys, lse) = softmaxed([x])
      XCTAssertEqual(ys, [1])
      XCTAssertEqual(lse, x)
    }
    var empty: [Float] = []
    XCTAssertEqual(
      empty.withUnsafeMutableBufferPointer { FastMath.softmax($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, count: 0) },
      -.infinity)
    for count in [1, 5, 8, 13] {
      let (ys, lse) = softmaxed([Float](repeating: -.infinity, count: count))
      XCTAssertEqual(ys, [Float](repeating: 0, count: count))
      XCTAssertEqual(lse, -.infinity)
    }
  }

  func testSoftmaxPropagatesNaN() {
    for position in [0, 9] {  // chunk and tail
      var xs: [Float] = (0..<10).map { Float($0) }
      xs[position] = .nan
      let (ys, lse) = softmaxed(xs)
      XCTAssertTrue(ys.allSatisfy { $0.isNaN }, "\(ys)")
      XCTAssertTrue(lse.isNaN)
    }
  }

  // MARK: speed (informational, never asserted)

  /// Prints elements/second of the array tanh (and exp, sigmoid) on 1M elements next to a libm
  /// `tanhf` loop. Meaningful only in a release build (`swift test -c release`).
  func testTanhThroughputReport() {
    let n = 1 << 20
    var rng = RandomGenerator(seed: 3)
    let xs = (0..<n).map { _ in rng.uniform(-6, 6) }
    var ys = [Float](repeating: 0, count: n)
    #if DEBUG
      let reps = 1
      let mode = "DEBUG build: figures are not meaningful"
    #else
      let reps = 15
      let mode = "release build"
    #endif
    var sink: Float = 0
    let fast = xs.withUnsafeBufferPointer { x in
      ys.withUnsafeMutableBufferPointer { y in
        elementsPerSecond(n: n, reps: reps) { FastMath.tanh(x.baseAddress!, into: y.baseAddress!, count: n) }
      }
    }
    sink += ys[n / 2]
    let libm = xs.withUnsafeBufferPointer { x in
      ys.withUnsafeMutableBufferPointer { y in
        elementsPerSecond(n: n, reps: reps) {
          for i in 0..<n { y[i] = tanhf(x[i]) }
        }
      }
    }
    sink += ys[n / 2]
    let fastSigmoid = xs.withUnsafeBufferPointer { x in
      ys.withUnsafeMutableBufferPointer { y in
        elementsPerSecond(n: n, reps: reps) { FastMath.sigmoid(x.baseAddress!, into: y.baseAddress!, count: n) }
      }
    }
    let fastExp = xs.withUnsafeBufferPointer { x in
      ys.withUnsafeMutableBufferPointer { y in
        elementsPerSecond(n: n, reps: reps) { FastMath.exp(x.baseAddress!, into: y.baseAddress!, count: n) }
      }
    }
    sink += ys[n / 2]
    func m(_ v: Double) -> String { "\((v / 1e5).rounded() / 10) M elem/s" }
    print("FastMath throughput (\(mode), 1M elements, best of \(reps)):")
    print("  FastMath.tanh array: \(m(fast))  vs  libm tanhf loop: \(m(libm))  → \((fast / libm * 10).rounded() / 10)× faster")
    print("  FastMath.sigmoid array: \(m(fastSigmoid)),  FastMath.exp array: \(m(fastExp))  (sink \(sink))")
  }
}

/// |y − r| ≤ ulps · ulp(r).
private func isWithinUlps(_ y: Float, _ r: Double, _ ulps: Double) -> Bool {
  abs(Double(y) - r) <= ulps * floatUlp(at: r)
}
