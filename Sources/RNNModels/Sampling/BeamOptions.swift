#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How `sample … beam W` searches, and what it found.
///
/// Beam search keeps the `width` likeliest partial texts; at each step every one of them is
/// extended by every token of the vocabulary, and the `width` extensions with the highest total
/// log-probability `Σ log p(token | everything before)` (natural log) are kept. A text is finished
/// when it reaches `length` characters or ends with a `stop` string; finished texts are compared by
/// the length-normalised score
///
///     score = Σ log p / n^α        (n: tokens scored, α: `lengthPenalty`, default 1)
///
/// (Hugging Face's `length_penalty`; α = 0 compares plain log-probabilities, larger α favours
/// longer texts). Without `stop` every text of a character model has the same n, so α changes
/// nothing. Ties go to the text found first (lower token index first): the search is deterministic.
/// With `width` ≥ V^length nothing is ever pruned, so the result is the exact argmax.
/// A sequence-to-sequence model's `translate … beam W` ranks its finished translations by the same
/// score (``score(logProbability:tokens:lengthPenalty:)``), n counting the end marker.
public struct BeamOptions: Sendable, Equatable {
  public var width: Int
  public var length: Int
  public var prime: String
  public var stop: [String]
  public var lengthPenalty: Double

  public init(width: Int, length: Int = 200, prime: String = "", stop: [String] = [], lengthPenalty: Double = 1) {
    self.width = width
    self.length = length
    self.prime = prime
    self.stop = stop
    self.lengthPenalty = lengthPenalty
  }

  /// The length-normalised score `logProbability / tokens^lengthPenalty` (0 for no tokens): the
  /// one ranking of finished hypotheses for every beam search.
  public static func score(logProbability: Double, tokens: Int, lengthPenalty: Double) -> Double {
    tokens == 0 ? 0 : logProbability / pow(Double(tokens), lengthPenalty)
  }

  public func validate() throws(ModelError) {
    guard width >= 1 else { throw .invalidArgument("beam must be ≥ 1, got \(width)") }
    guard length >= 0 else { throw .invalidArgument("length must be ≥ 0, got \(length)") }
    guard lengthPenalty >= 0, lengthPenalty.isFinite else {
      throw .invalidArgument("length_penalty must be ≥ 0, got \(lengthPenalty)")
    }
  }
}

/// The text beam search found.
public struct BeamResult: Sendable, Equatable {
  /// The generated text (without the prime).
  public var text: String
  /// Its tokens (characters for a character model).
  public var tokens: [Int32]
  /// `Σ log p` of its tokens, natural log.
  public var logProbability: Double
  /// `logProbability / n^α` (see ``BeamOptions``).
  public var score: Double
  /// True when the search was stopped before it finished (the best text so far).
  public var interrupted: Bool
}
