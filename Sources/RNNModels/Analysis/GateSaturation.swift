/// How often a gate is saturated, as in Karpathy, Johnson & Fei-Fei (2015), section 4.2: a sigmoid
/// gate is *left-saturated* when its activation is below 0.1 and *right-saturated* above 0.9.
/// For tanh blocks (LSTM g, GRU n, the RNN's h) the thresholds are −0.9 and 0.9.
public struct GateSaturation: Sendable, Equatable {
  /// 0-based layer.
  public var layer: Int
  /// Gate name (`i`, `f`, `g`, `o`; `r`, `z`, `n`; `tanh` for the RNN).
  public var gate: String
  /// Whether the block is a tanh (thresholds ±0.9) rather than a sigmoid (0.1 / 0.9).
  public var isTanh: Bool
  /// Fraction of all (character, unit) pairs left- / right-saturated.
  public var left: Double
  public var right: Double
  /// Units left- / right-saturated more than half of the time.
  public var mostlyLeftUnits: Int
  public var mostlyRightUnits: Int
  /// Mean activation.
  public var mean: Double
  /// `[H]`: each unit's fraction of characters left- / right-saturated (the paper's scatter plot,
  /// one dot per unit).
  public var unitLeft: [Double]
  public var unitRight: [Double]

  /// Statistics of every gate block of every layer of `trace`, layer by layer in gate order.
  public static func measure(_ trace: ActivationTrace) -> [GateSaturation] {
    let c = trace.config, H = c.hidden, T = trace.steps
    let names = ActivationTrace.gateNames(for: c.cell)
    var rows: [GateSaturation] = []
    for l in 0..<c.layers {
      let gates = trace.gates[l]
      for (g, name) in names.enumerated() {
        let isTanh = name == "g" || name == "n" || name == "tanh"
        let low: Float = isTanh ? -0.9 : 0.1, high: Float = 0.9
        var left = 0, right = 0, sum = 0.0
        var mostlyLeft = 0, mostlyRight = 0
        var unitLeft = [Double](repeating: 0, count: H), unitRight = unitLeft
        for u in 0..<H {
          var ul = 0, ur = 0
          for t in 0..<T {
            let v = gates[t * G(c) * H + g * H + u]
            if v < low { ul += 1 }
            if v > high { ur += 1 }
            sum += Double(v)
          }
          left += ul
          right += ur
          unitLeft[u] = Double(ul) / Double(max(1, T))
          unitRight[u] = Double(ur) / Double(max(1, T))
          if 2 * ul > T { mostlyLeft += 1 }
          if 2 * ur > T { mostlyRight += 1 }
        }
        let n = Double(max(1, T * H))
        rows.append(
          GateSaturation(
            layer: l, gate: name, isTanh: isTanh, left: Double(left) / n, right: Double(right) / n,
            mostlyLeftUnits: mostlyLeft, mostlyRightUnits: mostlyRight, mean: sum / n, unitLeft: unitLeft,
            unitRight: unitRight))
      }
    }
    return rows
  }

  private static func G(_ c: ModelConfig) -> Int { c.cell.gateCount }
}
