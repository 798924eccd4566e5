import CKernels
import NumericCore
import TestSupport
import XCTest

/// The bf16 GEMM and matvec (`precision bf16`) against an fp64 reference, and the portable path
/// against the AVX-512 BF16 path, on awkward shapes (1, odd, not multiples of the 8×32 block,
/// k over one and two 512-value slices and odd, so the last pair is padded; m over the 32- and
/// 64-row chunks).
///
/// Bounds. bf16 keeps 8 significant bits, so rounding to nearest gives |â − a| ≤ 2⁻⁸|a| (u = 2⁻⁸)
/// and |âb̂ − ab| ≤ (2u + u²)|ab| = (2⁻⁷ + 2⁻¹⁶)|ab|; the product âb̂ is exact in fp32 and k of them
/// are summed in fp32 (u = 2⁻²⁴, any order): at most (k − 1)·2⁻²⁴·Σ|âb̂| (to first order), with
/// Σ|âb̂| ≤ (1 + 2⁻⁷ + 2⁻¹⁶)Σ|ab|. So every element must satisfy
///   |c − Σab| ≤ (2⁻⁷ + 2⁻¹⁶ + 1.02·k·2⁻²⁴) · Σ|a||b|,
/// tighter than k·2⁻⁸·Σ|a||b| for every k ≥ 2 (and correct for k = 1, where that one is not).
/// The two paths sum the same exact products, so they can differ only by the fp32 summation:
///   |c_native − c_portable| ≤ 2·k·2⁻²⁴ · Σ|âb̂| (+ one rounding of the final add to C);
/// with the order bf16gemm.c follows they are bit-identical on the CPUs tested (Zen 4), and the
/// test reports how many elements differ.
final class BF16GEMMTests: XCTestCase {
  static let shapes = [
    (1, 1, 1), (1, 17, 3), (3, 5, 7), (8, 32, 2), (9, 33, 257), (13, 40, 300), (65, 100, 513), (70, 31, 1),
    (1, 1024, 300), (40, 130, 64), (33, 47, 1101),
  ]

  func testRoundsToNearestEvenAndKeepsNaN() {
    func bits(_ x: Float) -> UInt16 { rnn_bf16_from_float(x) }
    XCTAssertEqual(bits(1), 0x3f80)
    XCTAssertEqual(bits(Float(bitPattern: 0x3f80_8000)), 0x3f80, "a tie rounds to the even neighbour (down)")
    XCTAssertEqual(bits(Float(bitPattern: 0x3f81_8000)), 0x3f82, "a tie rounds to the even neighbour (up)")
    XCTAssertEqual(bits(Float(bitPattern: 0x3f80_8001)), 0x3f81, "above half rounds up")
    XCTAssertEqual(bits(Float(bitPattern: 0x3f80_7fff)), 0x3f80, "below half rounds down")
    XCTAssertEqual(bits(-0.0), 0x8000)
    XCTAssertEqual(bits(.infinity), 0x7f80)
    XCTAssertEqual(bits(-.infinity), 0xff80)
    XCTAssertEqual(bits(.greatestFiniteMagnitude), 0x7f80, "past the largest bf16: rounds to ∞")
    for nan in [Float.nan, -Float.nan, Float(bitPattern: 0x7f80_0001), Float(bitPattern: 0xff80_0001)] {
      XCTAssertTrue(rnn_bf16_to_float(bits(nan)).isNaN, "\(nan.bitPattern) must stay NaN")
      XCTAssertEqual(bits(nan) & 0x8000, UInt16(nan.bitPattern >> 16) & 0x8000, "sign kept")
    }
    var rng = RandomGenerator(seed: 5)
    for _ in 0..<10_000 {
      let x = rng.uniform(-1000, 1000)
      let r = rnn_bf16_to_float(bits(x))
      XCTAssertLessThanOrEqual(abs(r - x), abs(x) * 0x1p-8, "\(x)")
    }
  }

