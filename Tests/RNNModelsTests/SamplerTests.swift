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

  func testStopStringEndsGeneration() throws {
    let sampler = try makeSampler()
    let text = try sampler.sample(SamplingOptions(length: 500, temperature: 1, prime: "a", seed: 1, stop: [" "]))
    XCTAssertTrue(text.hasSuffix(" ") || text.unicodeScalars.count == 500)
    XCTAssertEqual(text.filter { $0 == " " }.count, text.hasSuffix(" ") ? 1 : 0)
  }

  func testPrimeOutsideVocabularyNamesTheCharacters() throws {
    let sampler = try makeSampler()
    XCTAssertThrowsError(try sampler.sample(SamplingOptions(prime: "abz!z"))) { error in
      XCTAssertEqual("\(error)", #"the prime text contains characters outside the model's vocabulary: "z", "!""#)
    }
    XCTAssertThrowsError(try sampler.sample(SamplingOptions(temperature: -1)))
  }
}
