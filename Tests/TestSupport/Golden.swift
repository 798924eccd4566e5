import Foundation
import XCTest

/// Golden files: expected output kept in the repository and compared with what a test produces.
/// Re-record them all by running the tests with `RNN_RECORD_GOLDEN=1`, then review the diff.
public enum Golden {
  /// The environment switch that re-records golden files instead of comparing with them.
  public static let recordSwitch = "RNN_RECORD_GOLDEN"

  /// Whether this run re-records (`RNN_RECORD_GOLDEN=1`).
  public static var isRecording: Bool { ProcessInfo.processInfo.environment[recordSwitch] == "1" }

  /// `Golden/<name>` in the directory of the calling test file.
  public static func url(_ name: String, testFile: String = #filePath) -> URL {
    URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
      .appendingPathComponent(name)
  }

  /// Compares `actual` with the golden file at `url`; when recording, writes `actual` there
  /// instead (creating its directory). A difference fails the calling test with the first line
  /// that differs; a missing or unreadable file fails saying how to record it.
  public static func assertMatches(
    _ actual: String, _ url: URL, file: StaticString = #filePath, line: UInt = #line
  ) {
    let name = url.lastPathComponent
    if isRecording {
      do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
      } catch {
        XCTFail("could not record \(url.path): \(error)", file: file, line: line)
      }
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return XCTFail("missing golden file \(url.path) (record it with \(recordSwitch)=1)", file: file, line: line)
    }
    if let difference = firstDifference(expected: expected, actual: actual) {
      XCTFail("\(name) differs at \(difference)\n(re-record with \(recordSwitch)=1)", file: file, line: line)
    }
  }

  /// "line N:\n  expected: …\n  actual:   …" for the first differing line, or nil when equal.
  static func firstDifference(expected: String, actual: String) -> String? {
    guard expected != actual else { return nil }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let index = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    return "line \(index + 1):\n  expected: \(index < e.count ? String(e[index]) : "<end>")\n"
      + "  actual:   \(index < a.count ? String(a[index]) : "<end>")"
  }
}
