import NumericCore
import RNNModels
import TestSupport
import XCTest

/// Text that breaks naive tools loads, trains and samples: thousands of distinct scalars (CJK),
/// emoji and combining marks (each scalar is a token, as Python's `str` iterates), NUL bytes, and
/// one enormous line.
final class HostileTextTests: XCTestCase {
  func trainAndSample(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (Corpus, String) {
    let corpus = try Corpus(text: text, fractions: SplitFractions(train: 0.9))
    let config = ModelConfig(cell: .gru, vocabSize: corpus.vocabulary.count, embed: 8, hidden: 16, layers: 1)
    let model = try LanguageModel(config: config, seed: 1)
    let options = TrainingOptions(batch: 4, seq: 16, learningRate: 0.01)
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 1))
    let outcome = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 5)
    XCTAssertEqual(outcome.stepsDone, 5, file: file, line: line)
    XCTAssertTrue(model.parametersAreFinite, file: file, line: line)
    let eval = try Evaluator.evaluate(model: model, tokens: corpus.tokens(of: .validation))
    XCTAssertTrue(eval.loss.isFinite, file: file, line: line)
    let sample = try Sampler(model: model, vocabulary: corpus.vocabulary).sample(SamplingOptions(length: 40, seed: 2))
    XCTAssertEqual(sample.unicodeScalars.count, 40, file: file, line: line)
    XCTAssertTrue(sample.unicodeScalars.allSatisfy { corpus.vocabulary.index(of: $0) != nil }, file: file, line: line)
    return (corpus, sample)
  }

  func testThousandsOfCJKScalars() throws {
    var rng = RandomGenerator(seed: 4)
    let text = String(String.UnicodeScalarView((0..<20_000).map { _ in Unicode.Scalar(0x4E00 + UInt32(rng.next() % 3000))! }))
    let (corpus, _) = try trainAndSample(text)
    XCTAssertGreaterThan(corpus.vocabulary.count, 2_900)
    XCTAssertEqual(corpus.tokens.bytesPerToken, 2)
  }

  func testEmojiCombiningMarksAndNUL() throws {
    let piece = "e\u{301}clair 👋🏽 👨‍👩‍👧 naïve\u{0}x\tπ\n"
    let (corpus, _) = try trainAndSample(String(repeating: piece, count: 60))
    // Scalars, not grapheme clusters: U+0301, the skin-tone modifier, ZWJ and NUL are tokens.
    for scalar: Unicode.Scalar in ["\u{301}", "\u{1F3FD}", "\u{200D}", "\u{0}"] {
      XCTAssertNotNil(corpus.vocabulary.index(of: scalar), "\(scalar.value)")
    }
  }

  func testOneEnormousLine() throws {
    let text = String(repeating: "abcdefghij", count: 100_000)  // 1,000,000 characters, no newline
    let (corpus, _) = try trainAndSample(text)
    XCTAssertEqual(corpus.tokens.count, 1_000_000)
  }

  func testPrimeWithUnknownCharactersIsAClearError() throws {
    let corpus = try Corpus(text: String(repeating: "ab", count: 50))
    let model = try LanguageModel(config: ModelConfig(cell: .lstm, vocabSize: 2, embed: 2, hidden: 4, layers: 1), seed: 1)
    XCTAssertThrowsError(try Sampler(model: model, vocabulary: corpus.vocabulary).sample(SamplingOptions(prime: "a🙂b"))) {
      XCTAssertTrue("\($0)".contains("\"🙂\""), "\($0)")
    }
  }
}
