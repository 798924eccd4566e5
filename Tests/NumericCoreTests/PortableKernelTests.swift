import CKernels
import Foundation
import NumericCore
import XCTest

/// The C kernels' portable paths (what runs on a CPU without AVX2/FMA, or off x86-64) against the
/// paths the engine takes here (and the gate kernels' AVX2 path, which an AVX-512 CPU does not
/// take): the same bits, output for output, on shapes with every remainder
/// (rows not a multiple of 4, columns not a multiple of 16 or 8, k over the 256-term slices) and on
/// inputs past the clamps of exp and tanh. Each portable result is also checked against a
/// Double-precision reference, so the test fails if a fallback computes nothing, even where both
/// calls take the portable path (no AVX2: `CPUFeatures.avx2FMA` is false).
final class PortableKernelTests: XCTestCase {
  private var rng = RandomGenerator(seed: 17)

  private func values(_ count: Int, _ low: Float, _ high: Float) -> [Float] {
    (0..<count).map { _ in rng.uniform(low, high) }
  }

  /// Fails unless `fast` and `portable` hold the same bits (any NaN matches any NaN).
  private func assertSameBits(_ fast: [Float], _ portable: [Float], _ what: String, line: UInt = #line) {
    XCTAssertEqual(fast.count, portable.count, what, line: line)
    for (i, (a, b)) in zip(fast, portable).enumerated() where a.bitPattern != b.bitPattern && !(a.isNaN && b.isNaN) {
      return XCTFail("\(what): element \(i) is \(a) on the fast path, \(b) on the portable one", line: line)
    }
  }

  func testPackedGEMMPortableMatchesFastPath() {
    for (m, n, k) in [(1, 64, 300), (1, 70, 20), (4, 16, 1), (5, 33, 513), (32, 128, 256), (3, 129, 257)] {
      let a = values(m * k, -1, 1)
      let b = values(k * n, -1, 1)
      var packed = [Float](repeating: .nan, count: Int(rnn_packed_size(k, n)))
      rnn_pack_b(b, n, 0, k, n, &packed)
      for accumulate: Int32 in [0, 1] {
        let c0 = values(m * n, -1, 1)
        var fast = c0
        var portable = c0
        rnn_gemm_packed(m, n, k, a, k, packed, &fast, n, accumulate)
        rnn_gemm_packed_portable(m, n, k, a, k, packed, &portable, n, accumulate)
        assertSameBits(fast, portable, "gemm m=\(m) n=\(n) k=\(k) accumulate=\(accumulate)")
        for i in 0..<m {
          for j in 0..<n {
            var s = accumulate == 1 ? Double(c0[i * n + j]) : 0
            for q in 0..<k { s += Double(a[i * k + q]) * Double(b[q * n + j]) }
            XCTAssertEqual(Double(portable[i * n + j]), s, accuracy: 1e-5 * Double(k + 1), "gemm m=\(m) n=\(n) k=\(k)")
          }
        }
      }
    }
  }

  func testMatVecPortableMatchesFastPath() {
    for (m, n, lda) in [(1, 1, 1), (5, 7, 9), (3, 24, 24), (7, 31, 40), (130, 513, 520)] {
      let a = values(m * lda, -1, 1)
      let x = values(n, -1, 1)
      for accumulate: Int32 in [0, 1] {
        let y0 = values(m, -1, 1)
        var fast = y0
        var portable = y0
        rnn_matvec(m, n, a, lda, x, &fast, accumulate, accumulate)
        rnn_matvec_portable(m, n, a, lda, x, &portable, accumulate, 0)
        assertSameBits(fast, portable, "matvec m=\(m) n=\(n) lda=\(lda) accumulate=\(accumulate)")
        for i in 0..<m {
          var s = accumulate == 1 ? Double(y0[i]) : 0
          for j in 0..<n { s += Double(a[i * lda + j]) * Double(x[j]) }
          XCTAssertEqual(Double(portable[i]), s, accuracy: 1e-5 * Double(n + 1), "matvec m=\(m) n=\(n) row \(i)")
        }
      }
    }
  }

  /// Pre-activations over the whole range the kernels distinguish: the polynomial and exponential
  /// branches of tanh, past its cap at 9 and past exp's clamps, infinities and zeros of both signs.
  private func preactivations(_ count: Int) -> [Float] {
    let special: [Float] = [0, -0.0, 0.624, 0.626, 9, -9, 44, -44, 90, -90, .infinity, -.infinity]
    return (0..<count).map { i in i % 5 == 4 ? special[(i / 5) % special.count] : rng.uniform(-12, 12) }
  }

