import XCTest

@testable import RNNTokenizers

/// The serialised form reads back to an equal tokenizer, and every kind of damage is rejected with
/// its own error.
final class SerializationTests: XCTestCase {
  func testEveryKindRoundTrips() throws {
    var random = RandomText(seed: 21)
    for _ in 0..<30 {
      let text = random.string(length: 20 + random.next(60))
      let tokenizers: [AnyTokenizer] = [
        .char(CharTokenizer(training: text)), .word(WordTokenizer(training: text, minCount: 1 + random.next(2))),
        .bpe(BPETokenizer(training: text + text, vocabularySize: 300)),
      ]
      for t in tokenizers {
        let back = try AnyTokenizer(serialized: t.serialized)
        XCTAssertEqual(back, t)
        XCTAssertEqual(back.serialized, t.serialized)
        XCTAssertEqual(try back.encode(text), try t.encode(text))
      }
    }
  }

  func testTheFormIsReadableASCII() {
    let t = WordTokenizer(training: "ab ab c")
    XCTAssertEqual(t.serialized, "rnn-tokenizer 1 word\nscalars 20 61 62 63\nmin_count 1\nwords 6162")
    XCTAssertEqual(
      BPETokenizer(training: "aaabdaaabac", vocabularySize: 258).serialized,
      "rnn-tokenizer 1 bpe\npretokenizer pieces-1\nmerges 97,97 97,98")
  }

