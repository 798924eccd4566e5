import Foundation
import RNNTokenizers
import XCTest

@testable import RNNModels

/// Models of word and BPE tokens: the char tokenizer is the vocabulary, checkpoints carry the
/// tokenizer exactly, and sampling counts characters.
final class TokenizedModelTests: XCTestCase {
  static let text = String(repeating: "Tyger Tyger, burning bright,\nIn the forests of the night;\n", count: 12)

  func testCharTokenizerIsTheVocabulary() throws {
    for text in [Self.text, "héllo 日本語 👨‍👩‍👧\r\n\0", String(repeating: "abc\u{10FFFF}", count: 3)] {
      let corpus = try Corpus(text: text, fractions: .init(train: 1))
      let tokenizer = CharTokenizer(training: text)
      XCTAssertEqual(tokenizer.scalars, corpus.vocabulary.scalars)
      XCTAssertEqual(try tokenizer.encode(text), corpus.tokens.array)
      XCTAssertEqual(corpus.tokenizer, .char(tokenizer))
    }
  }

  func testTokenizedCorpusKeepsTheSplitsText() throws {
    let corpus = try Corpus(text: Self.text, fractions: .init(train: 0.8, validation: 0.1))
    for kind in [TokenizerKind.word, .bpe] {
      let t = try corpus.tokenized(kind, vocabularySize: kind == .bpe ? 300 : nil)
      for split in CorpusSplits.Name.allCases {
        XCTAssertEqual(t.tokenizer.decode(t.tokens(of: split).array), corpus.vocabulary.decode(corpus.tokens(of: split).array))
        XCTAssertEqual(t.characters(of: split), corpus.splits.range(split).count)
      }
      XCTAssertEqual(t.fingerprint, corpus.fingerprint)
      XCTAssertLessThan(t.tokens.count, corpus.tokens.count)
    }
  }

  /// A BPE corpus learns and encodes from its character tokens in place (`ScalarAlphabet`): the
  /// merges are those learned from the training split's text, and each split's tokens are that
  /// text's encoding, for one-byte (at most 256 characters) and two-byte character storage.
  func testBPECorpusEqualsTheTokenizerOnTheSplitTexts() throws {
    var state: UInt64 = 42
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
    let fragments = [
      "e\u{301}", "👨‍👩‍👧", "한국어", "'ll", "'re", "'s", " the", "  ", "\r\n", "\n\n", "123", " 45", "...", "ﬁ", "\t", "\0", " ",
      "Tyger", " burning", "\u{2028}", "\u{A0}", "٣٤",
    ]
    var wide = ""
    for _ in 0..<4000 {
      if next(3) == 0 {
        wide.unicodeScalars.append(Unicode.Scalar(UInt32(0x4E00 + next(400)))!)
      } else {
        wide += fragments[next(fragments.count)]
      }
    }
    for text in [Self.text + "'ll 're  \n", wide] {
      let corpus = try Corpus(text: text, fractions: .init(train: 0.7, validation: 0.2))
      let t = try corpus.tokenized(.bpe, vocabularySize: 400)
      let splitText = { (split: CorpusSplits.Name) in corpus.vocabulary.decode(corpus.tokens(of: split).array) }
      let expected = BPETokenizer(training: splitText(.train), vocabularySize: 400)
      XCTAssertEqual(t.tokenizer, .bpe(expected))
      XCTAssertGreaterThan(expected.merges.count, 20)
      let reloaded = try corpus.encoded(with: .bpe(expected))
      for split in CorpusSplits.Name.allCases {
        XCTAssertEqual(t.tokens(of: split).array, expected.encode(splitText(split)), "\(split)")
        XCTAssertEqual(reloaded.tokens(of: split).array, expected.encode(splitText(split)), "\(split)")
      }
      XCTAssertEqual(t.tokens.bytesPerToken, 2)
      XCTAssertEqual(corpus.tokens.bytesPerToken, text == wide ? 2 : 1, "both character storages are covered")
    }
  }

  func testCheckpointRestoresTheTokenizerExactly() throws {
    let corpus = try Corpus(text: Self.text).tokenized(.bpe, vocabularySize: 290)
    let model = try LanguageModel(
      config: ModelConfig(cell: .gru, vocabSize: corpus.vocabularySize, embed: 4, hidden: 8, layers: 1), seed: 1)
    let contents = CheckpointContents(
      model: model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: corpus, tokenizer: corpus.tokenizer)
    let file = try ModelCheckpoint.encode(contents)
    let back = try ModelCheckpoint.decode(file, path: "m.safetensors")
    XCTAssertEqual(back.tokenizer, corpus.tokenizer)
    XCTAssertEqual(back.config.vocabSize, corpus.vocabularySize)
    XCTAssertEqual(back.parameters, model.parameters.array)
  }

  func testCheckpointWithADamagedOrMismatchedTokenizerIsRejected() throws {
    let corpus = try Corpus(text: Self.text).tokenized(.bpe, vocabularySize: 290)
    let model = try LanguageModel(
      config: ModelConfig(cell: .gru, vocabSize: corpus.vocabularySize, embed: 4, hidden: 8, layers: 1), seed: 1)
    let good = try ModelCheckpoint.encode(
      CheckpointContents(
        model: model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: corpus, tokenizer: corpus.tokenizer))
    for (tokenizer, expected) in [
      ("rnn-tokenizer 1 bpe\npretokenizer pieces-1\nmerges 1,999", "metadata 'tokenizer': line 3"),
      ("rnn-tokenizer 1 bpe\npretokenizer pieces-1\nmerges 1,2", "but the tokenizer has 257 tokens"),
    ] {
      var file = good
      file.metadata["tokenizer"] = tokenizer
      XCTAssertThrowsError(try ModelCheckpoint.decode(file, path: "m.safetensors")) { error in
        XCTAssertTrue("\(error)".contains(expected), "\(error)")
      }
    }
  }

  func testSamplingTokensCountsCharactersAndIsSeeded() throws {
    let corpus = try Corpus(text: Self.text).tokenized(.bpe, vocabularySize: 300)
    let model = try LanguageModel(
      config: ModelConfig(cell: .lstm, vocabSize: corpus.vocabularySize, embed: 4, hidden: 8, layers: 1), seed: 2)
    let sampler = try Sampler(model: model, tokenizer: corpus.tokenizer)
    for length in [1, 7, 50] {
      var streamed = ""
      let text = try sampler.sample(SamplingOptions(length: length, prime: "Tyger", seed: 3)) {
        streamed += $0; return true
      }
      XCTAssertEqual(text.unicodeScalars.count, length)
      XCTAssertEqual(streamed, text)
      XCTAssertEqual(try sampler.sample(SamplingOptions(length: length, prime: "Tyger", seed: 3)), text)
    }
    XCTAssertThrowsError(try Sampler(model: model, tokenizer: .bpe(BPETokenizer(training: "", vocabularySize: 256))))
  }
}