  func testGateKernelsPortableMatchFastPath() {
    for (n, stride) in [(1, 1), (7, 7), (8, 8), (13, 13), (16, 16), (17, 17), (100, 100), (9, 24), (21, 40)] {
      let r4 = preactivations(4 * stride)
      let g4 = preactivations(4 * stride)
      let cPrev = values(n, -3, 3)
      var outputs: [[Float]] = []
      for path in [rnn_lstm_forward, rnn_lstm_forward_avx2, rnn_lstm_forward_portable] {
        var g = g4
        var c = [Float](repeating: 0, count: n)
        var h = [Float](repeating: 0, count: n)
        path(n, stride, &g, r4, cPrev, &c, &h)
        outputs.append(g + c + h)
      }
      assertSameBits(outputs[0], outputs[2], "LSTM forward n=\(n) stride=\(stride)")
      assertSameBits(outputs[1], outputs[2], "LSTM forward (AVX2) n=\(n) stride=\(stride)")
      let h = outputs[2].suffix(n)
      for (j, value) in h.enumerated() {
        func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }
        let i = sigmoid(g4[j] + r4[j]), f = sigmoid(g4[stride + j] + r4[stride + j])
        let gg = Foundation.tanh(Double(g4[2 * stride + j] + r4[2 * stride + j]))
        let o = sigmoid(g4[3 * stride + j] + r4[3 * stride + j])
        XCTAssertEqual(Double(value), o * Foundation.tanh(f * Double(cPrev[j]) + i * gg), accuracy: 1e-5, "LSTM h[\(j)]")
      }
      var gru: [[Float]] = []
      for path in [rnn_gru_forward, rnn_gru_forward_avx2, rnn_gru_forward_portable] {
        var g = Array(g4.prefix(3 * stride))
        var hn = [Float](repeating: 0, count: n)
        var h = [Float](repeating: 0, count: n)
        path(n, stride, &g, r4, cPrev, &hn, &h)
        gru.append(g + hn + h)
      }
      assertSameBits(gru[0], gru[2], "GRU forward n=\(n) stride=\(stride)")
      assertSameBits(gru[1], gru[2], "GRU forward (AVX2) n=\(n) stride=\(stride)")
      var rnn: [[Float]] = []
      for path in [rnn_tanh_rnn_forward, rnn_tanh_rnn_forward_avx2, rnn_tanh_rnn_forward_portable] {
        var h = [Float](repeating: 0, count: n)
        path(n, g4, r4, &h)
        rnn.append(h)
      }
      assertSameBits(rnn[0], rnn[2], "RNN forward n=\(n)")
      assertSameBits(rnn[1], rnn[2], "RNN forward (AVX2) n=\(n)")
      for j in 0..<n {
        XCTAssertEqual(Double(rnn[2][j]), Foundation.tanh(Double(g4[j] + r4[j])), accuracy: 2e-7, "tanh(\(g4[j] + r4[j]))")
      }
    }
  }

  func testLSTMBackwardPortableMatchesFastPath() {
    for n in [1, 7, 8, 13, 16, 17, 100] {
      // Gate activations as the forward pass leaves them: σ in (0, 1) for i, f, o; tanh for g.
      let g = values(n, 0, 1) + values(n, 0, 1) + values(n, -1, 1) + values(n, 0, 1)
      let dh = values(n, -1, 1)
      let dc0 = values(n, -1, 1)
      let cPrev = values(n, -3, 3)
      let c = preactivations(n)
      var outputs: [[Float]] = []
      for path in [rnn_lstm_backward, rnn_lstm_backward_avx2, rnn_lstm_backward_portable] {
        var dc = dc0
        var dg = [Float](repeating: .nan, count: 4 * n)
        path(n, dh, &dc, g, cPrev, c, &dg)
        outputs.append(dg + dc)
      }
      assertSameBits(outputs[0], outputs[2], "LSTM backward n=\(n)")
      assertSameBits(outputs[1], outputs[2], "LSTM backward (AVX2) n=\(n)")
      for j in 0..<n {
        let f = Double(g[n + j])
        let tc = Foundation.tanh(Double(c[j]))
        let dcv = Double(dh[j]) * Double(g[3 * n + j]) * (1 - tc * tc) + Double(dc0[j])
        XCTAssertEqual(Double(outputs[2][4 * n + j]), dcv * f, accuracy: 1e-5, "LSTM dc[\(j)]")
      }
    }
  }
}
