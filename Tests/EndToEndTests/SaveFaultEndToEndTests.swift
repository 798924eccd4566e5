import Foundation
import RNNModels
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Saving from the built `rnn` when the disk fails, as a user meets it: statements piped into the
/// REPL (`rnn -i`, which reports an error and goes on). Faults are real where this machine allows
/// it — a full tmpfs and a read-only tmpfs (root and a working `mount`, else skipped) — and injected
/// with `RNN_INJECT_FAULT` otherwise, so CI always covers them. Also SIGKILL of `rnn` in the middle
/// of saves. Every case checks: the message, the previous checkpoint byte-identical, no temporary
/// file, and a session that trains on and saves to a good path afterwards.
final class SaveFaultEndToEndTests: XCTestCase {
  var rnn: RNNBinary!
  private var mounts: [String] = []

  override func setUpWithError() throws { rnn = try RNNBinary() }

  override func tearDown() {
    for mount in mounts.reversed() { _ = Self.command("/bin/umount", [mount]) }
    rnn?.cleanUp()
  }

  /// Runs a system command quietly; returns its exit status.
  private static func command(_ executable: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// A model with training state (LSTM 1×64: a ~400 kB checkpoint), saved to `target` first.
  private func session(savingFirstTo target: String, then statements: String) -> String {
    """
    c = corpus "corpora/hello.txt" split 1
    m = lstm c hidden 64 seed 1
    train m steps 2 batch 1 seq 4
    save m "\(target)"
    train m steps 1 batch 1 seq 4
    \(statements)
    train m steps 1 batch 1 seq 4
    save m "good/m.safetensors"

    """
  }

  private func path(_ relative: String) -> String {
    rnn.workingDirectory.appendingPathComponent(relative).path
  }

  private func temporaries(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []).filter { $0.hasPrefix(".") }
  }

  /// Runs the session, failing at `save m "dir/m.safetensors"`; checks everything after the first save.
  private func assertFailedSaveKeepsEverything(
    _ dir: String, environment: [String: String] = [:], expecting expected: [String],
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let target = "\(dir)/m.safetensors"
    // A first run leaves a checkpoint at the target (the model at step 2); the second run builds
    // the same model, trains it to step 3 and fails to save it there.
    let first = try rnn.run(["-i"], stdin: session(savingFirstTo: target, then: ""))
    XCTAssertEqual(first.status, 0, first.stderr, file: file, line: line)
    let firstSave = FileManager.default.contents(atPath: path(target))
    XCTAssertNotNil(firstSave, file: file, line: line)

    let result = try rnn.run(
      ["-i"], stdin: session(savingFirstTo: "first/m.safetensors", then: "save m \"\(target)\""),
      environment: environment)
    XCTAssertEqual(result.status, 0, file: file, line: line)
    XCTAssertTrue(result.stderr.contains("error: " + expected[0]), result.stderr, file: file, line: line)
    for text in expected.dropFirst() {
      XCTAssertTrue(result.stderr.contains(text), result.stderr, file: file, line: line)
    }
    XCTAssertEqual(
      result.stderr.components(separatedBy: "error:").count, 2, "exactly one error: \(result.stderr)",
      file: file, line: line)
    XCTAssertEqual(
      FileManager.default.contents(atPath: path(target)), firstSave, "the previous checkpoint changed",
      file: file, line: line)
    XCTAssertEqual(temporaries(dir), [], "temporary files left", file: file, line: line)
    // The session went on: one more step, and the good save holds step 4.
    XCTAssertTrue(result.stdout.contains("m: trained 1 step (now at step 4, epoch"), result.stdout, file: file, line: line)
    XCTAssertTrue(result.stdout.contains("saved m (step 4) to \"good/m.safetensors\""), result.stdout, file: file, line: line)
    XCTAssertEqual(try ModelCheckpoint.load(path: path("good/m.safetensors")).training?.step, 4, file: file, line: line)
    XCTAssertFalse(result.stderr.contains("never saved"), "the good save cleared the unsaved state", file: file, line: line)
  }

  // MARK: Injected (always run)

  func testInjectedFullDisk() throws {
    try assertFailedSaveKeepsEverything(
      "full", environment: ["RNN_INJECT_FAULT": "write:ENOSPC:full/"],
      expecting: [
        "cannot save '\(path("full/m.safetensors"))': writing temporary file '\(path("full"))/.m.safetensors.tmp-",
        "failed: No space left on device (ENOSPC); the existing file, if any, is unchanged\n",
      ])
  }

  func testInjectedReadOnlyDirectory() throws {
    try assertFailedSaveKeepsEverything(
      "ro", environment: ["RNN_INJECT_FAULT": "open:EROFS:ro/"],
      expecting: [
        "cannot save '\(path("ro/m.safetensors"))': cannot create a temporary file in directory '\(path("ro"))': Read-only file system (EROFS)\n"
      ])
  }

  func testInjectedDeviceError() throws {
    try assertFailedSaveKeepsEverything(
      "io", environment: ["RNN_INJECT_FAULT": "fsync:EIO:io/"],
      expecting: [
        "cannot save '\(path("io/m.safetensors"))': flushing temporary file '\(path("io"))/.m.safetensors.tmp-",
        "to disk failed: Input/output error (EIO); the existing file, if any, is unchanged\n",
      ])
  }

