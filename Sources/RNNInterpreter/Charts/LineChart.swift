import Foundation

/// Data for a line chart: named series of (x, y) points, axis labels, and whether y is drawn on a
/// log scale (non-positive values are then left out). Rendered by ``BrailleChart`` for the
/// terminal and ``SVGChart`` for files.
struct LineChart: Sendable {
  struct Series: Sendable {
    var label: String
    var points: [(x: Double, y: Double)]
  }

  var title: String
  var xLabel: String
  var yLabel: String
  var logY = false
  var series: [Series] = []

  /// The points drawn (finite, and positive on a log scale), per series.
  var drawable: [[(x: Double, y: Double)]] {
    series.map { s in s.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) } }
  }

  /// x and y extents over every drawable point (y in log10 on a log scale), padded when flat.
  var bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
    let all = drawable.flatMap { $0 }
    guard !all.isEmpty else { return nil }
    let xs = all.map(\.x), ys = all.map { logY ? log10($0.y) : $0.y }
    var x = xs.min()!...xs.max()!, y = ys.min()!...ys.max()!
    if x.lowerBound == x.upperBound { x = (x.lowerBound - 1)...(x.upperBound + 1) }
    if y.lowerBound == y.upperBound {
      let pad = max(abs(y.lowerBound) * 0.05, 1e-3)
      y = (y.lowerBound - pad)...(y.upperBound + pad)
    }
    return (x, y)
  }

  /// A y value on the chart's scale (log10 on a log scale).
  func scaled(_ y: Double) -> Double { logY ? log10(y) : y }

  /// A tick label for a scaled y.
  func yTick(_ scaledY: Double) -> String {
    let v = logY ? pow(10, scaledY) : scaledY
    return Self.format(v)
  }

  /// Short numbers for axes: `1.234`, `0.0012`, `3.2e-07`, `1200`.
  static func format(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if v == v.rounded() && a < 1e5 { return String(Int(v)) }
    if a >= 1e5 || a < 1e-3 { return String(format: "%.2g", v) }
    if a >= 100 { return String(format: "%.0f", v) }
    if a >= 10 { return String(format: "%.1f", v) }
    return String(format: "%.3g", v)
  }
}
