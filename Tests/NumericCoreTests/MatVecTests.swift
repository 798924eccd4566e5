import NumericCore
import XCTest

/// `BLAS.gemv` without transpose (CKernels' AVX2 `rnn_matvec` where the CPU has it, else sgemv)
/// against a Double-precision reference, on shapes with every remainder: rows not a multiple of
/// 4, columns not a multiple of 16 or 8, a row stride wider than the row, both betas, with and
/// without prefetching.
final class MatVecTests: XCTestCase {
  func testMatchesDoublePrecisionReference() {
    var rng = RandomGenerator(seed: 11)
    var worst = 0.0
    for (m, n, lda) in [(1, 1, 1), (4, 16, 16), (5, 7, 9), (3, 24, 24), (7, 31, 40), (128, 256, 256), (130, 513, 520)] {
      for beta: Float in [0, 1] {
        let prefetch = beta == 1  // the prefetching row loop gives the same sums
        let a = (0..<(m * lda)).map { _ in rng.uniform(-1, 1) }
        let x = (0..<n).map { _ in rng.uniform(-1, 1) }
        let y0 = (0..<m).map { _ in rng.uniform(-1, 1) }
        var y = y0
        BLAS.gemv(m: m, n: n, a: a, lda: lda, x: x, beta: beta, y: &y, prefetch: prefetch)
        for i in 0..<m {
          var s = beta == 1 ? Double(y0[i]) : 0
          var magnitude = abs(s)
          for j in 0..<n {
            s += Double(a[i * lda + j]) * Double(x[j])
            magnitude += abs(Double(a[i * lda + j]) * Double(x[j]))
          }
          let error = abs(Double(y[i]) - s) / max(magnitude, 1)
          worst = max(worst, error)
          // Float32 sums of up to 514 terms: a few units of 2^-24 times the sum of magnitudes.
          XCTAssertLessThan(error, 1e-6, "m=\(m) n=\(n) lda=\(lda) beta=\(beta) row \(i)")
        }
      }
    }
    print("matvec vs Double: worst |error| / Σ|terms| = \(worst)")
  }
}
