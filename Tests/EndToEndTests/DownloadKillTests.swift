import Foundation
import TestSupport
import XCTest

/// `rnn` killed or interrupted in the middle of `corpus url`, against a server on 127.0.0.1 that
/// sends half the body and then stalls: the final path in the cache never holds the half file.
/// After SIGKILL the part file stays behind (nothing can remove it) and the next download removes
/// it; after Ctrl-C nothing stays behind.
final class DownloadKillTests: XCTestCase {
  private var rnn: RNNBinary!
  private var cache = ""
  private let body = Array(String(repeating: "Now is the winter of our discontent\n", count: 2000).utf8)

  override func setUpWithError() throws {
    rnn = try RNNBinary()
    cache = rnn.workingDirectory.appendingPathComponent("cache").path
  }

  override func tearDown() { rnn?.cleanUp() }

  /// A server that stalls after half the body while `stall.isOn`, else sends it all.
  private func makeServer(_ stall: Switch) throws -> LoopbackHTTPServer {
    let body = self.body
    let server = try LoopbackHTTPServer { _ in
      stall.isOn
        ? LoopbackHTTPServer.Response(body: body, sendOnly: body.count / 2, stall: 30) : LoopbackHTTPServer.Response(body: body)
    }
    addTeardownBlock { server.stop() }
    return server
  }

  /// `rnn -e 'c = corpus url URL'`, returned once half the body is in its part file.
  private func startDownload(_ url: String) throws -> Process {
    let process = Process()
    process.executableURL = rnn.url
    process.arguments = ["-e", "c = corpus url \"\(url)\""]
    process.currentDirectoryURL = rnn.workingDirectory
    var environment = ProcessInfo.processInfo.environment
    environment["RNN_CACHE"] = cache
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, partFiles().isEmpty || partBytes() < body.count / 2 { usleep(20_000) }
    XCTAssertEqual(partBytes(), body.count / 2, "half the body arrived")
    return process
  }

  private func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).sorted() }
  private func partFiles() -> [String] { files().filter { $0.contains(".part-") } }
  private func partBytes() -> Int {
    partFiles().first.flatMap { try? FileManager.default.attributesOfItem(atPath: cache + "/" + $0)[.size] as? Int } ?? 0
  }

  func testKilledMidDownloadLeavesNoFinalFileAndTheNextRunCleansUp() throws {
    let stall = Switch(true)
    let server = try makeServer(stall)
    let process = try startDownload(server.url("/winter.txt"))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    XCTAssertEqual(partFiles().count, 1, "\(files())")
    XCTAssertEqual(files().count, 1, "only the part file: \(files())")
    stall.isOn = false
    let result = try rnn.run(["-e", "c = corpus url \"\(server.url("/winter.txt"))\""], environment: ["RNN_CACHE": cache])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.contains("72,000 bytes, SHA-256 "), result.stdout)
    XCTAssertEqual(partFiles(), [], "the dead process's part file is removed")
    XCTAssertEqual(files().count, 2, "the file and its record: \(files())")
  }

  func testCtrlCMidDownloadLeavesNothing() throws {
    let server = try makeServer(Switch(true))
    let process = try startDownload(server.url("/winter.txt"))
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    XCTAssertNotEqual(process.terminationStatus, 0)
    XCTAssertEqual(files(), [], "no final file, no part file")
  }
}

/// A flag shared with the server's handler (`@unchecked Sendable`: `value` only under `lock`).
final class Switch: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Bool

  init(_ value: Bool) { self.value = value }

  var isOn: Bool {
    get { lock.withLock { value } }
    set { lock.withLock { value = newValue } }
  }
}
