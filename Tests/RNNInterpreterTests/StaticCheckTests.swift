import RNNInterpreter
import RNNLanguage
import XCTest

/// `rnn --check`: every parse error, plus unknown commands and options and literal values out of
/// range, all reported at once without running anything.
final class StaticCheckTests: XCTestCase {
  func testReportsEveryErrorWithPositions() {
    let text = """
      c = corpus "corpora/tiny.txt" split 2
      m = lstm c hiden 8
      trian m
      for t in [0.5, 1] { sample m temperature t top_k 0 }
      sample m 10 prime "a
      """
    let file = SourceFile(name: "bad.rnn", text: text)
    let rendered = DiagnosticRenderer(file: file).render(Interpreter.check(file))
    XCTAssertEqual(
      rendered.split(separator: "\n").filter { $0.hasPrefix("bad.rnn:") },
      [
        "bad.rnn:1:37: error: option 'split' of 'corpus' must be a number in (0, 1], got 2",
        "bad.rnn:2:12: error: unknown option 'hiden' for 'lstm' (did you mean 'hidden'?)",
        "bad.rnn:3:1: error: unknown command 'trian' (did you mean 'train'?)",
        "bad.rnn:4:50: error: option 'top_k' of 'sample' must be a whole number between 1 and 1114112, got 0",
        "bad.rnn:5:19: error: unterminated string literal",
      ])
  }

  func testCleanScriptsHaveNoDiagnostics() {
    let text = """
      c = corpus "x.txt"
      m = gru c hidden 8
      for t in [0.5, 1] { sample m temperature t }
      repeat 2 { train m steps 1; eval m }
      """
    XCTAssertEqual(Interpreter.check(SourceFile(name: "ok.rnn", text: text)), [])
  }

  func testUnknownNamesAreFoundBeforeAnythingRuns() {
    let text = """
      sample zz
      show q
      c = corpus "x.txt"
      train m steps 1
      m = lstm c hidden 8
      m2 = load "checkpoints/m.safetensors"
      sample m2 10
      eval c
      lstm mm
      """
    let file = SourceFile(name: "names.rnn", text: text)
    let rendered = DiagnosticRenderer(file: file).render(Interpreter.check(file))
    XCTAssertEqual(
      rendered.split(separator: "\n").filter { $0.hasPrefix("names.rnn:") },
      [
        "names.rnn:1:8: error: unknown model 'zz'",
        "names.rnn:2:6: error: unknown name 'q'",
        "names.rnn:4:7: error: unknown model 'm'",
        "names.rnn:8:6: error: 'c' is a corpus, not a model",
        "names.rnn:9:6: error: unknown corpus 'mm'",
      ])
  }

  func testNamesBoundInLoopsAndEarlierSourcesCount() {
    let loop = """
      c = corpus "x.txt"
      for h in [8, 16] { show m; m = gru c hidden h }
      repeat 2 { n = lstm c }
      sample n 5
      """
    XCTAssertEqual(Interpreter.check(SourceFile(name: "loop.rnn", text: loop)), [])
    var names = StaticNames()
    _ = Interpreter.check(SourceFile(name: "a.rnn", text: "c = corpus \"x.txt\""), names: &names)
    XCTAssertEqual(Interpreter.check(SourceFile(name: "b.rnn", text: "m = rnn c"), names: names), [])
  }

  func testAScriptWithAnErrorOnItsLastLineRunsNothing() {
    let (interpreter, sink, _) = makeInterpreter()
    let file = SourceFile(
      name: "late.rnn", text: "print \"first\"\nc = corpus \"corpora/tiny.txt\"\nsample nothing\n")
    let outcome = interpreter.run(file)
    XCTAssertTrue(outcome.rejected)
    XCTAssertEqual(outcome.errorCount, 1)
    XCTAssertEqual(sink.events.count, 1, "\(sink.events)")
    XCTAssertTrue(firstError(sink).contains("late.rnn:3:8: error: unknown model 'nothing'"), firstError(sink))
    XCTAssertTrue(interpreter.session.names.isEmpty)
  }
}
