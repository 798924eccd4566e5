import Foundation
import RNNInterpreter
import RNNModels
import XCTest

/// `corpus` over folders and globs, `tokens word|bpe`, and the `tokens` command, on the real disk:
/// a golden transcript, and a clear error that changes nothing for each way they can fail.
final class DocumentsAndTokensTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-documents-\(UUID().uuidString)")
    var files: [String: [UInt8]] = [
      "book.txt": Array(tinyText.utf8),
      "notes/sub/bad.bin": [0x61, 0xFF],
      "notes/.hidden.txt": Array("hidden".utf8),
      "few/a.txt": Array("first file\n".utf8),
      "few/deeper/b.txt": Array("second file\n".utf8),
    ]
    for i in 0..<12 { files[String(format: "notes/n%02d.txt", i)] = Array("note \(i): the night is bright\n".utf8) }
    for (name, bytes) in files {
      let url = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

  func interpreter() -> (Interpreter, RecordingSink) {
    let sink = RecordingSink()
    return (Interpreter(sink: sink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false)), sink)
  }

  func testGoldenTranscript() throws {
    let (interpreter, sink) = interpreter()
    let url = GoldenTranscriptTests.directory.appendingPathComponent("tokens.rnn")
    let outcome = interpreter.run(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    try assertGolden(sink.transcript + "# exit: \(outcome ? "ok" : "error")\n", "tokens.out")
  }

  func testEachFailureIsAClearErrorThatChangesNothing() {
    let cases: [(String, [String])] = [
      (#"x = corpus "empty""#, ["empty holds no text files"]),
      (#"x = corpus "**/*.xyz""#, ["no file matches **/*.xyz"]),
      (#"x = corpus "notes""#, ["notes/sub/bad.bin is not valid UTF-8 (first bad byte at offset 1)", "invalid skip"]),
      (#"x = corpus "notes/sub/bad.bin" invalid skip"#, ["every file of notes/sub/bad.bin (1) was left out"]),
      (#"x = corpus "book.txt" min_count 2"#, ["min_count applies to `tokens word` only"]),
      (#"x = corpus "book.txt" vocab 100"#, ["vocab applies to `tokens word` and `tokens bpe`"]),
      (#"x = corpus "book.txt" tokens bpe vocab 100"#, ["vocab 100 is below 256"]),
      (#"x = corpus "book.txt" tokens word vocab 3"#, ["smaller than the text's"]),
      (#"m = lstm b hidden 4"#, ["corpus 'b' is made of bpe tokens", "`tokens b TEXT`"]),
      (#"tokens w "zebra""#, ["the text has", "\"z\""]),
      (#"train c2 corpus b steps 1"#, ["different vocabulary"]),
    ]
    for (statement, expected) in cases {
      let (interpreter, sink) = interpreter()
      XCTAssertTrue(
        interpreter.run(
          """
          b = corpus "book.txt" tokens bpe vocab 300
          w = corpus "book.txt" tokens word
          c = corpus "book.txt"
          c2 = gru c hidden 4 embed 2
          """), sink.transcript)
      sink.clear()
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run(statement), statement)
      for text in expected { XCTAssertTrue(sink.transcript.contains(text), "\(statement): \(sink.transcript)") }
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
    }
  }

  /// A tokenized corpus holds the same text, split at the same characters, as its char twin.
  func testTokenizedSplitsHoldTheSameText() {
    let (interpreter, sink) = interpreter()
    XCTAssertTrue(interpreter.run(#"c = corpus "book.txt""# + "\n" + #"b = corpus "book.txt" tokens bpe vocab 280"#), sink.transcript)
    let c = interpreter.session.corpus("c")!.corpus
    let b = interpreter.session.corpus("b")!.corpus
    for split in CorpusSplits.Name.allCases {
      XCTAssertEqual(b.tokenizer.decode(b.tokens(of: split).array), c.vocabulary.decode(c.tokens(of: split).array))
      XCTAssertEqual(b.characters(of: split), c.tokens(of: split).count)
    }
    XCTAssertEqual(b.vocabularySize, 280)
    XCTAssertLessThan(b.tokens.count, c.tokens.count)
  }
}