  func testDirectoryThatCannotBeCreated() throws {
    try rnn.write("afile", "keep")
    let result = try rnn.run(
      ["-i"], stdin: session(savingFirstTo: "first/m.safetensors", then: "save m \"afile/m.safetensors\""))
    XCTAssertTrue(
      result.stderr.contains(
        #"error: cannot save "afile/m.safetensors": cannot create directory afile: it is a file, not a directory; nothing was written"#),
      result.stderr)
    XCTAssertEqual(try String(contentsOfFile: path("afile"), encoding: .utf8), "keep")
    XCTAssertTrue(result.stdout.contains("saved m (step 4) to \"good/m.safetensors\""), result.stdout)
  }

  func testRollingCheckpointOnAFullDisk() throws {
    let result = try rnn.run(
      ["-i"],
      stdin: session(
        savingFirstTo: "first/m.safetensors", then: "train m steps 10 batch 1 seq 4 save_every 2 save_dir \"full\""),
      environment: ["RNN_INJECT_FAULT": "write:ENOSPC:full/"])
    XCTAssertTrue(result.stderr.contains("No space left on device (ENOSPC)"), result.stderr)
    XCTAssertTrue(
      result.stderr.contains(#"training stopped at step 4, the model keeps it (save it elsewhere: save m "PATH")"#),
      result.stderr)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("full")), [])
    XCTAssertTrue(result.stdout.contains("saved m (step 5) to \"good/m.safetensors\""), result.stdout)
  }

  // MARK: Real faults (root and mount(8) needed)

  /// Mounts a tmpfs of `size` at `dir` (read-only when asked), or skips the test.
  private func mountTmpfs(_ dir: String, size: String, readOnly: Bool = false) throws {
    guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
    try FileManager.default.createDirectory(atPath: path(dir), withIntermediateDirectories: true)
    let options = "size=\(size),mode=0777" + (readOnly ? ",ro" : "")
    guard Self.command("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path(dir)]) == 0 else {
      throw XCTSkip("cannot mount a tmpfs here (mount -t tmpfs failed)")
    }
    mounts.append(path(dir))
  }

  private func remountReadOnly(_ dir: String) throws {
    guard Self.command("/bin/mount", ["-o", "remount,ro", path(dir)]) == 0 else {
      throw XCTSkip("cannot remount the tmpfs read-only")
    }
  }

  /// A 600 kB file system holds one ~400 kB checkpoint but not a second copy beside it.
  func testRealFullDisk() throws {
    try mountTmpfs("full", size: "600k")
    try assertFailedSaveKeepsEverything(
      "full",
      expecting: [
        "cannot save '\(path("full/m.safetensors"))': writing temporary file '\(path("full"))/.m.safetensors.tmp-",
        "failed: No space left on device (ENOSPC); the existing file, if any, is unchanged\n",
      ])
  }

  func testRealReadOnlyDirectory() throws {
    try mountTmpfs("ro", size: "2m")
    // The first save needs a writable directory: save, then remount read-only, then fail.
    let target = "ro/m.safetensors"
    let first = try rnn.run(["-i"], stdin: session(savingFirstTo: target, then: ""))
    XCTAssertEqual(first.status, 0, first.stderr)
    let before = try XCTUnwrap(FileManager.default.contents(atPath: path(target)))
    try remountReadOnly("ro")
    let result = try rnn.run(
      ["-i"],
      stdin: session(
        savingFirstTo: "first/m.safetensors", then: "save m \"\(target)\"\nsave m \"ro/sub/m.safetensors\""))
    XCTAssertTrue(
      result.stderr.contains(
        "error: cannot save '\(path(target))': cannot create a temporary file in directory '\(path("ro"))': Read-only file system (EROFS)"),
      result.stderr)
    XCTAssertTrue(
      result.stderr.contains(
        #"error: cannot save "ro/sub/m.safetensors": cannot create directory ro/sub: Read-only file system; nothing was written"#),
      result.stderr)
    XCTAssertEqual(FileManager.default.contents(atPath: path(target)), before)
    XCTAssertEqual(temporaries("ro"), [])
    XCTAssertTrue(result.stdout.contains("saved m (step 4) to \"good/m.safetensors\""), result.stdout)
  }

  // MARK: SIGKILL

  /// `rnn` killed at random moments while it saves again and again: the target always loads (the
  /// old or the new checkpoint), and the next save removes the dead writer's temporary file.
  func testSIGKILLDuringSavesLeavesALoadableCheckpoint() throws {
    let script = """
      c = corpus "corpora/hello.txt" split 1
      m = lstm c hidden 128 layers 2 seed 1
      train m steps 1 batch 1 seq 4
      save m "k/m.safetensors"
      repeat 100000 { save m "k/m.safetensors" }

      """
    try rnn.write("saves.rnn", script)
    var generator = SystemRandomNumberGenerator()
    // Until three kills have landed inside a write (a temporary file left behind), at most 40 runs:
    // about a quarter of the kills do here.
    var torn = 0
    var trials = 0
    while torn < 3 && trials < 40 {
      trials += 1
      let process = Process()
      process.executableURL = rnn.url
      process.arguments = ["saves.rnn"]
      process.currentDirectoryURL = rnn.workingDirectory
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(20)
      while !FileManager.default.fileExists(atPath: path("k/m.safetensors")) && Date() < deadline {
        usleep(5_000)
      }
      usleep(UInt32.random(in: 50_000..<400_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if !temporaries("k").isEmpty { torn += 1 }
      XCTAssertNoThrow(try ModelCheckpoint.load(path: path("k/m.safetensors")))
    }
    print("rnn SIGKILLed during saves \(trials) times: \(torn) killed mid-write; the checkpoint loaded every time")
    XCTAssertGreaterThan(torn, 0, "no kill landed inside a write; the test proves nothing")
    let after = try rnn.run(["-e", "m = load \"k/m.safetensors\"; save m \"k/m.safetensors\""])
    XCTAssertEqual(after.status, 0, after.stderr)
    XCTAssertEqual(temporaries("k"), [], "a dead writer's temporary file survived the next save")
  }
}
