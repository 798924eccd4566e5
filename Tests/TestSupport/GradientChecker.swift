/// Central finite differences: `∂f/∂θᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / (θᵢ⁺ − θᵢ⁻)`, where
/// `θᵢ± = θᵢ ± h` rounded to Float32 (the step actually taken, not `2h`), compared with an analytic
/// gradient element by element.
public struct GradientCheck: Sendable {
  /// Worst `|numeric − analytic| / (atol + rtol·|analytic|)` over all elements; ≤ 1 passes.
  public var worstRatio: Double
  /// Index of that element.
  public var worstIndex: Int
  /// `‖numeric − analytic‖ / ‖analytic‖` over all elements.
  public var relativeErrorNorm: Double
  public var checked: Int

  /// Perturbs each of `count` parameters through `set(i, value)`, evaluating `loss()` (which
  /// should accumulate in Double), and compares with `analytic`.
  public static func run(
    count: Int, analytic: [Float], step h: Float, atol: Double, rtol: Double,
    get: (Int) -> Float, set: (Int, Float) -> Void, loss: () -> Double
  ) -> GradientCheck {
    var worst = 0.0, worstIndex = 0
    var diff2 = 0.0, norm2 = 0.0
    for i in 0..<count {
      let original = get(i)
      set(i, original + h)
      let up = loss()
      set(i, original - h)
      let down = loss()
      set(i, original)
      // The perturbation actually applied in Float32 may differ from h; use the real spacing.
      let spacing = Double(original + h) - Double(original - h)
      let numeric = (up - down) / spacing
      let a = Double(analytic[i])
      let ratio = abs(numeric - a) / (atol + rtol * abs(a))
      if ratio > worst {
        worst = ratio
        worstIndex = i
      }
      diff2 += (numeric - a) * (numeric - a)
      norm2 += a * a
    }
    return GradientCheck(
      worstRatio: worst, worstIndex: worstIndex, relativeErrorNorm: (diff2 / max(norm2, 1e-30)).squareRoot(),
      checked: count)
  }
}
