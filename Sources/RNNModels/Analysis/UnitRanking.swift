/// One unit (a hidden or cell coordinate of one layer) and how well it tracks a property.
public struct UnitCorrelation: Sendable, Equatable {
  /// 0-based layer.
  public var layer: Int
  /// `h` or `c`.
  public var series: String
  /// 0-based unit index within the layer's H.
  public var unit: Int
  /// Pearson correlation of the unit's activation with the property over the text, in [−1, 1].
  public var correlation: Double
}

/// Ranks units by how well their activations follow a property of the text.
public enum UnitRanking {
  /// Pearson's r between `x` and `y` (equal lengths); 0 when either is constant.
  public static func pearson(_ x: [Float], _ y: [Float]) -> Double {
    precondition(x.count == y.count, "series lengths differ")
    let n = Double(x.count)
    guard n > 1 else { return 0 }
    var sx = 0.0, sy = 0.0
    for i in x.indices {
      sx += Double(x[i])
      sy += Double(y[i])
    }
    let mx = sx / n, my = sy / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
      let dx = Double(x[i]) - mx, dy = Double(y[i]) - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return 0 }
    return sxy / (sxx * syy).squareRoot()
  }

  /// Every unit of the chosen series (`h`, `c`, or both when `series` is nil; `c` exists for the
  /// LSTM only) of every layer, ranked by |r| with `property` (`[T]`), strongest first; ties keep
  /// layer, series, unit order.
  public static func rank(
    trace: ActivationTrace, property: [Float], series: [String]? = nil
  ) -> [UnitCorrelation] {
    precondition(property.count == trace.steps, "one property value per character")
    let names = (series ?? ["h", "c"]).filter { $0 == "h" || ($0 == "c" && trace.config.cell == .lstm) }
    var all: [UnitCorrelation] = []
    for l in 0..<trace.config.layers {
      for name in names {
        for u in 0..<trace.config.hidden {
          let values = trace.series(name, layer: l, unit: u)!
          all.append(UnitCorrelation(layer: l, series: name, unit: u, correlation: pearson(values, property)))
        }
      }
    }
    return all.enumerated().sorted {
      let a = abs($0.element.correlation), b = abs($1.element.correlation)
      return a != b ? a > b : $0.offset < $1.offset
    }.map(\.element)
  }
}
