import Foundation
import XCTest

/// Ctrl-C and SIGTERM during a script run (`rnn FILE.rnn`): the same handler as the REPL's. The
/// first signal stops `train` at a step boundary and ends the run with status 130; a second one
/// while that stop is pending exits at once (130 for SIGINT, 143 for SIGTERM).
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
      m = lstm c hidden 384 embed 16
      train m steps 1000 batch 32 seq 200 every 1
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

  func testSecondSIGTERMWhileAStopIsPendingExitsWith143() throws {
    let (process, _, stderr) = try startTraining()
    kill(process.processIdentifier, SIGTERM)
    usleep(20_000)
    kill(process.processIdentifier, SIGTERM)
    _ = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    // One signal ends the run with 130 (as the test above shows); 143 is the second one's _exit.
    XCTAssertEqual(process.terminationReason, .exit, "killed by the signal instead of _exit(143)")
    XCTAssertEqual(process.terminationStatus, 143)
  }
}
