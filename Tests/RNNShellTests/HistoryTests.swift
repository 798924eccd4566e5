import Foundation
import RNNShell
import XCTest

/// History policy (leading space, duplicates, blanks, capacity) and persistence.
final class HistoryTests: XCTestCase {
  func testLeadingSpaceBlankAndConsecutiveDuplicatesAreNotRecorded() {
    var history = History(path: nil)
    XCTAssertTrue(history.record("train m"))
    XCTAssertFalse(history.record("train m"))
    XCTAssertFalse(history.record(" save m \"secret\""))
    XCTAssertFalse(history.record("   "))
    XCTAssertTrue(history.record("show m"))
    XCTAssertTrue(history.record("train m"))
    XCTAssertEqual(history.entries, ["train m", "show m", "train m"])
  }

  func testCapacityKeepsTheNewest() {
    var history = History(path: nil, capacity: 3)
    for i in 1...5 { history.record("print \(i)") }
    XCTAssertEqual(history.entries, ["print 3", "print 4", "print 5"])
  }

  func testPersistsAcrossSessionsAndCreatesTheDirectory() throws {
    let path = temporaryPath("dir") + "/nested/history"
    var first = History(path: path, capacity: 4)
    first.record("print 1")
    first.record("print 2")
    let second = History(path: path, capacity: 4)
    XCTAssertEqual(second.entries, ["print 1", "print 2"])
    XCTAssertEqual(
      try String(contentsOfFile: path, encoding: .utf8), "print 1\nprint 2\n")
    let smaller = History(path: path, capacity: 1)
    XCTAssertEqual(smaller.entries, ["print 2"])
  }

  func testDefaultPathFollowsEnvironment() {
    XCTAssertEqual(History.defaultPath(environment: ["RNN_HISTORY_FILE": "/tmp/h"]), "/tmp/h")
    XCTAssertNil(History.defaultPath(environment: ["RNN_HISTORY_FILE": "", "HOME": "/home/u"]))
    XCTAssertEqual(
      History.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]),
      "/s/rnn/history")
    XCTAssertEqual(
      History.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]),
      "/home/u/.local/state/rnn/history")
    XCTAssertNil(History.defaultPath(environment: [:]))
  }
}
