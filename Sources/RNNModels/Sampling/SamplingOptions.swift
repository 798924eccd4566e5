/// How `sample` draws characters.
/// - `temperature` τ: probabilities ∝ exp(logit / τ); τ = 0 takes the most likely character.
/// - `topK`: keep only the k most likely characters (nil: all).
/// - `topP`: keep the smallest set of most likely characters whose probability reaches p (nil: all).
/// - `prime`: text fed to the model first; generation continues it.
/// - `stop`: generation ends once the text ends with one of these (the stop string is included).
public struct SamplingOptions: Sendable, Equatable {
  public var length: Int
  public var temperature: Float
  public var topK: Int?
  public var topP: Float?
  public var prime: String
  public var seed: UInt64
  public var stop: [String]

  public init(
    length: Int = 200, temperature: Float = 1, topK: Int? = nil, topP: Float? = nil, prime: String = "",
    seed: UInt64 = 0, stop: [String] = []
  ) {
    self.length = length
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.prime = prime
    self.seed = seed
    self.stop = stop
  }

  public func validate() throws(ModelError) {
    guard length >= 0 else { throw .invalidArgument("length must be ≥ 0, got \(length)") }
    guard temperature >= 0, temperature.isFinite else {
      throw .invalidArgument("temperature must be ≥ 0, got \(temperature)")
    }
    if let k = topK, k < 1 { throw .invalidArgument("top_k must be ≥ 1, got \(k)") }
    if let p = topP, !(p > 0 && p <= 1) { throw .invalidArgument("top_p must be in (0, 1], got \(p)") }
  }
}
