import TestSupport
import XCTest

@testable import NumericCore

final class BLASTests: XCTestCase {
  func testGemmMatchesNaiveProduct() {
    var rng = RandomGenerator(seed: 1)
    let a = Matrix(rows: 5, cols: 7, values: (0..<35).map { _ in rng.uniform(-1, 1) })
    let b = Matrix(rows: 7, cols: 3, values: (0..<21).map { _ in rng.uniform(-1, 1) })
    let c = a.matmul(b)
    for i in 0..<5 {
      for j in 0..<3 {
        var s: Float = 0
        for k in 0..<7 { s += a[i, k] * b[k, j] }
        XCTAssertTrue(isClose(c[i, j], s, rtol: 1e-5, atol: 1e-6))
      }
    }
    let bt = Matrix(rows: 3, cols: 7, values: (0..<21).map { b[$0 % 7, $0 / 7] })
    XCTAssertEqual(a.matmul(bt, transposeOther: true).values.count, 15)
    for (x, y) in zip(a.matmul(bt, transposeOther: true).values, c.values) { XCTAssertTrue(isClose(x, y)) }
  }
}

extension BLASTests {
  /// Products large enough that `gemm` splits them across cores: with 2 threads, `m·n·k ≥
  /// BLAS.parallelWork`, and `m ≥ 2·minimumPartSize` (split by rows of C) or else
  /// `n ≥ 2·minimumPartSize` (split by columns). Every element of the split product must be
  /// within the rounding bound of the exact one, for every transpose, with alpha and beta.
  ///
  /// Not bit-identical to one call in general: OpenBLAS (0.3.21 here, SkylakeX/Cooperlake
  /// kernels) picks its kernel by the shape of each call (small-matrix kernels when
  /// M·N·K ≤ 10^6; for Aᵀ·B only when also M·N ≤ 1200 and K ≥ 32), and kernels add the k
  /// products in different orders. The last two shapes put the whole product above 10^6 and each
  /// part below it. Any two summation orders of
  /// `α·Σ_p a_p·b_p + β·c` are each within γ = (k+2)·u/(1 − (k+2)·u) (u = 2^−24) of the exact
  /// value, relative to `|α|·Σ|a_p·b_p| + |β·c|`, so the split and the one-call results may
  /// differ by 2γ of that, never more; a wrong part offset gives errors of order 1.
  func testParallelSplitByRowsAndByColumnsIsWithinRounding() {
    let saved = BLAS.threads
    BLAS.threads = 2
    defer { BLAS.threads = saved }
    var rng = RandomGenerator(seed: 5)
    let (alpha, beta): (Float, Float) = (1.5, 0.5)
    for (m, n, k) in [(96, 80, 40), (8, 256, 160), (64, 256, 96), (16, 1024, 64)] {
      let byRows = m >= 2 * BLAS.minimumPartSize
      XCTAssertGreaterThanOrEqual(m * n * k, BLAS.parallelWork, "too small to split")
      XCTAssertTrue(byRows || n >= 2 * BLAS.minimumPartSize, "neither rows nor columns to split")
      XCTAssertEqual(Parallel.parts(for: byRows ? m : n, minimumRows: BLAS.minimumPartSize), 2)
      let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }, b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
      let c0 = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
      let u = 0x1p-24, gamma = Double(k + 2) * u / (1 - Double(k + 2) * u)
      for transA in [false, true] {
        for transB in [false, true] {
          let (lda, ldb) = (transA ? m : k, transB ? k : n)
          var split = c0, serial = c0
          BLAS.gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
            beta: beta, c: &split, ldc: n)
          BLAS.serialGemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
            beta: beta, c: &serial, ldc: n)
          var worst = 0.0  // the largest error as a fraction of its bound; ≤ 1 passes
          for i in 0..<m {
            for j in 0..<n {
              var exact = 0.0, magnitude = 0.0
              for p in 0..<k {
                let x = Double(transA ? a[p * lda + i] : a[i * lda + p])
                let y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                exact += x * y
                magnitude += abs(x * y)
              }
              let c = Double(c0[i * n + j])
              exact = Double(alpha) * exact + Double(beta) * c
              let bound = gamma * (Double(alpha) * magnitude + Double(beta) * abs(c))
              let e = max(abs(Double(split[i * n + j]) - exact), abs(Double(serial[i * n + j]) - exact))
              worst = max(worst, e / bound, abs(Double(split[i * n + j]) - Double(serial[i * n + j])) / (2 * bound))
            }
          }
          XCTAssertLessThanOrEqual(worst, 1, "\(m)×\(n)×\(k) transA \(transA) transB \(transB)")
        }
      }
    }
  }
}
