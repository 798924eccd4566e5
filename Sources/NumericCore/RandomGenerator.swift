/// A seeded, reproducible pseudo-random generator: xoshiro256** (Blackman & Vigna), seeded through
/// SplitMix64. Its whole state is four `UInt64`s (`state`), which a checkpoint saves and restores, so
/// a resumed run draws exactly the numbers an uninterrupted one would.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
  @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var s = seed
    func splitmix() -> UInt64 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitmix(), splitmix(), splitmix(), splitmix())
  }

  /// Restores a generator from a saved `stateWords`. All-zero state is invalid for xoshiro and
  /// is rejected by returning nil.
  public init?(stateWords: [UInt64]) {
    guard stateWords.count == 4, stateWords.contains(where: { $0 != 0 }) else { return nil }
    state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
  }

  /// The state as four words, for saving.
  public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

  public static func == (a: RandomGenerator, b: RandomGenerator) -> Bool { a.stateWords == b.stateWords }

  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

  /// A uniform `Float` in [0, 1) with 24 random bits.
  @inlinable
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform `Double` in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextUniformDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A uniform `Float` in [low, high).
  @inlinable
  public mutating func uniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * nextUniform()
  }

  /// A standard normal sample (Box–Muller on two fresh uniforms; no cached second value, so the
  /// state alone determines the sequence).
  public mutating func nextNormal() -> Float {
    let u1 = max(nextUniformDouble(), 1e-300)
    let u2 = nextUniformDouble()
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }
}

#if canImport(Glibc)
  import Glibc
  @usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
  import Darwin
  @usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
