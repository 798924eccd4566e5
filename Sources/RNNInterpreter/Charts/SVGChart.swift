import Foundation

/// Writes a ``LineChart`` as a standalone SVG document (720 × 420 user units): axes with five
/// ticks each, one polyline per series in its own colour and dash pattern with its own marker
/// shape at a few points (so series tell apart in grey too), a legend and the title. Text is
/// XML-escaped, so any label is safe.
enum SVGChart {
  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf"]
  static let dashes = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4"]

  /// A marker of series `s` centred at (x, y): circle, square, triangle, diamond, cross, …
  static func marker(_ s: Int, x: Double, y: Double, colour: String) -> String {
    let r = 3.5
    switch s % 5 {
    case 0: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"\(colour)\"/>"
    case 1: return "<rect x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(f(2 * r))\" height=\"\(f(2 * r))\" fill=\"\(colour)\"/>"
    case 2:
      return "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x + r + 1)),\(f(y + r)) \(f(x - r - 1)),\(f(y + r))\" fill=\"\(colour)\"/>"
    case 3:
      return
        "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x + r + 1)),\(f(y)) \(f(x)),\(f(y + r + 1)) \(f(x - r - 1)),\(f(y))\" fill=\"\(colour)\"/>"
    default:
      return
        "<path d=\"M\(f(x - r)),\(f(y - r))L\(f(x + r)),\(f(y + r))M\(f(x - r)),\(f(y + r))L\(f(x + r)),\(f(y - r))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
    }
  }

  static func document(_ chart: LineChart) -> String {
    let w = 720.0, h = 420.0, left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
    let pw = w - left - right, ph = h - top - bottom
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(Int(w / 2))" y="22" text-anchor="middle" font-size="15">\(escape(chart.title))</text>

      """
    guard let b = chart.bounds else {
      return out + "<text x=\"\(Int(w / 2))\" y=\"\(Int(h / 2))\" text-anchor=\"middle\">nothing to plot</text>\n</svg>\n"
    }
    func px(_ x: Double) -> Double { left + (x - b.x.lowerBound) / (b.x.upperBound - b.x.lowerBound) * pw }
    func py(_ sy: Double) -> Double { top + (1 - (sy - b.y.lowerBound) / (b.y.upperBound - b.y.lowerBound)) * ph }
    out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#444\"/>\n"
    for i in 0...4 {
      let fx = b.x.lowerBound + (b.x.upperBound - b.x.lowerBound) * Double(i) / 4
      let sy = b.y.lowerBound + (b.y.upperBound - b.y.lowerBound) * Double(i) / 4
      out += "<line x1=\"\(f(px(fx)))\" y1=\"\(f(top + ph))\" x2=\"\(f(px(fx)))\" y2=\"\(f(top + ph + 5))\" stroke=\"#444\"/>"
      out += "<text x=\"\(f(px(fx)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(escape(LineChart.format(fx)))</text>\n"
      out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(py(sy)))\" x2=\"\(f(left + pw))\" y2=\"\(f(py(sy)))\" stroke=\"#ddd\"/>"
      out += "<text x=\"\(f(left - 8))\" y=\"\(f(py(sy) + 4))\" text-anchor=\"end\">\(escape(chart.yTick(sy)))</text>\n"
    }
    out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(h - 22))\" text-anchor=\"middle\">\(escape(chart.xLabel))</text>\n"
    out +=
      "<text transform=\"translate(16 \(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(chart.yLabel + (chart.logY ? " (log scale)" : "")))</text>\n"
    for (s, points) in chart.drawable.enumerated() where !points.isEmpty {
      let colour = palette[s % palette.count]
      let coords = points.map { "\(f(px($0.x))),\(f(py(chart.scaled($0.y))))" }.joined(separator: " ")
      let dash = dashes[s % dashes.count]
      let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
      out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dashAttribute) points=\"\(coords)\"/>\n"
      let every = max(1, points.count / 5)
      for i in Swift.stride(from: points.count - 1, through: 0, by: -every).prefix(6) {
        out += marker(s, x: px(points[i].x), y: py(chart.scaled(points[i].y)), colour: colour)
      }
      out += "\n"
      let ly = top + 14 + Double(s) * 16
      out +=
        "<line x1=\"\(f(left + pw - 150))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + pw - 130))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute)/>"
      out += marker(s, x: left + pw - 140, y: ly - 4, colour: colour)
      out += "<text x=\"\(f(left + pw - 125))\" y=\"\(f(ly))\">\(escape(chart.series[s].label))</text>\n"
    }
    return out + "</svg>\n"
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }

  /// `&`, `<`, `>`, `"`, `'` as entities; control characters other than tab/newline dropped.
  static func escape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
