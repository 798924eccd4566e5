/// Draws a ``LineChart`` in the terminal with braille characters: every cell holds 2 × 4 dots, so
/// a chart of `width` columns and `height` rows has twice and four times as many dots. Series are
/// joined point to point. When there are several, each series also has its own marker (`●`, `■`,
/// `▲`, …), drawn at a few points along its curve and at its last point and shown in the legend
/// beside the series' label, so curves tell apart without colour; with colour each series also has
/// its own ANSI colour.
enum BrailleChart {
  static let colours = [34, 31, 32, 33, 35, 36]
  /// One marker per series, in order (repeating after eight).
  static let markers: [Character] = ["●", "■", "▲", "◆", "✚", "✖", "○", "□"]
  /// Markers drawn along a curve besides the one at its last point.
  static let markersAlongCurve = 4
  /// Columns left of the plot for the y ticks.
  private static let labelWidth = 9

  /// The chart as lines of at most `width` characters (plus escapes when `colour`).
  static func render(_ chart: LineChart, width: Int, height: Int, colour: Bool) -> [String] {
    var lines = [chart.title]
    guard let bounds = chart.bounds else { return lines + ["(nothing to plot)"] }
    var canvas = Canvas(
      chart: chart, bounds: bounds, cols: max(10, width - labelWidth - 2), rows: max(3, height))
    canvas.plot()
    for r in 0..<canvas.rows { lines.append(row(r, of: canvas, colour: colour)) }
    lines += xAxis(chart, bounds: bounds, cols: canvas.cols)
    lines += legend(chart, colour: colour)
    return lines
  }

  /// The dots of a chart: `rows` × `cols` cells of 4 × 2 dots, each cell remembering the last
  /// series drawn in it; plus the cells holding each series' last point.
  private struct Canvas {
    let chart: LineChart
    let bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)
    let cols: Int
    let rows: Int
    /// `[rows][cols]` braille dot bits.
    var bits: [[UInt8]]
    /// `[rows][cols]` the series drawn last in each cell, or -1.
    var owner: [[Int]]
    /// The cells of each series' markers (only with several series).
    var marks: [(row: Int, col: Int, series: Int)] = []

    init(
      chart: LineChart, bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>), cols: Int,
      rows: Int
    ) {
      self.chart = chart
      self.bounds = bounds
      self.cols = cols
      self.rows = rows
      bits = [[UInt8]](repeating: [UInt8](repeating: 0, count: cols), count: rows)
      owner = [[Int]](repeating: [Int](repeating: -1, count: cols), count: rows)
    }

    /// Draws every series, joining its points with straight lines.
    mutating func plot() {
      for (s, points) in chart.drawable.enumerated() {
        var previous: (Int, Int)?
        for p in points {
          let d = dot(p.x, p.y)
          if let (x0, y0) = previous {
            let n = max(abs(d.0 - x0), abs(d.1 - y0), 1)
            for i in 0...n {
              set(x0 + (d.0 - x0) * i / n, y0 + (d.1 - y0) * i / n, s)
            }
          } else {
            set(d.0, d.1, s)
          }
          previous = d
        }
        if chart.series.count > 1, !points.isEmpty {
          let stride = max(1, points.count / (BrailleChart.markersAlongCurve + 1))
          for i in Swift.stride(from: stride, to: points.count - 1, by: stride).prefix(BrailleChart.markersAlongCurve)
            + [points.count - 1]
          {
            let d = dot(points[i].x, points[i].y)
            marks.append((d.1 / 4, d.0 / 2, s))
          }
        }
      }
    }

    /// The dot (x from the left, y from the top) of a data point.
    private func dot(_ x: Double, _ y: Double) -> (Int, Int) {
      let dotW = cols * 2, dotH = rows * 4
      let fx = (x - bounds.x.lowerBound) / (bounds.x.upperBound - bounds.x.lowerBound)
      let fy = (chart.scaled(y) - bounds.y.lowerBound) / (bounds.y.upperBound - bounds.y.lowerBound)
      return (
        min(dotW - 1, max(0, Int((fx * Double(dotW - 1)).rounded()))),
        min(dotH - 1, max(0, Int(((1 - fy) * Double(dotH - 1)).rounded())))
      )
    }

    /// Sets dot (x, y) for series `s`.
    private mutating func set(_ x: Int, _ y: Int, _ s: Int) {
      let r = y / 4, c = x / 2
      let table: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
      bits[r][c] |= table[y % 4][x % 2]
      owner[r][c] = s
    }
  }

  /// Row `r` of the plot: a y tick on the top, middle and bottom rows, then the cells.
  private static func row(_ r: Int, of canvas: Canvas, colour: Bool) -> String {
    let (rows, bounds) = (canvas.rows, canvas.bounds)
    let tickRow = r == 0 || r == rows - 1 || r == rows / 2
    let scaledY = bounds.y.upperBound - (bounds.y.upperBound - bounds.y.lowerBound) * Double(r) / Double(rows - 1)
    var line =
      tickRow ? Formatting.padLeft(canvas.chart.yTick(scaledY), labelWidth - 1) + " ┤" : String(repeating: " ", count: labelWidth) + "│"
    for c in 0..<canvas.cols {
      if let m = canvas.marks.last(where: { $0.row == r && $0.col == c }) {
        let marker = String(markers[m.series % markers.count])
        line += colour ? "\u{1B}[\(colours[m.series % colours.count])m\(marker)\u{1B}[0m" : marker
        continue
      }
      let bits = canvas.bits[r][c]
      let ch = bits == 0 ? " " : String(UnicodeScalar(0x2800 + UInt32(bits))!)
      if colour && bits != 0 {
        line += "\u{1B}[\(colours[canvas.owner[r][c] % colours.count])m\(ch)\u{1B}[0m"
      } else {
        line += ch
      }
    }
    return line
  }

  /// The x axis and its labels: the range's ends and the axis name between them.
  private static func xAxis(
    _ chart: LineChart, bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>), cols: Int
  ) -> [String] {
    let lo = LineChart.format(bounds.x.lowerBound), hi = LineChart.format(bounds.x.upperBound)
    let gap = max(1, cols - lo.count - hi.count - chart.xLabel.count - 2)
    return [
      String(repeating: " ", count: labelWidth) + "└" + String(repeating: "─", count: cols),
      String(repeating: " ", count: labelWidth + 1) + lo + String(repeating: " ", count: gap / 2 + 1)
        + chart.xLabel + String(repeating: " ", count: gap - gap / 2 + 1) + hi,
    ]
  }

  /// One line per series: its marker (in its colour), and its label.
  private static func legend(_ chart: LineChart, colour: Bool) -> [String] {
    chart.series.enumerated().map { s, series in
      let symbol = chart.series.count > 1 ? String(markers[s % markers.count]) : "⣿"
      let key = colour ? "\u{1B}[\(colours[s % colours.count])m\(symbol)\u{1B}[0m" : symbol
      return "  \(key) \(series.label)"
    }
  }
}
