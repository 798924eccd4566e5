import Foundation
import Synchronization
import XCTest

@testable import SafeTensors

/// Atomic writes and bounded reads against the real file system, plus injected failures for the
/// cases a test cannot provoke for real (full disk, I/O errors, a failing rename).
///
/// Read-only directories: these tests usually run as root, for whom `chmod 0555` changes nothing.
/// So the real-failure tests use (a) a missing directory (ENOENT), (b) a "directory" that is really
/// a regular file (ENOTDIR), (c) a target path that is a directory (rename fails with EISDIR), and
/// (d) `/sys`, where even root cannot create files (EACCES; EROFS where sysfs is mounted read-only).
/// When not running as root, a `chmod 0555` directory is also tested. EACCES/EROFS/ENOSPC with an
/// existing target to preserve are covered by injecting the errno into each step.
final class AtomicWriteTests: XCTestCase {
  private var directory = ""

  override func setUp() {
    directory = TestFiles.temporaryDirectory()
  }

  override func tearDown() {
    _ = chmod(directory, 0o755)
    try? FileManager.default.removeItem(atPath: directory)
  }

  private func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  func testWriteReadRoundTripAndOverwrite() throws {
    let path = directory + "/model.safetensors"
    let first = try TestFiles.sampleFile()
    try first.write(path: path)
    XCTAssertEqual(try SafeTensorsFile.read(path: path), first)
    XCTAssertEqual(try SafeTensorsFile.read(path: path).checksumStatus, .verified(tensorCount: 5))

    XCTAssertEqual(chmod(path, 0o600), 0)
    let second = try SafeTensorsFile(tensors: [TensorEntry(name: "x", values: [Float(9)])], metadata: ["v": "2"])
    try second.write(path: path, checksums: false)
    XCTAssertEqual(try SafeTensorsFile.read(path: path), second)
    XCTAssertEqual(try SafeTensorsFile.read(path: path).checksumStatus, .absent)
    XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600, "permissions kept")
    XCTAssertEqual(TestFiles.listing(directory), ["model.safetensors"], "no temporary files left")
  }

  func testRelativePathInCurrentDirectory() throws {
    let previous = FileManager.default.currentDirectoryPath
    XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory))
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    try TestFiles.sampleFile().write(path: "relative.safetensors")
    XCTAssertEqual(try SafeTensorsFile.read(path: "relative.safetensors"), try TestFiles.sampleFile())
  }

  func testMissingDirectoryFailsCleanly() throws {
    let path = directory + "/missing/model.safetensors"
    let error = assertThrowsSafeTensorsError(try TestFiles.sampleFile().write(path: path))
    XCTAssertEqual(error, .fileSystem(FileSystemFailure(step: .createTemporary, path: path, code: ENOENT, related: directory + "/missing")))
    XCTAssertEqual(
      error?.description,
      "cannot save '\(path)': cannot create a temporary file in directory '\(directory)/missing': No such file or directory (ENOENT)")
    XCTAssertEqual(TestFiles.listing(directory), [])
  }

  func testDirectoryThatIsReallyAFileFailsCleanly() throws {
    let notADirectory = directory + "/file"
    XCTAssertTrue(FileManager.default.createFile(atPath: notADirectory, contents: Data("keep".utf8)))
    let error = assertThrowsSafeTensorsError(try TestFiles.sampleFile().write(path: notADirectory + "/model.safetensors"))
    guard case .fileSystem(let failure) = error else { return XCTFail("\(String(describing: error))") }
    XCTAssertEqual(failure.code, ENOTDIR)
    XCTAssertTrue(failure.description.contains("(ENOTDIR)"), failure.description)
    XCTAssertEqual(contents(notADirectory), Array("keep".utf8))
  }

  func testTargetThatIsADirectoryIsLeftIntact() throws {
    let path = directory + "/model.safetensors"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    let error = assertThrowsSafeTensorsError(try TestFiles.sampleFile().write(path: path))
    guard case .fileSystem(let failure) = error else { return XCTFail("\(String(describing: error))") }
    XCTAssertEqual(failure.step, .rename)
    XCTAssertEqual(failure.code, EISDIR)
    XCTAssertEqual(TestFiles.listing(directory), ["model.safetensors"], "temporary file removed")
    var isDirectory: ObjCBool = false
    XCTAssertTrue(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
  }

  func testReadOnlyDirectoryFailsCleanly() throws {
    // Root ignores permission bits, but cannot create files in sysfs.
    let sysPath = "/sys/rnn-playground-test.safetensors"
    let sysError = assertThrowsSafeTensorsError(try TestFiles.sampleFile().write(path: sysPath))
    guard case .fileSystem(let failure) = sysError else { return XCTFail("\(String(describing: sysError))") }
    XCTAssertEqual(failure.step, .createTemporary)
    XCTAssertTrue([EACCES, EROFS, EPERM].contains(failure.code), failure.description)
    XCTAssertTrue(failure.description.hasPrefix("cannot save '\(sysPath)'"), failure.description)

    // As an ordinary user, a chmod 0555 directory with an existing target.
    guard geteuid() != 0 else { return }
    let path = directory + "/model.safetensors"
    try TestFiles.sampleFile().write(path: path)
    let before = contents(path)
    XCTAssertEqual(chmod(directory, 0o555), 0)
    let error = assertThrowsSafeTensorsError(try SafeTensorsFile().write(path: path))
    guard case .fileSystem(let denied) = error else { return XCTFail("\(String(describing: error))") }
    XCTAssertEqual(denied.code, EACCES)
    XCTAssertEqual(contents(path), before)
  }

  /// A dead writer's temporary file is found and removed among thousands of entries (names of every
  /// length, so that readdir's buffer ends on a short one: reading a whole `d_name` there overflowed
  /// it, which the address sanitizer reports).
  func testStaleTemporaryIsRemovedFromALargeDirectory() throws {
    for i in 0..<3000 {
      let name = String(repeating: "n", count: 1 + i % 40) + "\(i)"
      XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: nil))
    }
    // A pid that cannot exist (above the kernel's pid limit): the writer is dead.
    let stale = directory + "/.model.safetensors.tmp-2147483647-1f"
    XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data("torn".utf8)))
    try TestFiles.sampleFile().write(path: directory + "/model.safetensors")
    XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    XCTAssertEqual(TestFiles.listing(directory).count, 3001)
  }

  // MARK: Injected failures

  /// Each step failing in turn leaves the old target byte-for-byte intact and no temporary file.
  func testInjectedFailuresLeaveTargetIntact() throws {
    let path = directory + "/model.safetensors"
    try TestFiles.sampleFile().write(path: path)
    let before = contents(path)
    let newBytes = try SafeTensorsFile().encode()
    // A table, one injected failure per line: keep it out of the formatter.
    // swift-format-ignore
    let cases: [(FileSystemFailure.Step, Int32, (inout POSIXCalls) -> Void)] = [
      (.createTemporary, EROFS, { c in c.open = { _, _, _ in errno = EROFS; return -1 } }),
      (.createTemporary, EACCES, { c in c.open = { _, _, _ in errno = EACCES; return -1 } }),
      (.writeTemporary, ENOSPC, { c in c.write = { _, _ in errno = ENOSPC; return -1 } }),
      (.writeTemporary, ENOSPC, { c in c.write = { _, _ in 0 } }),
      (.writeTemporary, EDQUOT, { c in c.write = { fd, b in b.count > 4 ? POSIXCalls.system.write(fd, UnsafeRawBufferPointer(rebasing: b[0..<4])) : { errno = EDQUOT; return -1 }() } }),
      (.syncTemporary, EIO, { c in c.fsync = { _ in errno = EIO; return -1 } }),
      (.closeTemporary, EIO, { c in c.close = { fd in _ = POSIXCalls.system.close(fd); errno = EIO; return -1 } }),
      (.rename, EACCES, { c in c.rename = { _, _ in errno = EACCES; return -1 } }),
    ]
    for (step, code, inject) in cases {
      var calls = POSIXCalls.system
      inject(&calls)
      let error = assertThrowsSafeTensorsError(try AtomicFile.write(newBytes, to: path, calls: calls))
      guard case .fileSystem(let failure) = error else { XCTFail("\(step): \(String(describing: error))"); continue }
      XCTAssertEqual(failure.step, step)
      XCTAssertEqual(failure.code, code, "\(step)")
      XCTAssertTrue(failure.description.contains("cannot save '\(path)'"), failure.description)
      XCTAssertTrue(failure.description.contains("(\(FileSystemFailure.errnoNames[code]!))"), failure.description)
      XCTAssertEqual(contents(path), before, "\(step) \(code): target changed")
      XCTAssertEqual(TestFiles.listing(directory), ["model.safetensors"], "\(step) \(code): temporary file left behind")
    }
    let space = FileSystemFailure(step: .writeTemporary, path: path, code: ENOSPC, related: "/t").description
    XCTAssertEqual(
      space,
      "cannot save '\(path)': writing temporary file '/t' failed: No space left on device (ENOSPC); the existing file, if any, is unchanged"
    )
  }

  func testShortWritesAndInterruptsAreRetried() throws {
    let path = directory + "/model.safetensors"
    let calls = Mutex(0)
    var posix = POSIXCalls.system
    posix.write = { fd, buffer in
      let n = calls.withLock { n in
        n += 1
        return n
      }
      if n % 3 == 0 { errno = EINTR; return -1 }
      return POSIXCalls.system.write(fd, UnsafeRawBufferPointer(rebasing: buffer.prefix(7)))
    }
    let bytes = try TestFiles.sampleFile().encode()
    try AtomicFile.write(bytes, to: path, calls: posix)
    XCTAssertEqual(contents(path), bytes)
    XCTAssertGreaterThan(calls.withLock { $0 }, bytes.count / 7)
  }

  func testDirectorySyncFailureIsReportedAfterTheRename() throws {
    let path = directory + "/model.safetensors"
    let syncs = Mutex(0)
    var posix = POSIXCalls.system
    posix.fsync = { fd in
      let n = syncs.withLock { n in
        n += 1
        return n
      }
      if n == 2 { errno = EIO; return -1 }
      return POSIXCalls.system.fsync(fd)
    }
    let bytes = try TestFiles.sampleFile().encode()
    let error = assertThrowsSafeTensorsError(try AtomicFile.write(bytes, to: path, calls: posix))
    guard case .fileSystem(let failure) = error else { return XCTFail("\(String(describing: error))") }
    XCTAssertEqual(failure.step, .syncDirectory)
    XCTAssertTrue(failure.description.hasPrefix("saved '\(path)', but flushing directory"), failure.description)
    XCTAssertEqual(contents(path), bytes, "the new file is in place")
  }

  // MARK: Reading

  func testReadErrors() throws {
    let missing = directory + "/none.safetensors"
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.read(path: missing))?.description,
      "cannot open '\(missing)' for reading: No such file or directory (ENOENT)")
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.read(path: directory)),
      .fileSystem(FileSystemFailure(step: .notRegularFile, path: directory, code: 0)))
    let truncated = directory + "/truncated.safetensors"
    let bytes = try TestFiles.sampleFile().encode()
    XCTAssertTrue(FileManager.default.createFile(atPath: truncated, contents: Data(bytes.dropLast(3))))
    guard case .bufferSizeMismatch = assertThrowsSafeTensorsError(try SafeTensorsFile.read(path: truncated)) else {
      return XCTFail("truncated file accepted")
    }
  }

  /// A header that declares far more than the file holds is rejected from the 8-byte prefix alone.
  func testHugeDeclaredHeaderIsRejectedWithoutReadingIt() throws {
    let path = directory + "/huge.safetensors"
    XCTAssertTrue(
      FileManager.default.createFile(
        atPath: path, contents: Data(withUnsafeBytes(of: (UInt64(1) << 63).littleEndian, Array.init) + Array("{}".utf8))))
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.read(path: path)), .headerLengthTooLarge(declared: 1 << 63, limit: 100_000_000))
  }
}
