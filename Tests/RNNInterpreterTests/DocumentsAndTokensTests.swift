import Foundation
import RNNInterpreter
import RNNModels
import TestSupport
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

  func interpreter() -> (Interpreter, RecordingSink) { makeInterpreter(root: root) }

  func testGoldenTranscript() throws {
    let (interpreter, sink) = interpreter()
    let url = GoldenTranscriptTests.directory.appendingPathComponent("tokens.rnn")
    let outcome = interpreter.run(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    Golden.assertMatches(sink.transcript + "# exit: \(outcome ? "ok" : "error")\n", Golden.url("tokens.out"))
  }

  func testPeriodicCheckpointsOfATokenModelKeepItsTokenizer() {
    let (interpreter, sink) = interpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        w = corpus "book.txt" tokens word
        mw = gru w hidden 4 embed 2
        train mw steps 4 batch 2 seq 8 save_every 2 save_dir "ck"
        back = load "ck/mw-step0000004.safetensors"
        """), sink.transcript)
    XCTAssertEqual(interpreter.session.model("back")!.tokenizer, interpreter.session.model("mw")!.tokenizer)
  }

  func testHelpTokensExplainsATokenWithTheLecturesHelloExample() {
    let (interpreter, sink) = interpreter()
    XCTAssertTrue(interpreter.run("help tokens"), firstError(sink))
    let text = sink.transcript.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
    XCTAssertTrue(text.contains("A token is the unit a model reads and predicts"), text)
    XCTAssertTrue(text.contains(#""hello" is the five ids of h, e, l, l, o over the four-character vocabulary h, e, l, o"#), text)
    XCTAssertTrue(text.contains("e after h, l after e, l after l and o after l"), text)
    XCTAssertFalse(text.contains("\\"), text)  // no stray line-continuation backslashes
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
      (#"predict mb text "Tyger""#, ["predict shows one column per character; this model reads bpe tokens"]),
      (#"sample mw prime "zebra""#, ["the prime text has", "\"z\""]),
      (#"tokens w "zebra""#, ["the text has", "\"z\""]),
      (#"train c2 corpus b steps 1"#, ["the model reads characters and this corpus is of bpe tokens"]),
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
          mb = gru b hidden 4 embed 2
          mw = gru w hidden 4 embed 2
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

  /// A BPE model trains, evaluates per token and per character, and comes back from its checkpoint
  /// with the same tokenizer, the same loss and the same samples.
  func testTokenizedModelSavesAndLoadsExactly() throws {
    let (interpreter, sink) = interpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        b = corpus "book.txt" tokens bpe vocab 300
        m = lstm b hidden 8 embed 4
        train m steps 4 batch 2 seq 16
        eval m
        sample m length 60 seed 4
        save m "ck/m.safetensors"
        m2 = load "ck/m.safetensors"
        eval m2
        sample m2 length 60 seed 4
        train m steps 2 batch 2 seq 16
        train m2 steps 2 batch 2 seq 16
        """), sink.transcript)
    let lines = sink.transcript.split(separator: "\n").map(String.init)
    let evals = lines.filter { $0.contains("validation split:") }
    XCTAssertEqual(evals.count, 2)
    XCTAssertTrue(evals[0].contains("nats/token") && evals[0].contains("bits/char") && evals[0].contains("/token over"), evals[0])
    XCTAssertEqual(evals[0].dropFirst(2), evals[1].dropFirst(3))
    let m = interpreter.session.model("m")!
    let m2 = interpreter.session.model("m2")!
    XCTAssertEqual(m2.tokenizer, m.tokenizer)
    XCTAssertEqual(m.model.parameters.array, m2.model.parameters.array, "resumed training diverged")
    let samples = sink.events.compactMap { e -> String? in if case .sampleCharacter(let c) = e { return c } else { return nil } }.joined()
    XCTAssertEqual(samples.unicodeScalars.count, 120)
    XCTAssertEqual(String(samples.unicodeScalars.prefix(60)), String(samples.unicodeScalars.suffix(60)))
    // In a new session the checkpoint finds its corpus by path and encodes it with its own tokenizer.
    let (fresh, freshSink) = self.interpreter()
    XCTAssertTrue(fresh.run("m3 = load \"ck/m.safetensors\"\neval m3"), freshSink.transcript)
    XCTAssertTrue(freshSink.transcript.contains("corpus \"book.txt\""), freshSink.transcript)
    let again = try XCTUnwrap(freshSink.transcript.split(separator: "\n").first { $0.contains("validation split:") })
    XCTAssertEqual(again.dropFirst(3), evals[0].dropFirst(2))
    XCTAssertEqual(fresh.session.model("m3")!.tokenizer, m.tokenizer)
  }

  /// `plot` puts a BPE model's losses per character, so they sit on the same axes as a char model's:
  /// its validation point is the bits per character `eval` printed.
  func testPlotShowsTokenModelsPerCharacter() throws {
    let (interpreter, sink) = interpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        b = corpus "book.txt" tokens bpe vocab 300
        m = gru b hidden 8 embed 4
        train m steps 3 batch 2 seq 16
        eval m
        plot m units bits width 60 height 4
        """), sink.transcript)
    let lines = sink.transcript.split(separator: "\n").map(String.init)
    let eval = try XCTUnwrap(lines.first { $0.contains("validation split:") })
    let summary = try XCTUnwrap(lines.first { $0.hasPrefix("m: 3 steps") })
    func number(before unit: String, in line: String) -> Double? {
      guard let r = line.range(of: unit) else { return nil }
      return Double(line[..<r.lowerBound].split(separator: " ").last ?? "")
    }
    let evaluated = try XCTUnwrap(number(before: " bits/char", in: eval))
    let plotted = try XCTUnwrap(number(before: " at step", in: summary))
    XCTAssertTrue(summary.hasSuffix("bits/char"), summary)
    XCTAssertEqual(plotted, evaluated, accuracy: 0.0006, "\(eval)\n\(summary)")
  }
}