  func testMatchesFP64WithinTheRoundingBound() {
    var rng = RandomGenerator(seed: 7)
    var worst = 0.0
    for (m, n, k) in Self.shapes {
      for transB in [false, true] {
        let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
        let b = (0..<(k * n)).map { _ in rng.uniform(-2, 2) }
        let packed = Self.pack(b, transB: transB, k: k, n: n)
        var c = [Float](repeating: .nan, count: m * n)
        BF16GEMM.multiply(m: m, n: n, k: k, a: a, lda: k, packed: packed, c: &c, ldc: n, accumulate: false)
        for i in 0..<m {
          for j in 0..<n {
            var exact = 0.0, magnitude = 0.0
            for q in 0..<k {
              let p = Double(a[i * k + q]) * Double(transB ? b[j * k + q] : b[q * n + j])
              exact += p
              magnitude += abs(p)
            }
            let bound = (0x1p-7 + 0x1p-16 + 1.02 * Double(k) * 0x1p-24) * magnitude
            let error = abs(Double(c[i * n + j]) - exact)
            worst = max(worst, error / bound)
            XCTAssertLessThanOrEqual(error, bound, "m=\(m) n=\(n) k=\(k) transB=\(transB) at \(i),\(j)")
          }
        }
      }
    }
    print("bf16 GEMM vs fp64: worst |error| / bound = \(worst)")
  }

  func testPortablePathMatchesNative() throws {
    try XCTSkipUnless(BF16GEMM.isNative, "this CPU has no AVX-512 BF16: only the portable path runs")
    var rng = RandomGenerator(seed: 9)
    var differing = 0, total = 0
    for (m, n, k) in Self.shapes {
      for accumulate in [false, true] {
        let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
        let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
        let c0 = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
        let packed = Self.pack(b, transB: true, k: k, n: n)
        var native = c0, portable = c0
        rnn_gemm_bf16(m, n, k, a, k, packed, &native, n, accumulate ? 1 : 0)
        rnn_gemm_bf16_portable(m, n, k, a, k, packed, &portable, n, accumulate ? 1 : 0)
        for i in 0..<m {
          for j in 0..<n {
            var magnitude: Float = 0
            for q in 0..<k { magnitude += abs(Self.round(a[i * k + q]) * Self.round(b[j * k + q])) }
            let bound = 2 * Float(k) * 0x1p-24 * magnitude + 0x1p-23 * abs(portable[i * n + j])
            XCTAssertLessThanOrEqual(abs(native[i * n + j] - portable[i * n + j]), bound, "m=\(m) n=\(n) k=\(k)")
            if native[i * n + j].bitPattern != portable[i * n + j].bitPattern { differing += 1 }
            total += 1
          }
        }
      }
    }
    print("bf16 GEMM: portable and AVX-512 paths differ in \(differing) of \(total) elements")
  }

  /// The transposed-A product (`rnn_gemm_bf16_at`, the weight gradients' dW = dGᵀ·X) within the
  /// same bound against fp64, bit-identical to `rnn_gemm_bf16` on an explicitly transposed copy
  /// of A (the same products in the same order), and the portable path against the AVX-512 one,
  /// on the same awkward shapes, with A's row stride wider than m.
  func testTransposedAMatchesFP64AndTheUntransposedProduct() throws {
    var rng = RandomGenerator(seed: 13)
    var worst = 0.0
    for (m, n, k) in Self.shapes {
      for accumulate in [false, true] {
        let lda = m + 3
        let at = (0..<(k * lda)).map { _ in rng.uniform(-1, 1) }  // A stored k×m, row stride lda
        let a = (0..<(m * k)).map { at[($0 % k) * lda + $0 / k] }  // the same A, m×k row-major
        let b = (0..<(k * n)).map { _ in rng.uniform(-2, 2) }
        let c0 = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
        let packed = Self.pack(b, transB: false, k: k, n: n)
        var c = c0, reference = c0, portable = c0
        BF16GEMM.multiply(
          transA: true, m: m, n: n, k: k, a: at, lda: lda, packed: packed, c: &c, ldc: n, accumulate: accumulate)
        rnn_gemm_bf16(m, n, k, a, k, packed, &reference, n, accumulate ? 1 : 0)
        rnn_gemm_bf16_at_portable(m, n, k, at, lda, packed, &portable, n, accumulate ? 1 : 0)
        for i in 0..<m {
          for j in 0..<n {
            var exact = accumulate ? Double(c0[i * n + j]) : 0, magnitude = accumulate ? abs(exact) : 0
            for q in 0..<k {
              let p = Double(a[i * k + q]) * Double(b[q * n + j])
              exact += p
              magnitude += abs(p)
            }
            let bound = (0x1p-7 + 0x1p-16 + 1.02 * Double(k + 1) * 0x1p-24) * magnitude
            let error = abs(Double(c[i * n + j]) - exact)
            worst = max(worst, error / bound)
            XCTAssertLessThanOrEqual(error, bound, "m=\(m) n=\(n) k=\(k) at \(i),\(j)")
            XCTAssertEqual(c[i * n + j].bitPattern, reference[i * n + j].bitPattern, "m=\(m) n=\(n) k=\(k)")
            if BF16GEMM.isNative {
              XCTAssertEqual(portable[i * n + j].bitPattern, c[i * n + j].bitPattern, "portable m=\(m) n=\(n) k=\(k)")
            }
          }
        }
      }
    }
    print("bf16 GEMM (transposed A) vs fp64: worst |error| / bound = \(worst)")
  }

