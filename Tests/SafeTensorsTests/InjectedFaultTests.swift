import Foundation
import XCTest

@testable import SafeTensors

/// `RNN_INJECT_FAULT`: parsing, the path filter, and that each injected failure takes the real
/// failure path of the atomic writer (old file intact, no temporary file, the reason named).
final class InjectedFaultTests: XCTestCase {
  private var directory = ""

  override func setUp() { directory = TestFiles.temporaryDirectory() }

  override func tearDown() {
    unsetenv(InjectedFault.variable)
    try? FileManager.default.removeItem(atPath: directory)
  }

  func testParsing() {
    XCTAssertEqual(InjectedFault("write:ENOSPC"), InjectedFault(call: .write, code: ENOSPC, pathFilter: ""))
    XCTAssertEqual(InjectedFault("open:30:ro/"), InjectedFault(call: .open, code: 30, pathFilter: "ro/"))
    XCTAssertEqual(InjectedFault("rename:EXDEV:a:b"), InjectedFault(call: .rename, code: EXDEV, pathFilter: "a:b"))
    for bad in ["", "write", "write:", "write:ENOPE", "read:EIO", "write:-1", "WRITE:EIO"] {
      XCTAssertNil(InjectedFault(bad), bad)
    }
  }

  func testPathFilterAndUnsetVariable() {
    XCTAssertNil(InjectedFault.fromEnvironment(target: "/x/m.safetensors"))
    setenv(InjectedFault.variable, "fsync:EIO:full/", 1)
    XCTAssertNil(InjectedFault.fromEnvironment(target: "/x/m.safetensors"))
    XCTAssertEqual(InjectedFault.fromEnvironment(target: "/x/full/m.safetensors")?.code, EIO)
    setenv(InjectedFault.variable, "nonsense", 1)
    XCTAssertNil(InjectedFault.fromEnvironment(target: "/x/full/m.safetensors"))
  }

  func testEachInjectedCallFailsCleanly() throws {
    let path = directory + "/model.safetensors"
    try TestFiles.sampleFile().write(path: path)
    let before = FileManager.default.contents(atPath: path)
    let expected: [(String, FileSystemFailure.Step, Int32)] = [
      ("open:EROFS", .createTemporary, EROFS),
      ("write:ENOSPC", .writeTemporary, ENOSPC),
      ("fsync:EIO", .syncTemporary, EIO),
      ("close:EIO", .closeTemporary, EIO),
      ("rename:EACCES", .rename, EACCES),
    ]
    for (spec, step, code) in expected {
      setenv(InjectedFault.variable, spec, 1)
      let error = assertThrowsSafeTensorsError(try TestFiles.sampleFile().write(path: path))
      guard case .fileSystem(let failure) = error else { XCTFail("\(spec): \(String(describing: error))"); continue }
      XCTAssertEqual(failure.step, step, spec)
      XCTAssertEqual(failure.code, code, spec)
      XCTAssertEqual(FileManager.default.contents(atPath: path), before, "\(spec): target changed")
      XCTAssertEqual(TestFiles.listing(directory), ["model.safetensors"], "\(spec): temporary file left")
    }
    // Another path is not affected; without the variable the write goes through.
    setenv(InjectedFault.variable, "write:ENOSPC:elsewhere/", 1)
    try SafeTensorsFile().write(path: path)
    unsetenv(InjectedFault.variable)
    try TestFiles.sampleFile().write(path: path)
    XCTAssertEqual(FileManager.default.contents(atPath: path), before)
  }

  /// The injected ENOSPC comes after a partial write, as on a device that fills up mid-write.
  func testWriteFaultWritesHalfFirst() throws {
    let fault = try XCTUnwrap(InjectedFault("write:ENOSPC"))
    let calls = fault.applied(to: .system)
    let path = directory + "/partial"
    let fd = open(path, O_WRONLY | O_CREAT, 0o600)
    XCTAssertGreaterThanOrEqual(fd, 0)
    defer { close(fd) }
    let bytes = [UInt8](repeating: 7, count: 100)
    let first = bytes.withUnsafeBytes { calls.write(fd, $0) }
    XCTAssertEqual(first, 50)
    let second = bytes.withUnsafeBytes { calls.write(fd, UnsafeRawBufferPointer(rebasing: $0[50...])) }
    XCTAssertEqual(second, -1)
    XCTAssertEqual(errno, ENOSPC)
  }
}
