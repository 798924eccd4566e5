import Foundation
import NumericCore
import XCTest

@testable import RNNModels

/// Beam search of a sequence-to-sequence model against an exhaustive search over every target of
/// a tiny model: with a beam wide enough that nothing is pruned, `translate` must return the exact
/// argmax of the length-normalised score Σ log p / n^α (n = characters + 1 for the end marker).
/// The exhaustive search scores each target with the batched training pass (teacher forcing), not
/// with the decoder's single-step path.
final class Seq2SeqBeamTests: XCTestCase {
  /// A random model over sources of "ab" and targets of "xy" (Vt = 3 with the marker), its weights
  /// spread wide so that the targets' probabilities differ clearly.
  func makeModel(cell: CellKind, attention: Bool, seed: UInt64) throws -> Seq2SeqModel {
    let model = try Seq2SeqModel(
      cell: cell, source: Vocabulary(of: "ab"), target: Vocabulary(of: "xy"), embed: 3, hidden: 6, layers: 2,
      attention: attention, seed: seed)
    var rng = RandomGenerator(seed: seed)
    for g in model.parameterGroups { for i in 0..<g.count { g.parameters[i] = rng.uniform(-1.5, 1.5) } }
    return model
  }

  /// Every target of at most `length` characters with its Σ log p (end marker included).
  func allTargets(_ model: Seq2SeqModel, source: [Int32], length: Int) -> [(tokens: [Int32], logProbability: Double)] {
    var targets: [[Int32]] = [[]]
    var frontier: [[Int32]] = [[]]
    for _ in 0..<length {
      frontier = frontier.flatMap { t in [t + [1], t + [2]] }
      targets += frontier
    }
    return targets.map { tokens in
      var rng = RandomGenerator(seed: 0)
      let b = Seq2SeqBatch([Seq2SeqExample(source: source, target: tokens, line: 0)])
      return (tokens, -model.pass(b, gradients: false, training: false, rng: &rng) * Double(b.targetCount))
    }
  }

  func score(_ t: (tokens: [Int32], logProbability: Double), _ alpha: Double) -> Double {
    t.logProbability / pow(Double(t.tokens.count + 1), alpha)
  }

  /// The argmax under α, checked to be clear, and the full-width beam's result equal to it.
  @discardableResult
  func assertBeamFindsTheArgmax(
    _ model: Seq2SeqModel, source: [Int32], length: Int, alpha: Double, line: UInt = #line
  ) -> [Int32] {
    let targets = allTargets(model, source: source, length: length)
    let ranked = targets.sorted { score($0, alpha) > score($1, alpha) }
    XCTAssertGreaterThan(score(ranked[0], alpha) - score(ranked[1], alpha), 1e-4, "a clear argmax", line: line)
    let width = 3 * ((1 << (length + 1)) - 1)  // Σ_{l ≤ length} Vt·(Vt−1)^l: nothing pruned
    let found = model.translate(source, beam: width, maxLength: length, lengthPenalty: alpha)
    XCTAssertEqual(found.tokens, ranked[0].tokens, "α \(alpha): the full-width beam is the exhaustive argmax", line: line)
    XCTAssertEqual(found.logProbability, ranked[0].logProbability, accuracy: 1e-4, line: line)
    XCTAssertEqual(found.score, score(ranked[0], alpha), accuracy: 1e-4, line: line)
    XCTAssertEqual(found.text, model.decodeTarget(ranked[0].tokens), line: line)
    // Narrow beams never score above the argmax (up to float32 rounding: the decoder's products
    // run over K hypotheses side by side, so another width sums in another order).
    for narrow in [1, 2, 3] {
      let n = model.translate(source, beam: narrow, maxLength: length, lengthPenalty: alpha)
      XCTAssertLessThanOrEqual(n.score, found.score + 1e-5, "beam \(narrow) never beats the argmax", line: line)
    }
    return found.tokens
  }

  func testFullWidthBeamIsTheExhaustiveArgmaxOfTheNormalisedScore() throws {
    for (cell, attention, seed) in [(CellKind.gru, true, UInt64(1)), (.lstm, false, 2), (.rnn, true, 3)] {
      let model = try makeModel(cell: cell, attention: attention, seed: seed)
      for alpha in [1.0, 0.0, 0.6] { assertBeamFindsTheArgmax(model, source: [0, 1, 1], length: 4, alpha: alpha) }
    }
  }

  /// Raw log-probability favours short targets; the normalised score can prefer a longer one. A
  /// model and source where the two argmaxes differ: each search finds its own.
  func testRawAndNormalisedRankingsDiffer() throws {
    var differing = 0
    for seed in UInt64(1)...12 {
      let model = try makeModel(cell: .gru, attention: true, seed: seed)
      for source: [Int32] in [[0], [1, 0], [0, 0, 1]] {
        let targets = allTargets(model, source: source, length: 4)
        let raw = targets.max { score($0, 0) < score($1, 0) }!, normalised = targets.max { score($0, 1) < score($1, 1) }!
        guard raw.tokens != normalised.tokens, abs(score(raw, 1) - score(normalised, 1)) > 1e-3,
          abs(score(raw, 0) - score(normalised, 0)) > 1e-3
        else { continue }
        differing += 1
        XCTAssertLessThan(raw.tokens.count, normalised.tokens.count, "the raw argmax is the shorter one")
        XCTAssertEqual(assertBeamFindsTheArgmax(model, source: source, length: 4, alpha: 0), raw.tokens)
        XCTAssertEqual(assertBeamFindsTheArgmax(model, source: source, length: 4, alpha: 1), normalised.tokens)
      }
    }
    XCTAssertGreaterThan(differing, 0, "some model ranks the two ways differently")
  }

  /// Width 1 is greedy whatever α: one hypothesis, ended when its likeliest token is the marker.
  func testWidthOneIsGreedyWhateverThePenalty() throws {
    let model = try makeModel(cell: .lstm, attention: true, seed: 5)
    let plain = model.translate([1, 0, 1], beam: 1, maxLength: 6, lengthPenalty: 0)
    XCTAssertEqual(model.translate([1, 0, 1], beam: 1, maxLength: 6, lengthPenalty: 1).tokens, plain.tokens)
    XCTAssertEqual(plain.score, plain.logProbability)
  }
}
