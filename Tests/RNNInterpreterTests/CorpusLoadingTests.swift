import Foundation
import RNNInterpreter
import RNNModels
import XCTest

/// `corpus` on bad text: every case is a clear error that leaves the session as it was, the same
/// on the real disk (where the file is streamed) as in memory; `invalid replace` opts into U+FFFD.
final class CorpusLoadingTests: XCTestCase {
  /// Files every test gets, by name: bytes.
  static let files: [String: [UInt8]] = [
    "good.txt": Array(tinyText.utf8),
    "hello.txt": Array("hello".utf8),
    "empty.txt": [],
    "bom.txt": [0xEF, 0xBB, 0xBF],
    "one.txt": Array("a".utf8),
    "bad.txt": Array("ab".utf8) + [0xC3, 0x28] + Array(tinyText.utf8),
    "folder/inside.txt": Array(tinyText.utf8),
  ]

  var root: URL!

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for (name, bytes) in Self.files {
      let url = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

  /// The two file systems the interpreter may run over, holding the same files.
  func fileSystems() -> [(String, any FileSystem)] {
    [("in memory", InMemoryFileSystem(files: Self.files)), ("on disk", LocalFileSystem(root: root.path))]
  }

  /// Runs `statement` after a set-up that binds `c` and a trained `m`; checks it fails with an
  /// error containing every one of `expected`, and that the session is unchanged.
  func assertFails(_ statement: String, _ expected: [String], setup: String = "", line: UInt = #line) {
    for (label, fs) in fileSystems() {
      let sink = RecordingSink()
      let interpreter = Interpreter(sink: sink, fileSystem: fs, settings: InterpreterSettings(showTimings: false))
      XCTAssertTrue(
        interpreter.run(
          """
          c = corpus "good.txt" split 0.9
          m = gru c hidden 4 embed 2
          train m steps 2 batch 2 seq 8
          \(setup)
          """), sink.transcript, line: line)
      sink.clear()
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run(statement), "\(label): \(statement)", line: line)
      let error = firstError(sink)
      for text in expected {
        XCTAssertTrue(error.contains(text), "\(label): \(statement): \(error)", line: line)
      }
      XCTAssertEqual(interpreter.session.fingerprint, before, "\(label): \(statement) changed the session", line: line)
    }
  }

  func testBadTextIsAClearErrorAndChangesNothing() {
    assertFails(#"c = corpus "none.txt""#, ["cannot read none.txt: no such file"])
    // (On disk a folder is a corpus of its files: DocumentsAndTokensTests.)
    assertFails(#"c = corpus "folder/inside.txt/x""#, ["cannot read folder/inside.txt/x"])
    assertFails(#"c = corpus "empty.txt""#, ["empty.txt is empty: a corpus needs some text to learn from"])
    assertFails(#"c = corpus "bom.txt""#, ["bom.txt holds nothing but a byte-order mark (U+FEFF)"])
    assertFails(
      #"c = corpus "bad.txt""#,
      ["bad.txt is not valid UTF-8 (first bad byte at offset 2)", "e.g. with iconv", "`invalid replace`"])
    assertFails(#"c = corpus "bad.txt" invalid error"#, ["first bad byte at offset 2"])
    assertFails(#"c = corpus "bad.txt" invalid skip"#, ["invalid"])
    // Splits that leave too little to train on or to evaluate.
    assertFails(#"c = corpus "one.txt""#, ["the training split has 0 characters but needs at least 2"])
    assertFails(#"c = corpus "one.txt" split 1"#, ["the training split has 1 characters but needs at least 2"])
    assertFails(#"c = corpus "hello.txt" split 0.2"#, ["the training split has 1 characters but needs at least 2"])
    assertFails(
      "eval h4", ["the validation split has 1 characters; evaluation needs at least 2"],
      setup: "h = corpus \"hello.txt\" split 0.8\nh4 = gru h hidden 4 embed 2")
    assertFails(
      "train h4 steps 1 batch 1 seq 8", ["the training split has 5 characters but needs at least 9"],
      setup: "h = corpus \"hello.txt\" split 1\nh4 = gru h hidden 4 embed 2")
    assertFails("train m steps 1 batch 2 seq 600", ["the training split has 1147 characters but needs at least 1202"])
  }

  func testInvalidReplaceReadsBadBytesAsReplacementCharacters() throws {
    let expected = try Corpus(text: String(decoding: Self.files["bad.txt"]!, as: UTF8.self), fractions: .init(train: 0.9))
    for (label, fs) in fileSystems() {
      let sink = RecordingSink()
      let interpreter = Interpreter(sink: sink, fileSystem: fs, settings: InterpreterSettings(showTimings: false))
      XCTAssertTrue(interpreter.run(#"c = corpus "bad.txt" invalid replace"#), "\(label): \(sink.transcript)")
      XCTAssertTrue(sink.transcript.contains("1 invalid UTF-8 sequence read as U+FFFD"), "\(label): \(sink.transcript)")
      let corpus = interpreter.session.corpus("c")!.corpus
      XCTAssertEqual(corpus.tokens, expected.tokens, label)
      XCTAssertEqual(corpus.vocabulary, expected.vocabulary, label)
      XCTAssertTrue(corpus.vocabulary.scalars.contains("\u{FFFD}"), label)
      XCTAssertEqual(corpus.replacedSequences, 1, label)
      XCTAssertEqual(corpus.byteCount, Self.files["bad.txt"]!.count, label)
      // A valid file reads the same either way.
      XCTAssertTrue(interpreter.run(#"a = corpus "good.txt" invalid replace"#))
      XCTAssertTrue(interpreter.run(#"b = corpus "good.txt""#))
      XCTAssertEqual(interpreter.session.corpus("a")!.corpus.tokens, interpreter.session.corpus("b")!.corpus.tokens)
      XCTAssertEqual(interpreter.session.corpus("a")!.corpus.fingerprint, interpreter.session.corpus("b")!.corpus.fingerprint)
    }
  }

  func testStreamedAndInMemoryLoadsAgree() throws {
    var loaded: [Corpus] = []
    for (_, fs) in fileSystems() {
      let interpreter = Interpreter(sink: RecordingSink(), fileSystem: fs, settings: InterpreterSettings(showTimings: false))
      XCTAssertTrue(interpreter.run(#"c = corpus "good.txt" split 0.8 validation 0.1"#))
      loaded.append(interpreter.session.corpus("c")!.corpus)
    }
    XCTAssertEqual(loaded[0].tokens, loaded[1].tokens)
    XCTAssertEqual(loaded[0].vocabulary, loaded[1].vocabulary)
    XCTAssertEqual(loaded[0].fingerprint, loaded[1].fingerprint)
    XCTAssertEqual(loaded[0].splits, loaded[1].splits)
  }
}
