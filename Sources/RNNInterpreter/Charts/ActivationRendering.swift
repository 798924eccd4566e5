import Foundation

/// Text coloured by one unit's activation, as in "Visualizing and Understanding Recurrent
/// Networks": every character's background goes from blue (−1) through white (0) to red (+1).
/// Values must already be in [−1, 1] (see ``normalised(_:series:)``).
enum ActivationRendering {
  /// Maps a series onto [−1, 1]: sigmoid gates `2g − 1`, tanh values as they are, LSTM cell
  /// states divided by their largest magnitude over the text.
  static func normalised(_ values: [Float], series: String) -> [Double] {
    switch series {
    case "i", "f", "o", "r", "z": return values.map { 2 * Double($0) - 1 }
    case "c":
      let m = Double(values.map { abs($0) }.max() ?? 1)
      return values.map { m > 0 ? Double($0) / m : 0 }
    default: return values.map { Double($0) }
    }
  }

  /// A character as shown: newline `↵`, tab `→`, other control characters `·`.
  static func shown(_ s: Unicode.Scalar) -> String {
    if s == "\n" { return "↵" }
    if s == "\t" { return "→" }
    if s.value < 0x20 || s.value == 0x7F { return "·" }
    return String(s)
  }

  static func rgb(_ v: Double) -> (Int, Int, Int) {
    let a = min(1, abs(v)), fade = Int((255 * (1 - a)).rounded())
    return v >= 0 ? (255, fade, fade) : (fade, fade, 255)
  }

  /// Terminal lines. With `colour`: the text with 24-bit background colours, wrapped at `width`
  /// and at newlines. Without: each text line followed by a line of block characters
  /// (`▁` = −1 … `█` = +1) under its characters.
  static func terminal(text: String, values: [Double], width: Int, colour: Bool) -> [String] {
    let blocks = Array("▁▂▃▄▅▆▇█")
    var lines: [String] = []
    var top = "", bottom = "", count = 0
    func flush() {
      lines.append(top)
      if !colour { lines.append(bottom) }
      top = ""
      bottom = ""
      count = 0
    }
    for (t, s) in text.unicodeScalars.enumerated() {
      let v = values[t]
      if colour {
        let (r, g, b) = rgb(v)
        top += "\u{1B}[48;2;\(r);\(g);\(b)m\u{1B}[30m\(shown(s))\u{1B}[0m"
      } else {
        top += shown(s)
        bottom.append(blocks[min(7, max(0, Int(((v + 1) / 2 * 8).rounded(.down))))])
      }
      count += 1
      if s == "\n" || count >= width { flush() }
    }
    if count > 0 { flush() }
    return lines
  }

  /// A standalone, well-formed XHTML page: the text in a `<pre>`, each character a `<span>` with its
  /// background colour and its value as a tooltip.
  static func html(title: String, text: String, raw: [Float], values: [Double]) -> String {
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/><title>\(SVGChart.escape(title))</title>
      <style>pre{font:14px/1.5 monospace;white-space:pre-wrap}span{padding:0 1px}</style></head>
      <body><h1 style="font:16px sans-serif">\(SVGChart.escape(title))</h1>
      <p style="font:12px sans-serif">blue = −1, white = 0, red = +1; hover a character for its value.</p><pre>
      """
    for (t, s) in text.unicodeScalars.enumerated() {
      let (r, g, b) = rgb(values[t])
      let ch = s == "\n" ? "↵\n" : SVGChart.escape(s == "\t" ? "    " : String(s))
      out += "<span style=\"background:rgb(\(r),\(g),\(b))\" title=\"\(String(format: "%.4f", raw[t]))\">\(ch)</span>"
    }
    return out + "</pre></body></html>\n"
  }
}
