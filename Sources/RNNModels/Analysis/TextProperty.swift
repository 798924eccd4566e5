import Foundation

/// A property of each character of a text that an interpretable unit might track, as in Karpathy,
/// Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks" (2015). The value at
/// character t describes the state *after* reading it (what a unit's h_t or c_t could know):
///
/// - `quotes`: 1 inside a `"…"` span (the opening quote included, the closing one excluded), else 0.
/// - `parens`: 1 while at least one `(`, `[` or `{` is open, else 0.
/// - `depth`: how many `(`, `[`, `{` are open (never below 0).
/// - `linePosition`: the column, 0 just after a newline, k after the k-th character of a line.
/// - `newline`: 1 for a newline character, else 0.
/// - `regex(p)`: 1 for characters inside a match of the regular expression `p`
///   (NSRegularExpression syntax), else 0.
public enum TextProperty: Sendable, Equatable {
  case quotes, parens, depth, linePosition, newline
  case regex(String)

  /// The names the command language uses (`line_position`, …); `regex` takes a pattern.
  public static let names = ["quotes", "parens", "depth", "line_position", "newline", "regex"]

  /// The property called `name` (one of ``names``); `pattern` is needed for `regex`.
  public init?(name: String, pattern: String? = nil) {
    switch name {
    case "quotes": self = .quotes
    case "parens": self = .parens
    case "depth": self = .depth
    case "line_position": self = .linePosition
    case "newline": self = .newline
    case "regex":
      guard let pattern else { return nil }
      self = .regex(pattern)
    default: return nil
    }
  }

  /// How it reads in output (`line_position`, `regex "[A-Z]+"`).
  public var name: String {
    switch self {
    case .quotes: "quotes"
    case .parens: "parens"
    case .depth: "depth"
    case .linePosition: "line_position"
    case .newline: "newline"
    case .regex(let p): "regex \(p.debugDescription)"
    }
  }

  /// `[T]` the property of each Unicode scalar of `text`.
  public func values(of text: String) throws(ModelError) -> [Float] {
    let scalars = Array(text.unicodeScalars)
    var out = [Float](repeating: 0, count: scalars.count)
    switch self {
    case .quotes:
      var inside = false
      for (t, s) in scalars.enumerated() {
        if s == "\"" { inside.toggle() }
        out[t] = inside ? 1 : 0
      }
    case .parens, .depth:
      var depth = 0
      for (t, s) in scalars.enumerated() {
        if s == "(" || s == "[" || s == "{" { depth += 1 }
        if (s == ")" || s == "]" || s == "}") && depth > 0 { depth -= 1 }
        out[t] = self == .depth ? Float(depth) : (depth > 0 ? 1 : 0)
      }
    case .linePosition:
      var column = 0
      for (t, s) in scalars.enumerated() {
        column = s == "\n" ? 0 : column + 1
        out[t] = Float(column)
      }
    case .newline:
      for (t, s) in scalars.enumerated() where s == "\n" { out[t] = 1 }
    case .regex(let pattern):
      let expression: NSRegularExpression
      do { expression = try NSRegularExpression(pattern: pattern) } catch {
        throw .invalidArgument("invalid regular expression \(pattern.debugDescription): \(error.localizedDescription)")
      }
      // UTF-16 offset of every scalar, to map NSRange (UTF-16) back to scalar indices.
      var starts = [Int](), offset = 0
      for s in scalars {
        starts.append(offset)
        offset += s.utf16.count
      }
      let ns = text as NSString
      for match in expression.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
        let lo = match.range.location, hi = lo + match.range.length
        var t = lowerBound(starts, lo)
        while t < scalars.count && starts[t] < hi {
          out[t] = 1
          t += 1
        }
      }
    }
    return out
  }

  private func lowerBound(_ a: [Int], _ x: Int) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