  /// `parallelPack` writes the values `pack` does, both ways round, on widths that split into
  /// several parts and leave a partial last panel.
  func testParallelPackMatchesPack() {
    var rng = RandomGenerator(seed: 17)
    for (k, n) in [(1, 1), (7, 33), (300, 130), (513, 257), (2048, 65)] {
      let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
      for transB in [false, true] {
        var parallel = [UInt16](repeating: 0xffff, count: BF16GEMM.packedSize(k: k, n: n))
        parallel.withUnsafeMutableBufferPointer {
          BF16GEMM.parallelPack(b: b, ldb: transB ? k : n, transB: transB, k: k, n: n, into: $0.baseAddress!)
        }
        XCTAssertEqual(parallel, Self.pack(b, transB: transB, k: k, n: n), "k=\(k) n=\(n) transB=\(transB)")
      }
    }
  }

  /// Packing B untransposed and transposed gives the same panels for the same op(B).
  func testPackingBothWaysAgrees() {
    var rng = RandomGenerator(seed: 19)
    for (k, n) in [(1, 1), (3, 17), (9, 33), (257, 40)] {
      let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }  // k×n
      let bt = (0..<(n * k)).map { b[($0 % k) * n + $0 / k] }  // n×k: the transpose
      XCTAssertEqual(Self.pack(b, transB: false, k: k, n: n), Self.pack(bt, transB: true, k: k, n: n), "k=\(k) n=\(n)")
    }
  }

  func testMatvecMatchesFP64AndPortable() {
    var rng = RandomGenerator(seed: 11)
    for (m, n) in [(1, 1), (3, 7), (4, 32), (9, 33), (37, 71), (64, 1000)] {
      let a = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
      let x = (0..<n).map { _ in rng.uniform(-1, 1) }
      var ab = [UInt16](repeating: 0, count: m * n)
      BF16GEMM.convert(a, into: &ab, count: m * n)
      let y0 = (0..<m).map { _ in rng.uniform(-1, 1) }
      var y = y0, portable = y0
      BF16GEMM.matvec(m: m, n: n, a: ab, lda: n, x: x, y: &y, accumulate: true)
      rnn_matvec_bf16_portable(m, n, ab, n, x, &portable, 1)
      for i in 0..<m {
        var exact = Double(y0[i]), magnitude = 0.0
        for j in 0..<n {
          exact += Double(a[i * n + j]) * Double(x[j])
          magnitude += abs(Double(a[i * n + j]) * Double(x[j]))
        }
        let bound = (0x1p-7 + 0x1p-16 + 1.02 * Double(n + 1) * 0x1p-24) * (magnitude + abs(Double(y0[i])))
        XCTAssertLessThanOrEqual(abs(Double(y[i]) - exact), bound, "m=\(m) n=\(n) row \(i)")
        XCTAssertEqual(y[i].bitPattern, portable[i].bitPattern, "m=\(m) n=\(n) row \(i): same order of operations")
      }
    }
  }

  /// A NaN in A makes its row of C NaN, never a finite wrong number.
  func testNaNPropagates() {
    let m = 3, n = 20, k = 9
    var a = [Float](repeating: 0.5, count: m * k)
    a[1 * k + 4] = .nan
    let packed = Self.pack([Float](repeating: 0.25, count: k * n), transB: true, k: k, n: n)
    var c = [Float](repeating: 0, count: m * n)
    BF16GEMM.multiply(m: m, n: n, k: k, a: a, lda: k, packed: packed, c: &c, ldc: n, accumulate: false)
    XCTAssertTrue((0..<n).allSatisfy { c[n + $0].isNaN })
    XCTAssertTrue((0..<n).allSatisfy { c[$0] == Float(k) * 0.125 })
  }

  static func round(_ x: Float) -> Float { rnn_bf16_to_float(rnn_bf16_from_float(x)) }

  static func pack(_ b: [Float], transB: Bool, k: Int, n: Int) -> [UInt16] {
    var packed = [UInt16](repeating: 0xffff, count: BF16GEMM.packedSize(k: k, n: n))
    packed.withUnsafeMutableBufferPointer {
      BF16GEMM.pack(b: b, ldb: transB ? k : n, transB: transB, k: k, n: n, into: $0.baseAddress!)
    }
    return packed
  }
}
