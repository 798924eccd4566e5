/// Relative/absolute closeness: |a − b| ≤ atol + rtol·|b| (`b` is the reference value).
public func isClose(_ a: Float, _ b: Float, rtol: Float = 1e-5, atol: Float = 1e-7) -> Bool {
  abs(a - b) <= atol + rtol * abs(b)
}

/// The largest relative error max|a−b| / max(|b|, floor) over two equal-length arrays (`b` the
/// reference; `floor` keeps values near zero from dominating).
public func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-3) -> Float {
  precondition(a.count == b.count, "maxRelativeError: \(a.count) vs \(b.count) elements")
  var worst: Float = 0
  for i in a.indices { worst = max(worst, abs(a[i] - b[i]) / max(abs(b[i]), floor)) }
  return worst
}
