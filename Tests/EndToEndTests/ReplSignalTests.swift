import Foundation
import RNNModels
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM to the interactive REPL (driven through a pseudo-terminal, like ``ReplPTYTests``): during
/// `train` it stops at a step boundary like Ctrl-C (an `autosave` train saves that step first), then
/// the session ends; at the prompt the session ends at once. Either way the exit status is 143, the
/// history is on disk, and unsaved training is warned about without waiting for an answer.
final class ReplSignalTests: XCTestCase {
  var rnn: RNNBinary!

  override func setUpWithError() throws { rnn = try RNNBinary() }
  override func tearDown() { rnn?.cleanUp() }

  /// Starts the REPL with history in `historyFile` ("" for none), waits for the prompt, runs
  /// `statement` and waits for `reply`.
  func startREPL(history historyFile: String, running statement: String, reply: String) throws -> PTYProcess {
    let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": historyFile])
    do {
      try shell.expect("rnn> ")
      shell.type(statement + "\r")
      try shell.expect(reply)
    } catch {
      shell.terminate()
      throw error
    }
    return shell
  }

  func testSIGTERMDuringTrainingStopsAtAStepAutosavesAndLeaves() throws {
    let historyFile = rnn.workingDirectory.appendingPathComponent("history").path
    let shell = try startREPL(
      history: historyFile, running: "c = corpus \"corpora/hello.txt\" split 1; m = rnn c hidden 8 seed 1",
      reply: "m: RNN")
    defer { shell.terminate() }
    shell.type("train m steps 100000000 batch 1 seq 4 autosave 1h save_dir \"auto\"\r")
    try shell.expect("ETA")
    kill(shell.pid, SIGTERM)
    let stopped = try shell.expect(#/saved step (\d+) to "auto/m-step\d+\.safetensors"/#)
    let step = Int(stopped.output.1)!
    try shell.expect("stopped at step \(step) after")
    XCTAssertEqual(try shell.waitForExit(), 143)
    XCTAssertTrue(shell.exitedNormally, "killed by the signal instead of leaving")
    // The autosave holds all the training: no unsaved-training warning.
    XCTAssertFalse(shell.transcript.contains("never saved"), shell.transcript)
    let name = "auto/m-step\(String(repeating: "0", count: max(0, 7 - String(step).count)))\(step).safetensors"
    let saved = try ModelCheckpoint.load(path: rnn.workingDirectory.appendingPathComponent(name).path)
    XCTAssertEqual(saved.training?.step, step)
    XCTAssertEqual(
      try String(contentsOfFile: historyFile, encoding: .utf8),
      """
      c = corpus "corpora/hello.txt" split 1; m = rnn c hidden 8 seed 1
      train m steps 100000000 batch 1 seq 4 autosave 1h save_dir "auto"

      """)
  }

  func testSIGTERMAtThePromptWarnsAboutUnsavedTrainingAndLeaves() throws {
    let historyFile = rnn.workingDirectory.appendingPathComponent("history").path
    let shell = try startREPL(
      history: historyFile, running: "c = corpus \"corpora/hello.txt\" split 1; m = rnn c hidden 8 seed 1",
      reply: "m: RNN")
    defer { shell.terminate() }
    shell.type("train m steps 3 batch 1 seq 4\r")
    try shell.expect("now at step 3")
    try shell.expect("rnn> ")
    shell.type("print \"half-typed")
    try shell.expect("half-typed")
    kill(shell.pid, SIGTERM)
    try shell.expect(
      "warning: terminated (SIGTERM): model 'm' has training that was never saved; leaving anyway")
    XCTAssertEqual(try shell.waitForExit(), 143)
    XCTAssertTrue(shell.exitedNormally, "killed by the signal instead of leaving")
    XCTAssertEqual(
      try String(contentsOfFile: historyFile, encoding: .utf8),
      "c = corpus \"corpora/hello.txt\" split 1; m = rnn c hidden 8 seed 1\ntrain m steps 3 batch 1 seq 4\n")
  }

  func testSIGTERMDuringSampleStopsItAndLeaves() throws {
    let shell = try startREPL(
      history: "", running: "c = corpus \"corpora/hello.txt\" split 1; m = lstm c hidden 512 embed 16 seed 1",
      reply: "m: LSTM")
    defer { shell.terminate() }
    shell.type("sample m 1000000\r")
    usleep(500_000)
    kill(shell.pid, SIGTERM)
    try shell.expect("warning: m: sampling stopped")
    XCTAssertEqual(try shell.waitForExit(), 143)
    XCTAssertTrue(shell.exitedNormally, "killed by the signal instead of leaving")
    XCTAssertFalse(shell.transcript.contains("never saved"), shell.transcript)
  }

  /// A second signal while the stop is pending exits at once, with 143 for SIGTERM.
  func testSecondSIGTERMWhileAStopIsPendingExitsWith143() throws {
    try rnn.write(
      "big.txt", String(repeating: "To be, or not to be, that is the question.\n", count: 2000))
    let shell = try startREPL(
      history: "", running: "c = corpus \"big.txt\" split 1; m = lstm c hidden 384 embed 16", reply: "m: LSTM")
    defer { shell.terminate() }
    shell.type("train m steps 1000 batch 32 seq 200\r")
    try shell.expect("ETA", timeout: 30)
    usleep(100_000)
    kill(shell.pid, SIGTERM)
    usleep(20_000)
    kill(shell.pid, SIGTERM)
    XCTAssertEqual(try shell.waitForExit(), 143)
    XCTAssertTrue(shell.exitedNormally, "killed by the signal instead of _exit(143)")
    XCTAssertFalse(shell.transcript.contains("stopped at step"), shell.transcript)
  }
}
