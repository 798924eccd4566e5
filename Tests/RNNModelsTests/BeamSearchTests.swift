import NumericCore
import RNNModels
import TestSupport
import XCTest

/// Beam search against an exhaustive search over every continuation of a tiny model: with width
/// V^L nothing is pruned, so beam search must return the exact argmax of the score. The
/// exhaustive search scores each text with a separate forward pass (`ActivationTrace`), not
/// with the sampler's single-step path.
final class BeamSearchTests: XCTestCase {
  /// A random model with weights spread wide enough that the texts' probabilities differ clearly.
  func makeModel(cell: CellKind, vocabulary: String, seed: UInt64) throws -> (LanguageModel, Vocabulary) {
    let vocab = Vocabulary(of: vocabulary)
    let config = ModelConfig(cell: cell, vocabSize: vocab.count, embed: 3, hidden: 6, layers: 2)
    let count = try LanguageModel(config: config, seed: seed).parameterCount
    var rng = RandomGenerator(seed: seed)
    return (try LanguageModel(config: config, parameters: (0..<count).map { _ in rng.uniform(-1.5, 1.5) }), vocab)
  }

  /// Every text of `length` tokens after `prime`, cut after the first stop string (kept once),
  /// with its Σ log p from one forward pass over prime + text.
  func allTexts(_ model: LanguageModel, _ vocab: Vocabulary, prime: String, length: Int, stop: [String])
    throws -> [(tokens: [Int32], logProbability: Double)]
  {
    let V = vocab.count
    let primeTokens = try vocab.encode(prime, context: "prime")
    var seen = Set<[Int32]>()
    var texts: [(tokens: [Int32], logProbability: Double)] = []
    for index in 0..<Int(pow(Double(V), Double(length))) {
      var digits = index
      var tokens: [Int32] = []
      for _ in 0..<length {
        tokens.append(Int32(digits % V))
        digits /= V
        let text = String(String.UnicodeScalarView(tokens.map { vocab.scalars[Int($0)] }))
        if stop.contains(where: { text.hasSuffix($0) }) { break }
      }
      guard seen.insert(tokens).inserted else { continue }
      let trace = ActivationTrace.record(model: model, tokens: primeTokens + tokens)
      var sum = 0.0
      for (i, t) in tokens.enumerated() {
        sum += log(Double(trace.probabilities[(primeTokens.count - 1 + i) * V + Int(t)]))
      }
      texts.append((tokens, sum))
    }
    return texts
  }

  func assertBeamFindsTheArgmax(
    cell: CellKind, vocabulary: String, length: Int, stop: [String] = [], lengthPenalty: Double = 1, seed: UInt64,
    line: UInt = #line
  ) throws {
    let (model, vocab) = try makeModel(cell: cell, vocabulary: vocabulary, seed: seed)
    let texts = try allTexts(model, vocab, prime: "a", length: length, stop: stop)
    func score(_ t: (tokens: [Int32], logProbability: Double)) -> Double {
      t.logProbability / pow(Double(t.tokens.count), lengthPenalty)
    }
    let ranked = texts.sorted { score($0) > score($1) }
    XCTAssertGreaterThan(score(ranked[0]) - score(ranked[1]), 1e-4, "a clear argmax, for the test to mean anything", line: line)
    let width = Int(pow(Double(vocab.count), Double(length)))
    let sampler = try Sampler(model: model, vocabulary: vocab)
    let found = try sampler.beamSearch(BeamOptions(width: width, length: length, prime: "a", stop: stop, lengthPenalty: lengthPenalty))
    XCTAssertEqual(found.tokens, ranked[0].tokens, "beam \(width) = V^L is the exhaustive argmax", line: line)
    XCTAssertEqual(found.logProbability, ranked[0].logProbability, accuracy: 1e-4, line: line)
    XCTAssertEqual(found.score, score(ranked[0]), accuracy: 1e-4, line: line)
    XCTAssertEqual(found.text, String(String.UnicodeScalarView(found.tokens.map { vocab.scalars[Int($0)] })), line: line)
    // Narrow beams never score above the argmax.
    for narrow in [1, 2, 3] {
      let n = try sampler.beamSearch(BeamOptions(width: narrow, length: length, prime: "a", stop: stop, lengthPenalty: lengthPenalty))
      XCTAssertLessThanOrEqual(n.score, found.score + 1e-9, "beam \(narrow)", line: line)
    }
  }

  func testFullWidthBeamIsTheExhaustiveArgmax() throws {
    try assertBeamFindsTheArgmax(cell: .lstm, vocabulary: "abc", length: 5, seed: 1)
    try assertBeamFindsTheArgmax(cell: .gru, vocabulary: "abcd", length: 4, seed: 2)
    try assertBeamFindsTheArgmax(cell: .rnn, vocabulary: "abc\n", length: 5, seed: 3)
  }

  /// With a stop string texts end at different lengths, so the normalisation decides: the search
  /// must still be the argmax of Σ log p / n^α, for α = 1 and α = 0.
  func testFullWidthBeamWithStopStringsIsTheArgmaxOfTheNormalisedScore() throws {
    try assertBeamFindsTheArgmax(cell: .lstm, vocabulary: "abc", length: 5, stop: ["c"], seed: 4)
    try assertBeamFindsTheArgmax(cell: .lstm, vocabulary: "abc", length: 5, stop: ["c"], lengthPenalty: 0, seed: 4)
    try assertBeamFindsTheArgmax(cell: .gru, vocabulary: "abcd", length: 4, stop: ["bd", "c"], seed: 5)
  }

  /// Width 1 takes the likeliest token at every step: greedy sampling (temperature 0).
  func testWidthOneIsGreedy() throws {
    let (model, vocab) = try makeModel(cell: .lstm, vocabulary: "abcdef\n", seed: 7)
    let sampler = try Sampler(model: model, vocabulary: vocab)
    let greedy = try sampler.sample(SamplingOptions(length: 40, temperature: 0, prime: "ab"))
    let beam = try sampler.beamSearch(BeamOptions(width: 1, length: 40, prime: "ab"))
    XCTAssertEqual(beam.text, greedy)
    XCTAssertEqual(beam.tokens.count, 40)
  }

  /// The same search twice gives the same text; no prime starts after "\n"; stopping early keeps
  /// the best text so far.
  func testDeterministicPrimeAndInterruption() throws {
    let (model, vocab) = try makeModel(cell: .gru, vocabulary: "abcdef\n", seed: 8)
    let sampler = try Sampler(model: model, vocabulary: vocab)
    let options = BeamOptions(width: 5, length: 30)
    let first = try sampler.beamSearch(options)
    XCTAssertEqual(try sampler.beamSearch(options), first)
    var primed = options
    primed.prime = "\n"
    XCTAssertEqual(try sampler.beamSearch(primed), first, "no prime = a newline prime")
    var steps = 0
    let stopped = try sampler.beamSearch(options) {
      steps += 1
      return steps < 10
    }
    XCTAssertTrue(stopped.interrupted)
    XCTAssertEqual(stopped.tokens.count, 10)
    let (noNewline, letters) = try makeModel(cell: .gru, vocabulary: "abc", seed: 9)
    XCTAssertThrowsError(try Sampler(model: noNewline, vocabulary: letters).beamSearch(BeamOptions(width: 2, length: 5))) {
      XCTAssertEqual("\($0)", "beam search needs a prime: the vocabulary has no newline to start after")
    }
  }
}
