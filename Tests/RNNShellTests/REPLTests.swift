import RNNInterpreter
import RNNLanguage
import RNNShell
import XCTest

/// The read–eval–print loop over a scripted reader: prompts, continuation, errors, Ctrl-C,
/// Ctrl-D, history.
final class REPLTests: XCTestCase {
  func testRunsStatementsAndShowsContinuationPromptsInsideBlocks() {
    let (repl, reader, sink) = makeREPL([
      .line("print \"a\""), .line("for t in [1, 2] {"), .line("print t"), .line("}"),
      .line("print \"open"), .line("string\""),
    ])
    XCTAssertEqual(repl.run(), 0)
    XCTAssertEqual(reader.prompts, ["rnn> ", "rnn> ", "...> ", "...> ", "rnn> ", "...> ", "rnn> "])
    XCTAssertEqual(sink.transcript, "a\n1\n2\nopen\nstring\n")
    XCTAssertEqual(
      reader.historyEntries,
      ["print \"a\"", "for t in [1, 2] { print t }", "print \"open", "string\""])
  }

  func testAnErrorShowsACaretAndLeavesTheSessionUnchanged() {
    let (repl, reader, sink) = makeREPL([
      .line("c = corpus \"corpora/hello.txt\" split 1"),
      .line("m = rnn c hidden 8 seed 1"),
    ])
    _ = repl.run()
    let before = repl.interpreter.session.fingerprint
    let (_, _, _) = (reader, sink, 0)
    sink.clear()
    repl.execute("m = rnn c hiden 8")
    repl.execute("train m steps 2 lr -1")
    XCTAssertEqual(repl.interpreter.session.fingerprint, before)
    XCTAssertEqual(sink.errors.count, 2)
    XCTAssertTrue(
      sink.errors[0].hasPrefix(
        "<input>:1:11: error: unknown option 'hiden' for 'rnn' (did you mean 'hidden'?)\nm = rnn c hiden 8\n          ^~~~~\n"
      ),
      sink.errors[0])
  }

  func testCtrlCAtThePromptDropsThePartialBlockAndIsNotRecorded() {
    let (repl, reader, sink) = makeREPL([
      .line("for t in [1, 2] {"), .line("print t"), .interrupted, .line("print \"after\""),
    ])
    _ = repl.run()
    XCTAssertEqual(sink.transcript, "after\n")
    XCTAssertEqual(reader.prompts, ["rnn> ", "...> ", "...> ", "rnn> ", "rnn> "])
    XCTAssertEqual(reader.historyEntries, ["print \"after\""])
  }

  func testCtrlDInsideABlockDropsItThenExits() {
    let (repl, reader, sink) = makeREPL([.line("repeat 2 {"), .endOfInput, .line("print 1")])
    XCTAssertEqual(repl.run(), 0)
    XCTAssertEqual(sink.transcript, "1\n")
    XCTAssertEqual(reader.prompts.count, 4)
  }

  func testCtrlDWarnsOnceAboutUnsavedTraining() {
    let (repl, reader, sink) = makeREPL([
      .line("c = corpus \"corpora/hello.txt\" split 1"),
      .line("m = rnn c hidden 8 seed 1"),
      .line("train m steps 2 batch 1 seq 4"),
      .endOfInput, .line("print \"still here\""), .endOfInput,
    ])
    XCTAssertEqual(repl.run(), 0)
    XCTAssertEqual(sink.warnings.count, 1)
    XCTAssertTrue(
      sink.warnings[0].contains("model 'm' has training that was never saved"), sink.warnings[0])
    XCTAssertTrue(sink.warnings[0].hasSuffix("Ctrl-D or 'quit' again leaves anyway"), sink.warnings[0])
    XCTAssertTrue(sink.transcript.hasSuffix("still here\n"))
    XCTAssertEqual(reader.prompts.count, 6)
  }

  func testQuitWarnsAsCtrlDDoesAndLeavesTheSecondTime() {
    let (repl, _, sink) = makeREPL([
      .line("c = corpus \"corpora/hello.txt\" split 1"), .line("m = rnn c hidden 8 seed 1"),
      .line("train m steps 2 batch 1 seq 4"), .line("quit"), .line("quit"), .line("print \"not run\""),
    ])
    XCTAssertEqual(repl.run(), 0)
    XCTAssertEqual(sink.warnings.count, 1)
    XCTAssertTrue(sink.warnings[0].hasSuffix("Ctrl-D or 'quit' again leaves anyway"), sink.warnings[0])
    XCTAssertFalse(sink.transcript.contains("not run"))
  }

  func testQuitLeavesAtOnceWithoutUnsavedTraining() {
    let (repl, reader, _) = makeREPL([.line("print 1"), .line("quit"), .line("print 2")])
    XCTAssertEqual(repl.run(), 0)
    XCTAssertEqual(reader.prompts.count, 2)
  }

  func testStopDuringTrainingKeepsAConsistentResumablePosition() throws {
    let (repl, _, sink) = makeREPL([])
    repl.execute("c = corpus \"corpora/hello.txt\" split 1")
    repl.execute("m = rnn c hidden 8 seed 1")
    var polls = 0
    repl.stopRequested = {
      polls += 1
      return polls > 25
    }
    sink.clear()
    repl.execute("train m steps 1000 batch 1 seq 4")
    repl.stopRequested = { false }
    let step = try XCTUnwrap(repl.interpreter.session.model("m")?.step)
    XCTAssertGreaterThan(step, 0)
    XCTAssertLessThan(step, 1000)
    XCTAssertTrue(
      sink.warnings.contains { $0.contains("stopped at step \(step) after \(step) of 1000 steps") },
      "\(sink.warnings)")
    // Continuing from there equals training straight through.
    repl.execute("train m steps \(1000 - step)")
    let (straight, _, _) = makeREPL([])
    straight.execute("c = corpus \"corpora/hello.txt\" split 1")
    straight.execute("m = rnn c hidden 8 seed 1")
    straight.execute("train m steps 1000 batch 1 seq 4")
    XCTAssertEqual(
      straight.interpreter.session.fingerprint, repl.interpreter.session.fingerprint)
  }

  func testHistoryFileHoldsWhatWasTyped() throws {
    let path = temporaryPath("history")
    let (repl, reader, _) = makeREPL(
      [
        .line("print 1"), .line("print 1"), .line(" print \"private\""), .line("for t in [1] {"),
        .line("print t"), .line("}"), .line("print \"two"), .line("lines\""),
      ], historyPath: path)
    _ = repl.run()
    let expected = ["print 1", "for t in [1] { print t }", "print \"two", "lines\""]
    XCTAssertEqual(repl.history.entries, expected)
    XCTAssertEqual(reader.historyEntries, expected)
    XCTAssertEqual(
      try String(contentsOfFile: path, encoding: .utf8), expected.map { $0 + "\n" }.joined())
    // A new session recalls them.
    let (_, next, _) = makeREPL([], historyPath: path)
    XCTAssertEqual(next.historyEntries, expected)
  }

  func testEchoPrintsEachStatementBeforeItRuns() {
    let (repl, _, sink) = makeREPL([])
    let file = SourceFile(name: "s.rnn", text: "print 1; print 2\nfor t in [3] {\n  print t\n}\n")
    let outcome = StatementRunner.run(file, with: repl.interpreter) {
      BatchRunner.echoLine($0, to: sink)
    }
    XCTAssertTrue(outcome.succeeded)
    XCTAssertEqual(
      sink.transcript,
      "rnn> print 1\n1\nrnn> print 2\n2\nrnn> for t in [3] {\n...>   print t\n...> }\n3\n")
  }
}
