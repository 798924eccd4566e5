import Foundation

/// Number formatting shared by every command's output, so transcripts are stable.
public enum Formatting {
  /// A number with no more digits than needed (`0.5`, `2e-05`, `128`).
  static func number(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
    return String(format: "%g", v)
  }

  /// A number with a fixed count of decimals (`1.2346`).
  static func fixed(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

  /// A number with fixed decimals from a `Float`.
  static func fixed(_ v: Float, _ decimals: Int) -> String { fixed(Double(v), decimals) }

  /// An integer with thousands separators (`993,274`).
  public static func count(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// A duration as written in the language where it is round (`2m`, `90s`), else seconds (`1.5s`).
  static func duration(_ seconds: Double) -> String {
    if seconds >= 3600 && seconds.truncatingRemainder(dividingBy: 3600) == 0 {
      return "\(Int(seconds / 3600))h"
    }
    if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 {
      return "\(Int(seconds / 60))m"
    }
    if seconds == 0 { return "0s" }
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    return number(seconds) + "s"
  }

  /// Elapsed time for reports (`0.8 s`, `12.3 s`, `2 min 5 s`).
  static func elapsed(_ seconds: Double) -> String {
    if seconds < 60 { return fixed(seconds, 1) + " s" }
    return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
  }

  /// Loss in nats with bits per character: `1.2346 nats/char (1.781 bpc)`.
  static func loss(_ nats: Double) -> String {
    "\(fixed(nats, 4)) nats/char (\(fixed(nats / log(2), 3)) bpc)"
  }

  /// Pads `s` on the right to `width` characters.
  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
  }

  /// Pads `s` on the left to `width` characters.
  static func padLeft(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
  }
}
