import Foundation
import XCTest

/// Ctrl-C and SIGTERM during a script run (`rnn FILE.rnn`): the same handler as the REPL's. The
/// first signal stops `train` at a step boundary and ends the run with status 130 (a Ctrl-C says
/// so); a second one while that stop is pending exits at once (130 for SIGINT, 143 for SIGTERM).
/// The model is sized for steps of about a second, so the stop is pending long enough.
final class ScriptSignalTests: XCTestCase {
  private var rnn: RNNBinary!

  override func setUpWithError() throws {
    rnn = try RNNBinary()
    try rnn.write(
      "big.txt", String(repeating: "To be, or not to be, that is the question.\n", count: 2000))
    try rnn.write(
      "long.rnn",
      """
      c = corpus "big.txt" split 1
      m = lstm c hidden 512 embed 16
      train m steps 1000 batch 32 seq 256 every 1
      print "after"

      """)
  }

  override func tearDown() { rnn?.cleanUp() }

  /// `rnn long.rnn`, returned once its first loss line is out; with the pipes of its output.
  private func startTraining() throws -> (Process, stdout: Pipe, stderr: Pipe) {
    let process = Process()
    process.executableURL = rnn.url
    process.arguments = ["long.rnn"]
    process.currentDirectoryURL = rnn.workingDirectory
    var environment = ProcessInfo.processInfo.environment
    environment["RNN_NO_TIMINGS"] = "1"
    process.environment = environment
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var seen = ""
    let deadline = Date().addingTimeInterval(60)
    while !seen.contains("m  step"), Date() < deadline, process.isRunning {
      seen += String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self)
    }
    XCTAssertTrue(seen.contains("m  step"), "no loss line: \(seen)")
    usleep(50_000)  // the next step is under way
    return (process, stdout, stderr)
  }

  func testCtrlCStopsTrainingAtAStepAndEndsTheRunWith130() throws {
    let (process, stdout, stderr) = try startTraining()
    kill(process.processIdentifier, SIGINT)
    let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationReason, .exit)
    XCTAssertEqual(process.terminationStatus, 130)
    XCTAssertTrue(err.contains("m: stopped at step"), err)
    XCTAssertTrue(err.contains("interrupted: 1 more statement not run"), err)
    XCTAssertTrue(out.contains("m: trained"), out)
    XCTAssertFalse(out.contains("after"), out)
  }

  func testSIGTERMWhileAStopIsPendingExitsWith143() throws {
    let (process, _, stderr) = try startTraining()
    kill(process.processIdentifier, SIGINT)
    // Sent once the first has been taken (two back to back can arrive as one signal).
    var err = ""
    let deadline = Date().addingTimeInterval(30)
    while !err.contains("stopping after this step"), Date() < deadline {
      err += String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self)
    }
    XCTAssertTrue(err.contains("^C stopping after this step (Ctrl-C again to quit at once)"), err)
    kill(process.processIdentifier, SIGTERM)
    err += String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertFalse(err.contains("stopped at step"), err)
    // One signal ends the run with 130 (as the test above shows); 143 is the second one's _exit.
    XCTAssertEqual(process.terminationReason, .exit, "killed by the signal instead of _exit(143)")
    XCTAssertEqual(process.terminationStatus, 143)
  }
}
