import NumericCore
import TestSupport
import XCTest

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
