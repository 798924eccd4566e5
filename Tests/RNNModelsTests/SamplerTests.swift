import RNNModels
import TestSupport
import XCTest

final class SamplerTests: XCTestCase {
  func makeSampler() throws -> Sampler {
    let corpus = try Corpus(text: "abc abd\nabe abc\n")
    let config = ModelConfig(cell: .gru, vocabSize: corpus.vocabulary.count, embed: 4, hidden: 8, layers: 1)
    return try Sampler(model: try LanguageModel(config: config, seed: 5), vocabulary: corpus.vocabulary)
  }

  func testSameSeedSameTextAndStreaming() throws {
    let sampler = try makeSampler()
    var streamed = ""
    let a = try sampler.sample(SamplingOptions(length: 50, temperature: 1, prime: "ab", seed: 9)) {
      streamed += $0
      return true
    }
    let b = try sampler.sample(SamplingOptions(length: 50, temperature: 1, prime: "ab", seed: 9))
    XCTAssertEqual(a, b)
    XCTAssertEqual(a, streamed)
    XCTAssertEqual(a.unicodeScalars.count, 50)
    XCTAssertNotEqual(a, try sampler.sample(SamplingOptions(length: 50, temperature: 1, prime: "ab", seed: 10)))
  }

  func testTopKOneIsGreedy() throws {
    let sampler = try makeSampler()
    let greedy = try sampler.sample(SamplingOptions(length: 30, temperature: 0, prime: "a"))
    XCTAssertEqual(try sampler.sample(SamplingOptions(length: 30, temperature: 1.5, topK: 1, prime: "a", seed: 4)), greedy)
    XCTAssertEqual(try sampler.sample(SamplingOptions(length: 30, temperature: 1, topP: 1e-6, prime: "a", seed: 4)), greedy)
  }

  /// A stop string ends generation right after its first occurrence (included) and changes
  /// nothing before it: the text is exactly the unstopped sample, same seed, cut there.
  func testStopStringEndsGeneration() throws {
    let sampler = try makeSampler()
    let options = SamplingOptions(length: 500, temperature: 1, prime: "a", seed: 1)
    let unstopped = Array(try sampler.sample(options).unicodeScalars)
    XCTAssertEqual(unstopped.count, 500)
    // Three characters the sample draws late (their first occurrence may come earlier).
    let late = String(String.UnicodeScalarView(unstopped[300..<303]))
    for stop in [[" "], ["\n"], ["bd", "e "], [late]] {
      // The shortest prefix that ends with one of the stop strings.
      let end = (1...unstopped.count).first { n in
        stop.contains { String(String.UnicodeScalarView(unstopped[..<n])).hasSuffix($0) }
      }
      let cut = try XCTUnwrap(end, "\(stop) must occur in the 500 characters for the test to mean anything")
      XCTAssertLessThan(cut, 500, "\(stop)")
      var stopping = options
      stopping.stop = stop
      XCTAssertEqual(try sampler.sample(stopping), String(String.UnicodeScalarView(unstopped[..<cut])), "\(stop)")
    }
  }

  func testPrimeOutsideVocabularyNamesTheCharacters() throws {
    let sampler = try makeSampler()
    XCTAssertThrowsError(try sampler.sample(SamplingOptions(prime: "abz!z"))) { error in
      XCTAssertEqual("\(error)", #"the prime text contains characters outside the model's vocabulary: "z", "!""#)
    }
    XCTAssertThrowsError(try sampler.sample(SamplingOptions(temperature: -1))) { error in
      XCTAssertEqual(error as? ModelError, .invalidArgument("temperature must be ≥ 0, got -1.0"))
    }
  }
}
