import NumericCore
import XCTest

@testable import RNNModels

/// The AVX2 gate kernels in C (`Sources/CKernels/gates.c`) give exactly the bits of the Swift
/// kernels they replace, on ordinary values, the tails of rows (units not a multiple of 8), parts
/// of rows (stride > units), and inputs that hit every branch of `exp`, `tanh` and `σ`
/// (saturation, clamping, ±0, ±inf, NaN).
final class NativeGateKernelTests: XCTestCase {
  /// Values spread over the ranges the functions branch on, then random ones.
  static func inputs(_ count: Int, seed: UInt64) -> [Float] {
    let special: [Float] = [
      0, -0, 1e-30, -1e-30, 0.3, -0.3, 0.625, -0.625, 0.7, 5, -5, 9, -9, 9.5, 20, -20, 44.4, -44.4, 87.4,
      -87.4, 88.8, -88.8, 100, -100, .infinity, -.infinity, .nan, Float.leastNonzeroMagnitude,
    ]
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { i in i < special.count && seed % 2 == 0 ? special[i] : rng.uniform(-6, 6) }
  }

  func assertSameBits(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count)
    for i in 0..<a.count where a[i].bitPattern != b[i].bitPattern {
      XCTFail("\(what)[\(i)]: native \(a[i]) vs Swift \(b[i])", file: file, line: line)
      return
    }
  }

  func skipWithoutAVX2() throws {
    try XCTSkipUnless(NativeGateKernels.available, "no AVX2/FMA: the Swift kernels are the only path")
  }

  func testLSTMForwardAndBackward() throws {
    try skipWithoutAVX2()
    for (units, stride) in [(1, 1), (7, 7), (8, 8), (13, 13), (64, 64), (100, 100), (20, 52)] {
      for seed: UInt64 in [2, 3] {
        let gates = Self.inputs(4 * stride, seed: seed), rec = Self.inputs(4 * stride, seed: seed + 10)
        let cPrev = Self.inputs(stride, seed: seed + 20)
        var g1 = gates, g2 = gates
        var c1 = [Float](repeating: 0, count: stride), c2 = c1, h1 = c1, h2 = c1
        LSTMKernel.forward(units: units, stride: stride, gates: &g1, recurrent: rec, cPrev: cPrev, c: &c1, h: &h1)
        LSTMKernel.portableForward(units: units, stride: stride, gates: &g2, recurrent: rec, cPrev: cPrev, c: &c2, h: &h2)
        assertSameBits(g1, g2, "LSTM gates \(units)/\(stride)")
        assertSameBits(c1, c2, "LSTM c \(units)/\(stride)")
        assertSameBits(h1, h2, "LSTM h \(units)/\(stride)")
        guard units == stride else { continue }
        // Backward from the activated gates (and from raw values, which reach the edge cases).
        for g in [g1, gates] {
          let dh = Self.inputs(units, seed: seed + 30), c = Self.inputs(units, seed: seed + 40)
          var dc1 = Self.inputs(units, seed: seed + 50), dc2 = dc1
          var dg1 = [Float](repeating: 0, count: 4 * units), dg2 = dg1
          LSTMKernel.backward(batch: 1, hidden: units, dh: dh, dc: &dc1, gates: g, cPrev: cPrev, c: c, dGates: &dg1)
          LSTMKernel.portableBackward(hidden: units, dh: dh, dc: &dc2, gates: g, cPrev: cPrev, c: c, dGates: &dg2)
          assertSameBits(dg1, dg2, "LSTM dGates \(units)")
          assertSameBits(dc1, dc2, "LSTM dc \(units)")
        }
      }
    }
  }

  func testGRUForward() throws {
    try skipWithoutAVX2()
    for (units, stride) in [(1, 1), (7, 7), (8, 8), (13, 13), (64, 64), (100, 100), (20, 52)] {
      for seed: UInt64 in [2, 3] {
        let gates = Self.inputs(3 * stride, seed: seed), rec = Self.inputs(3 * stride, seed: seed + 10)
        let hPrev = Self.inputs(stride, seed: seed + 20)
        var g1 = gates, g2 = gates
        var n1 = [Float](repeating: 0, count: stride), n2 = n1, h1 = n1, h2 = n1
        GRUKernel.forward(units: units, stride: stride, gates: &g1, recurrent: rec, hPrev: hPrev, hn: &n1, h: &h1)
        GRUKernel.portableForward(units: units, stride: stride, gates: &g2, recurrent: rec, hPrev: hPrev, hn: &n2, h: &h2)
        assertSameBits(g1, g2, "GRU gates \(units)/\(stride)")
        assertSameBits(n1, n2, "GRU h_n \(units)/\(stride)")
        assertSameBits(h1, h2, "GRU h \(units)/\(stride)")
      }
    }
  }

  func testTanhRNNForward() throws {
    try skipWithoutAVX2()
    for count in [1, 7, 8, 13, 64, 100, 1000] {
      for seed: UInt64 in [2, 3] {
        let gates = Self.inputs(count, seed: seed), rec = Self.inputs(count, seed: seed + 10)
        var h1 = [Float](repeating: 0, count: count), h2 = h1
        TanhRNNKernel.forward(batch: 1, hidden: count, gates: gates, recurrent: rec, h: &h1)
        TanhRNNKernel.portableForward(count: count, gates: gates, recurrent: rec, h: &h2)
        assertSameBits(h1, h2, "RNN h \(count)")
      }
    }
  }
}
