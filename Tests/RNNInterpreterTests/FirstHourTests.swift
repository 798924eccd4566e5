import Foundation
import RNNInterpreter
import RNNLanguage
import XCTest

/// The rough edges a new user met in their first hour (issue 16), each fixed and pinned here.
final class FirstHourTests: XCTestCase {
  static let training = """
    t = corpus "corpora/tiny.txt" split 0.8
    m = lstm t hidden 8 embed 4 seed 1
    train m steps 4 seq 16 batch 4 lr 0.01

    """

  func testLimitedEvaluationIsKeptInTheHistoryMarkedAsSuch() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-limit")
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(interpreter.run(Self.training + "eval m limit 50\neval m\nhistory m\nshow m"), firstError(sink))
    let transcript = sink.transcript
    XCTAssertTrue(transcript.contains("m: validation\n  step      4  "), transcript)
    XCTAssertTrue(transcript.contains(" bpc)  (first 50 characters)\n  step      4  "), transcript)
    sink.clear()
    XCTAssertTrue(
      interpreter.run(
        "eval m limit 60\nsave m \"checkpoints/m.safetensors\"\nm2 = load \"checkpoints/m.safetensors\"\nhistory m2\nshow m2"),
      firstError(sink))
    XCTAssertTrue(sink.transcript.contains("(first 60 characters)\n"), sink.transcript)
    XCTAssertEqual(
      sink.transcript.components(separatedBy: "(first ").count - 1, 3,
      "both limited evaluations in m2's history, and show says the last was limited: \(sink.transcript)")
  }

  func testSkippedUnknownCharactersAreCounted() {
    let (interpreter, sink, _) = makeInterpreter(files: ["odd.txt": "Tyger ~~ bright @ night"])
    XCTAssertTrue(interpreter.run(Self.training + "eval m file \"odd.txt\" unknown skip"), firstError(sink))
    XCTAssertTrue(
      sink.transcript.contains(
        "skipped 3 of 23 characters of \"odd.txt\" outside the model's vocabulary (2 distinct: \"~\", \"@\")"),
      sink.transcript)
  }

  func testZeroDurationPrintsAsSeconds() {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(interpreter.run("print 0s 500ms 2m"), firstError(sink))
    XCTAssertEqual(sink.transcript, "0s 500ms 2m\n")
  }

  func testClassifierListsEachUnknownCharacterOnceAndNeverDropsThemSilently() {
    var tsv = ""
    for i in 0..<20 { tsv += (i % 2 == 0 ? "yes\tgood\n" : "no\tbad\n") }
    let (interpreter, sink, _) = makeInterpreter(files: ["data.tsv": tsv])
    XCTAssertTrue(interpreter.run("c = classifier \"data.tsv\" hidden 4 embed 2"), firstError(sink))
    XCTAssertFalse(interpreter.run("classify c \"goodqqqzq\""))
    XCTAssertTrue(
      firstError(sink).contains("\"goodqqqzq\" has 2 characters outside the classifier's vocabulary: \"q\", \"z\"; add 'unknown skip'"),
      sink.transcript)
    sink.clear()
    XCTAssertTrue(interpreter.run("classify c \"goodqqqzq\" unknown skip"), firstError(sink))
    XCTAssertTrue(
      sink.transcript.contains(
        "skipped 5 of 9 characters of \"goodqqqzq\" outside the classifier's vocabulary (2 distinct: \"q\", \"z\")\n"),
      sink.transcript)
    sink.clear()
    XCTAssertTrue(interpreter.run("classify c \"goodqqqzq\" unknown replace"), firstError(sink))
    // The classifier's texts have no space or newline: its first character stands in.
    XCTAssertTrue(
      sink.transcript.contains(
        "replaced 5 of 9 characters of \"goodqqqzq\" outside the classifier's vocabulary (2 distinct: \"q\", \"z\") with \"a\""),
      sink.transcript)
  }

  func testRollingSavePathsAreQuoted() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-roll")
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(Self.training + "train m steps 2 save_every 2 save_dir \"my checkpoints\""), firstError(sink))
    XCTAssertTrue(
      sink.transcript.contains("m: saved step 6 to \"my checkpoints/m-step0000006.safetensors\""), sink.transcript)
  }

  func testTrainingSaysAtOnceThatItStarted() {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(interpreter.run(Self.training), firstError(sink))
    let first = sink.events.compactMap { event -> ProgressEvent? in
      if case .progress(let p) = event, p.activity == .training { return p }
      return nil
    }.first
    XCTAssertEqual(first?.done, 0, "a progress event before the first step")
    XCTAssertEqual(first?.total, 4)
  }

  func testCheckpointsFindTheirCorpusFromAnotherDirectory() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-abs-\(UUID().uuidString)")
    let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
    for dir in [a.appendingPathComponent("corpora"), b] {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    defer { try? FileManager.default.removeItem(at: base) }
    try tinyText.write(to: a.appendingPathComponent("corpora/tiny.txt"), atomically: true, encoding: .utf8)
    let (inA, sinkA) = makeInterpreter(root: a)
    let checkpoint = b.appendingPathComponent("m.safetensors").path
    XCTAssertTrue(inA.run(Self.training + "save m \"\(checkpoint)\""), firstError(sinkA))
    // From b/, "corpora/tiny.txt" does not exist; the absolute path saved beside it does.
    let (inB, sinkB) = makeInterpreter(root: b)
    XCTAssertTrue(inB.run("m = load \"m.safetensors\"\ntrain m steps 1"), firstError(sinkB))
    XCTAssertTrue(
      sinkB.transcript.contains(", corpus \"\(a.path)/corpora/tiny.txt\""), sinkB.transcript)
    XCTAssertFalse(sinkB.transcript.contains("not available"), sinkB.transcript)
  }

  func testHelpWrapsAtWordsToTheWidth() {
    for columns in [50, 80, 132] {
      let sink = RecordingSink()
      let interpreter = Interpreter(
        sink: sink, fileSystem: InMemoryFileSystem(),
        settings: InterpreterSettings(showTimings: false, terminalWidth: columns))
      for command in ["help", "help train", "help eval"] {
        sink.clear()
        XCTAssertTrue(interpreter.run(command), firstError(sink))
        let lines = sink.transcript.split(separator: "\n")
        let inExamples = lines.firstIndex(of: "Examples:") ?? lines.endIndex
        for line in lines[..<inExamples] {
          // Only a single word too long for a line may exceed it.
          XCTAssertTrue(
            line.count <= columns || !line.trimmingCharacters(in: .whitespaces).contains(" "),
            "\(command) at \(columns) columns: \(line)")
        }
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        let spec = CommandTable.spec(named: command == "help" ? "help" : String(command.dropFirst(5)))!
        if command != "help" {
          XCTAssertTrue(
            words(sink.transcript).joined(separator: " ").contains(words(spec.help).joined(separator: " ")),
            "the help text's words, in order, none broken")
        }
      }
    }
  }

  func testClassifiersSaveAndLoadLikeModels() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-clf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    var tsv = ""
    for i in 0..<20 { tsv += (i % 2 == 0 ? "yes\tgood\n" : "no\tbad\n") }
    try tsv.write(to: root.appendingPathComponent("data.tsv"), atomically: true, encoding: .utf8)
    let sink = RecordingSink()
    let interpreter = Interpreter(
      sink: sink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false))
    XCTAssertTrue(
      interpreter.run(
        """
        c = classifier "data.tsv" hidden 4 embed 2 seed 2
        fit c epochs 2 every 2
        save c "checkpoints/c.safetensors"
        c2 = load "checkpoints/c.safetensors"
        classify c "goodbad"
        classify c2 "goodbad"
        fit c epochs 1
        fit c2 epochs 1
        """), firstError(sink))
    let lines = sink.transcript.split(separator: "\n").map(String.init)
    XCTAssertTrue(lines.contains("saved c (2 epochs) to \"checkpoints/c.safetensors\""), sink.transcript)
    XCTAssertTrue(
      lines.contains {
        $0.hasPrefix("c2: loaded \"checkpoints/c.safetensors\": GRU 1×4 classifier, 2 labels (no, yes)") && $0.hasSuffix("; 2 epochs")
      },
      sink.transcript)
    let classified = lines.filter { $0.hasPrefix("\"goodbad\":") }
    XCTAssertEqual(classified.count, 2)
    XCTAssertEqual(classified.first, classified.last, "the loaded classifier answers as the saved one")
    let epoch3 = lines.filter { $0.contains("epoch    3") }.map { $0.split(separator: " ", maxSplits: 1)[1] }
    XCTAssertEqual(epoch3.count, 2)
    XCTAssertEqual(epoch3.first, epoch3.last, "fitting continues exactly where the saved one stopped")

    // Without its examples it still classifies; fit says what is missing; a corpus cannot be saved.
    try FileManager.default.removeItem(at: root.appendingPathComponent("data.tsv"))
    sink.clear()
    XCTAssertTrue(interpreter.run("c3 = load \"checkpoints/c.safetensors\"\nclassify c3 \"good\""), firstError(sink))
    XCTAssertTrue(sink.transcript.contains("are not available or have changed; classify works, fit needs them"), sink.transcript)
    XCTAssertFalse(interpreter.run("fit c3 epochs 1"))
    XCTAssertTrue(firstError(sink).contains("'c3' has no training examples"), firstError(sink))
  }
}
