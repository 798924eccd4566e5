import Foundation
import RNNInterpreter
import RNNModels
import XCTest

/// `corpus [PATH, …]`: a list of files, folders and globs is one corpus of their documents in the
/// order given, with the same errors as a single path, naming the entry at fault.
final class CorpusListTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-list-\(UUID().uuidString)")
    let files: [String: String] = [
      "book.txt": tinyText, "few/a.txt": "first file\n", "few/deeper/b.txt": "second file\n", "src/x.c": "int x;\n",
      "src/lib/y.c": "int y;\n", "src/lib/y.h": "int z;\n",
    ]
    for (name, text) in files {
      let url = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

  private func text(of corpus: Corpus) -> String { corpus.vocabulary.decode(corpus.tokens.array) }

  func testTheDocumentsComeInTheOrderGiven() {
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(
        """
        x = corpus ["few/", "book.txt", "src/**/*.c"]
        y = corpus ["src/**/*.c", "few/deeper/b.txt", "few/"]
        """), firstError(sink))
    let x = interpreter.session.corpus("x")!.corpus
    XCTAssertEqual(x.documentCount, 5)
    XCTAssertEqual(text(of: x), ["first file\n", "second file\n", tinyText, "int y;\n", "int x;\n"].joined(separator: "\n\n"))
    XCTAssertTrue(sink.transcript.contains(#"corpus ["few/", "book.txt", "src/**/*.c"]: 5 documents"#), sink.transcript)
    // A file named twice (b.txt, directly and through its folder) is read once, where first named.
    let y = interpreter.session.corpus("y")!.corpus
    XCTAssertEqual(text(of: y), ["int y;\n", "int x;\n", "second file\n", "first file\n"].joined(separator: "\n\n"))
  }

  func testEachFailureNamesTheEntryAndChangesNothing() {
    let cases: [(String, String)] = [
      (#"x = corpus ["book.txt", "missing.txt"]"#, "cannot read missing.txt: no such file"),
      (#"x = corpus ["book.txt", "src/**/*.py"]"#, "no file matches src/**/*.py"),
      (#"x = corpus ["empty", "book.txt"]"#, "empty holds no text files"),
      (#"x = corpus []"#, "the list of files is empty"),
      (#"x = corpus ["book.txt", ""]"#, "entry 2 of the list is an empty path"),
      (#"x = corpus ["book.txt", 3]"#, "PATH of 'corpus' must be a string or a list of strings"),
    ]
    for (statement, message) in cases {
      let (interpreter, sink) = makeInterpreter(root: root)
      XCTAssertTrue(interpreter.run(#"c = corpus "book.txt""#), firstError(sink))
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(message), "\(statement): \(firstError(sink))")
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
    }
  }

  func testACheckpointReadsTheListAgain() {
    let (first, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      first.run(
        """
        x = corpus ["book.txt", "few/"] split 0.8
        m = gru x hidden 4 embed 2
        train m steps 3 batch 2 seq 8
        save m "ck/m.safetensors"
        """), firstError(sink))
    let (second, sink2) = makeInterpreter(root: root)
    XCTAssertTrue(second.run(#"m = load "ck/m.safetensors""#), firstError(sink2))
    XCTAssertTrue(sink2.transcript.contains(#"corpus ["book.txt", "few/"]"#), sink2.transcript)
    let a = first.session.model("m")!.corpus!.corpus
    let b = second.session.model("m")!.corpus!.corpus
    XCTAssertEqual(a.fingerprint, b.fingerprint)
    XCTAssertEqual(a.tokens, b.tokens)
  }
}
