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
}
