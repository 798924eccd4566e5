import Foundation
import XCTest

/// The built `rnn` binary: scripts, `-e`, stdin, `--check`, `--keep-going`, exit statuses, the
/// shebang line, and compiler-style errors on stderr.
final class ScriptRunnerTests: XCTestCase {
  var rnn: RNNBinary!

  override func setUpWithError() throws { rnn = try RNNBinary() }
  override func tearDown() { rnn?.cleanUp() }

  func testScriptWithAnErrorStopsThereWithNonZeroStatus() throws {
    let path = try rnn.write(
      "bad.rnn",
      """
      print "first"
      c = corpus "corpora/no-such-corpus.txt" split 1
      print "never printed"
      """)
    let result = try rnn.run([path])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stdout.hasPrefix("first\n"), result.stdout)
    XCTAssertFalse(result.stdout.contains("never printed"))
    XCTAssertTrue(result.stderr.contains("\(path):2:12: error: "), result.stderr)
  }

  func testAnErrorInALaterSourceRunsNothing() throws {
    let first = try rnn.write("first.rnn", "print \"first\"\nc = corpus \"corpora/hello.txt\" split 1\n")
    let result = try rnn.run([first, "-e", "m = rnn c hidden 8", "-e", "sample zz"])
    XCTAssertEqual(result.status, 64)
    XCTAssertEqual(result.stdout, "")
    XCTAssertTrue(result.stderr.contains("<-e 2>:1:8: error: unknown model 'zz'"), result.stderr)
    let missing = try rnn.run([first, "no-such-script.rnn"])
    XCTAssertEqual(missing.status, 1)
    XCTAssertEqual(missing.stdout, "")
    XCTAssertTrue(missing.stderr.contains("no-such-script.rnn: no such file"), missing.stderr)
  }

  func testAnErrorOnTheLastLineRunsNothing() throws {
    let path = try rnn.write(
      "late.rnn",
      """
      print "first"
      c = corpus "corpora/hello.txt" split 1
      m = rnn c hidden 8
      train m steps 2
      m = rnn c hiden 8
      sample zz
      """)
    let result = try rnn.run([path])
    XCTAssertEqual(result.status, 64)
    XCTAssertEqual(result.stdout, "")
    XCTAssertTrue(
      result.stderr.contains(
        "\(path):5:11: error: unknown option 'hiden' for 'rnn' (did you mean 'hidden'?)\nm = rnn c hiden 8\n          ^~~~~\n"
      ),
      result.stderr)
    XCTAssertTrue(result.stderr.contains("\(path):6:8: error: unknown model 'zz'"), result.stderr)
    let check = try rnn.run(["--check", path])
    XCTAssertEqual(check.status, 64)
    XCTAssertTrue(check.stdout.contains("2 errors found"), check.stdout)
  }

  func testKeepGoingReportsEveryFailureAndContinues() throws {
    let path = try rnn.write("two.rnn", "trian\nprint \"still here\"\nshow nothing\n")
    let result = try rnn.run(["--keep-going", path])
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(result.stdout, "still here\n")
    XCTAssertTrue(
      result.stderr.contains("two.rnn:1:1: error: unknown command 'trian'"), result.stderr)
    XCTAssertTrue(
      result.stderr.contains("two.rnn:3:6: error: unknown name 'nothing'"), result.stderr)
  }

  func testSyntaxErrorsRunNothing() throws {
    let path = try rnn.write("syntax.rnn", "print \"ran\"\nfor t in [1, 2 { print t }\n")
    let result = try rnn.run([path])
    XCTAssertEqual(result.status, 64)
    XCTAssertEqual(result.stdout, "")
    XCTAssertTrue(result.stderr.contains("syntax.rnn:2:"), result.stderr)
  }

  func testStatementsFromDashE() throws {
    let result = try rnn.run(["-e", "for t in [1, 2] { print \"t =\" t }", "-e", "print \"done\""])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "t = 1\nt = 2\ndone\n")
    let failing = try rnn.run(["-e", "print 1", "-e", "sample nothing"])
    XCTAssertEqual(failing.status, 64)
    XCTAssertEqual(failing.stdout, "", "the statements are checked together: none runs")
    XCTAssertTrue(
      failing.stderr.hasPrefix("<-e 2>:1:8: error: unknown model 'nothing'"), failing.stderr)
  }

  func testScriptOnStandardInput() throws {
    let result = try rnn.run([], stdin: "c = corpus \"corpora/hello.txt\" split 1\nlist\n")
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(
      result.stdout.contains("c  corpus \"corpora/hello.txt\": 5 characters, vocabulary 4"),
      result.stdout)
    let bad = try rnn.run([], stdin: "print 1\nprnt 2\n")
    XCTAssertEqual(bad.status, 64)
    XCTAssertEqual(bad.stdout, "")
    XCTAssertTrue(
      bad.stderr.contains("<stdin>:2:1: error: unknown command 'prnt' (did you mean 'print'?)"),
      bad.stderr)
  }

  func testCheckReportsEveryErrorAndRunsNothing() throws {
    let path = try rnn.write(
      "check.rnn",
      """
      print "should not run"
      c = corpus "x.txt" split 0
      m = lstm c layers 100
      sample m prime "unterminated
      """)
    let result = try rnn.run(["--check", path])
    XCTAssertEqual(result.status, 64)
    XCTAssertFalse(result.stdout.contains("should not run"))
    XCTAssertTrue(
      result.stderr.contains(
        "check.rnn:2:26: error: option 'split' of 'corpus' must be a number in (0, 1], got 0"),
      result.stderr)
    XCTAssertTrue(
      result.stderr.contains(
        "check.rnn:3:19: error: option 'layers' of 'lstm' must be a whole number between 1 and 16, got 100"
      ), result.stderr)
    XCTAssertTrue(
      result.stderr.contains("check.rnn:4:16: error: unterminated string"), result.stderr)
    XCTAssertTrue(result.stdout.contains("3 errors found"), result.stdout)
    let clean = try rnn.run([
      "--check", rnn.root.appendingPathComponent("scripts/shakespeare.rnn").path,
    ])
    XCTAssertEqual(clean.status, 0, clean.stderr)
    XCTAssertEqual(clean.stdout, "")
  }

  func testShebangScriptsRunDirectly() throws {
    let path = try rnn.write(
      "run-me.rnn", "#!/usr/bin/env rnn\nprint \"shebang works\"\n", executable: true)
    let result = try rnn.run([], executable: URL(fileURLWithPath: path))
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "shebang works\n")
  }

  /// `--check` finds a name of the wrong kind for the sequence-to-sequence, tagger and generator
  /// commands (and an option for another kind) with the words the statement would meet when run,
  /// and runs nothing; the lecture scripts of those forms check clean.
  func testCheckFindsNamesOfTheWrongKind() throws {
    let path = try rnn.write(
      "kinds.rnn",
      """
      print "should not run"
      c = corpus "corpora/hello.txt"
      m = lstm c hidden 8
      t = seq2seq "corpora/reverse.tsv" hidden 8
      translate m "abc"
      tag t "abc"
      sample m label "german"
      fit m steps 10
      eval t streams 4
      """)
    let result = try rnn.run(["--check", path])
    XCTAssertEqual(result.status, 64)
    XCTAssertFalse(result.stdout.contains("should not run"))
    for expected in [
      "kinds.rnn:5:11: error: 'm' is a model, not a seq2seq model",
      "kinds.rnn:6:5: error: 't' is a seq2seq, not a tagger",
      "kinds.rnn:7:16: error: 'label' is for a generator; 'm' is a model",
      "kinds.rnn:8:5: error: 'm' is a model; fit takes a classifier, a generator, a tagger or a seq2seq model",
      "kinds.rnn:9:16: error: 'streams' is for a language model; 't' is a seq2seq",
    ] {
      XCTAssertTrue(result.stderr.contains(expected), "missing \(expected) in\n\(result.stderr)")
    }
    XCTAssertTrue(result.stdout.contains("5 errors found"), result.stdout)
    for script in ["dates.rnn", "attention.rnn", "tagger.rnn", "words-by-language.rnn"] {
      let clean = try rnn.run(["--check", rnn.root.appendingPathComponent("scripts/\(script)").path])
      XCTAssertEqual(clean.status, 0, "\(script): \(clean.stderr)")
    }
  }

  func testVersionHelpAndSubcommands() throws {
    let version = try rnn.run(["--version"])
    XCTAssertEqual(version.status, 0)
    XCTAssertTrue(version.stdout.hasPrefix("0."), version.stdout)
    let help = try rnn.run(["--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("--check"), help.stdout)
    XCTAssertTrue(help.stdout.contains("demo"), help.stdout)
    XCTAssertEqual(try rnn.run(["demo", "--help"]).status, 0)
    XCTAssertEqual(try rnn.run(["bench", "--help"]).status, 0)
    let missing = try rnn.run(["no-such-file.rnn"])
    XCTAssertEqual(missing.status, 1)
    XCTAssertTrue(missing.stderr.contains("no-such-file.rnn: no such file"), missing.stderr)
  }

  func testBadStepsScaleIsReported() throws {
    let result = try rnn.run(["-e", "list"], environment: ["RNN_STEPS_SCALE": "fast"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("RNN_STEPS_SCALE must be a number"), result.stderr)
  }
}
