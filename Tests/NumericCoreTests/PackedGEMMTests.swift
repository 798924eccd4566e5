import NumericCore
import TestSupport
import XCTest

/// The packed recurrent-step product against OpenBLAS's sgemm, on shapes with every kind of
/// remainder (rows not a multiple of 4, columns not a multiple of 16, k over the 256 slice).
final class PackedGEMMTests: XCTestCase {
  func testMatchesSgemm() throws {
    try XCTSkipUnless(PackedGEMM.isAvailable, "this CPU has no AVX2/FMA: the engine uses sgemm instead")
    var rng = RandomGenerator(seed: 7)
    var worst: Float = 0
    // m = 1 with n = 100 and 1,024: four panels at a time plus single and partial panels.
    for (m, n, k) in [
      (1, 1, 1), (4, 16, 8), (16, 512, 128), (7, 52, 13), (3, 1024, 256), (17, 33, 300), (5, 70, 600), (1, 100, 100),
      (1, 1024, 300), (6, 1024, 1100),  // the last: over 4 MB packed, so the next slice is prefetched
    ] {
      for transB in [false, true] {
        for accumulate in [false, true] {
          let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
          let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
          let c0 = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
          var expected = c0, actual = c0
          var packed = [Float](repeating: .nan, count: PackedGEMM.size(k: k, n: n))
          let ldb = transB ? k : n
          BLAS.serialGemm(
            transB: transB, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: ldb, beta: accumulate ? 1 : 0,
            c: &expected, ldc: n)
          packed.withUnsafeMutableBufferPointer {
            PackedGEMM.pack(b: b, ldb: ldb, transB: transB, k: k, n: n, into: $0.baseAddress!)
          }
          PackedGEMM.multiply(m: m, n: n, k: k, a: a, lda: k, packed: packed, c: &actual, ldc: n, accumulate: accumulate)
          let error = maxRelativeError(actual, expected, floor: 1)
          worst = max(worst, error)
          // Sums of up to 1,100 products of magnitude ≤ 1 in float32, added in another order: the
          // rounding differences grow with k.
          XCTAssertLessThan(error, max(1e-5, Float(k) * 2e-8), "m=\(m) n=\(n) k=\(k) transB=\(transB) accumulate=\(accumulate)")
        }
      }
    }
    print("packed GEMM vs sgemm: worst |difference| / max(|sgemm|, 1) = \(worst)")
  }
}
