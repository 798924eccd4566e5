import Foundation
import XCTest

/// The page of `serve` in a real browser: scripts/browser-test.mjs starts `rnn serve`, opens the
/// page in headless Chromium, starts a training from the REPL side and checks that the chart
/// receives points, that Sample streams the seed's text, that the text view colours every
/// character and re-colours it by a unit clicked in the `cells` list, that the gate-saturation and
/// gradient-flow charts draw, and that a generator and a classifier appear with their own actions
/// working. Skips, saying why, when Chromium or Node is missing (`bash scripts/setup.sh
/// --browser` installs Chromium). RNN_SERVE_SCREENSHOTS=DIR also saves the views' screenshots there.
final class ServeBrowserTests: XCTestCase {
  func testThePageFollowsTrainingSamplesAndColoursText() throws {
    let rnn = try RNNBinary()
    defer { rnn.cleanUp() }
    guard let node = Self.which("node") else { throw XCTSkip("browser test skipped: Node.js is not installed") }
    guard Self.which("chromium") ?? Self.which("chromium-browser") ?? Self.which("google-chrome") != nil else {
      throw XCTSkip("browser test skipped: Chromium is not installed (bash scripts/setup.sh --browser installs it)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: node)
    var arguments = ["--experimental-websocket", rnn.root.appendingPathComponent("scripts/browser-test.mjs").path, rnn.url.path]
    if let dir = ProcessInfo.processInfo.environment["RNN_SERVE_SCREENSHOTS"], !dir.isEmpty {
      arguments += ["--screenshots", dir]
    }
    process.arguments = arguments
    process.currentDirectoryURL = rnn.root
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus == 77 { throw XCTSkip("browser test skipped: \(text)") }
    XCTAssertEqual(process.terminationStatus, 0, text)
    XCTAssertTrue(text.contains("PASS"), text)
  }

  private static func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }
}