  func reject(_ text: String, _ expected: TokenizerFormatError, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try AnyTokenizer(serialized: text), file: file, line: line) { error in
      XCTAssertEqual(error as? TokenizerFormatError, expected, file: file, line: line)
      XCTAssertFalse("\(error)".isEmpty)
    }
  }

  func testHeaderProblems() {
    reject("", .notATokenizer)
    reject("hello", .notATokenizer)
    reject("rnn-tokenizer 2 char\nscalars 61", .unsupportedVersion("2"))
    reject("rnn-tokenizer 1 sentencepiece\nscalars 61", .unknownKind("sentencepiece"))
    reject("rnn-tokenizer 1 char", .missingField(line: 2, expected: "scalars"))
    reject("rnn-tokenizer 1 char\nscalars 61\n", .extraLines(line: 3))
  }

  func testCharacterProblems() {
    reject(
      "rnn-tokenizer 1 char\nscalars", .badValue(line: 2, field: "scalars", value: "", reason: "is empty: a tokenizer needs a character"))
    reject(
      "rnn-tokenizer 1 char\nscalars 62 61", .badValue(line: 2, field: "scalars", value: "61", reason: "is not above the scalar before it"))
    reject(
      "rnn-tokenizer 1 char\nscalars 61 61", .badValue(line: 2, field: "scalars", value: "61", reason: "is not above the scalar before it"))
    for bad in ["d800", "110000", "-1", "4G", "1234567", "4A"] {
      reject(
        "rnn-tokenizer 1 char\nscalars \(bad)",
        .badValue(line: 2, field: "scalars", value: bad, reason: "is not a Unicode scalar in lowercase hex"))
    }
    reject(
      "rnn-tokenizer 1 char\nscalars 61  62",
      .badValue(line: 2, field: "scalars", value: "", reason: "(value 2) is empty: values are separated by one space"))
  }

  func testWordProblems() {
    let head = "rnn-tokenizer 1 word\nscalars 20 61 62\n"
    reject(head + "words 6162", .missingField(line: 3, expected: "min_count"))
    reject(head + "min_count 0\nwords", .badValue(line: 3, field: "min_count", value: "0", reason: "is not a count from 1 to 2^31 - 1"))
    reject(head + "min_count 1", .missingField(line: 4, expected: "words"))
    func word(_ v: String, _ reason: String) {
      reject(head + "min_count 1\nwords \(v)", .badValue(line: 4, field: "words", value: v, reason: reason))
    }
    word("61", "is not 2 to 128 bytes in lowercase hex")
    word("616", "is not 2 to 128 bytes in lowercase hex")
    word("61zz", "is not 2 to 128 bytes in lowercase hex")
    word("61ff", "is not UTF-8")
    word("6163", "has a character outside 'scalars'")
    word("6120", "is not one word of two characters or more")
    reject(head + "min_count 1\nwords 6162 6162", .badValue(line: 4, field: "words", value: "6162", reason: "appears twice"))
    word(String(repeating: "61", count: 129), "is not 2 to 128 bytes in lowercase hex")
  }

  func testMergeProblems() {
    let head = "rnn-tokenizer 1 bpe\n"
    reject(head + "merges 1,2", .missingField(line: 2, expected: "pretokenizer"))
    reject(
      head + "pretokenizer gpt2\nmerges",
      .badValue(line: 2, field: "pretokenizer", value: "gpt2", reason: "is not a pre-tokenization this build knows (pieces-1)"))
    let pre = head + "pretokenizer pieces-1\n"
    reject(pre + "merges 1,2,3", .badValue(line: 3, field: "merges", value: "1,2,3", reason: "is not two ids 'left,right'"))
    reject(pre + "merges 1;2", .badValue(line: 3, field: "merges", value: "1;2", reason: "is not two ids 'left,right'"))
    reject(pre + "merges 1,-2", .badValue(line: 3, field: "merges", value: "1,-2", reason: "is not two ids 'left,right'"))
    reject(
      pre + "merges 1,256", .badValue(line: 3, field: "merges", value: "1,256", reason: "uses an id not defined before merge 0 (id 256)"))
    reject(
      pre + "merges 1,2 256,257",
      .badValue(line: 3, field: "merges", value: "256,257", reason: "uses an id not defined before merge 1 (id 257)"))
    reject(pre + "merges 1,2 1,2", .badValue(line: 3, field: "merges", value: "1,2", reason: "repeats an earlier merge"))
    reject(pre + "merges 99999999999,1", .badValue(line: 3, field: "merges", value: "99999999999,1", reason: "is not two ids 'left,right'"))
  }

  func testSizeLimits() {
    let big = "rnn-tokenizer 1 char\nscalars " + String(repeating: "a", count: TokenizerFormat.Limits.bytes)
    reject(big, .tooLarge(characters: big.utf8.count, limit: TokenizerFormat.Limits.bytes))
    let many =
      "rnn-tokenizer 1 bpe\npretokenizer pieces-1\nmerges "
      + Array(repeating: "1,2", count: TokenizerFormat.Limits.entries + 1).joined(separator: " ")
    reject(many, .tooMany(field: "merges", count: TokenizerFormat.Limits.entries + 1, limit: TokenizerFormat.Limits.entries))
  }

  /// Random damage to valid forms never crashes the reader: it either reads a tokenizer whose form
  /// reads back the same, or throws.
  func testRandomDamageIsRejectedOrConsistent() {
    var random = RandomText(seed: 22)
    let forms = [
      CharTokenizer(training: "hello world").serialized, WordTokenizer(training: "a cat a hat").serialized,
      BPETokenizer(training: "abab abab cdcd cdcd", vocabularySize: 270).serialized,
    ]
    for _ in 0..<2000 {
      var bytes = Array(forms[random.next(forms.count)].utf8)
      for _ in 0..<(1 + random.next(3)) {
        let i = random.next(bytes.count)
        switch random.next(3) {
        case 0: bytes[i] = UInt8(random.next(128))
        case 1: bytes.remove(at: i)
        default: bytes.insert(UInt8(random.next(128)), at: i)
        }
      }
      let text = String(decoding: bytes, as: UTF8.self)
      if let t = try? AnyTokenizer(serialized: text) {
        XCTAssertEqual(try? AnyTokenizer(serialized: t.serialized), t)
      }
    }
  }
}
