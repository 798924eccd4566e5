import NumericCore

/// Inverted dropout: each element is kept with probability 1 − p and scaled by 1/(1 − p), so the
/// expected value is unchanged and evaluation needs no rescaling.
enum Dropout {
  /// Fills `mask[count]` with 0 or 1/(1−p) drawn from `rng` and writes `output = input ⊙ mask`.
  /// With p = 0 (evaluation), the mask is all ones and `output` a copy of `input`.
  static func apply(
    probability p: Float, input: UnsafePointer<Float>, mask: UnsafeMutablePointer<Float>,
    output: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomGenerator
  ) {
    if p == 0 {
      mask.update(repeating: 1, count: count)
      output.update(from: input, count: count)
      return
    }
    let scale = 1 / (1 - p)
    for i in 0..<count {
      let keep: Float = rng.nextUniform() < p ? 0 : scale
      mask[i] = keep
      output[i] = input[i] * keep
    }
  }
}
