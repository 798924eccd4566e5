import Foundation
import RNNInterpreter
import RNNModels
import XCTest

/// `save` and the rolling checkpoints of `train … save_every / autosave` when the disk fails: a
/// full device (ENOSPC part-way through the write), a read-only directory (EROFS), a failing
/// device (EIO on fsync), a failing rename, a directory that cannot be created, and one that does
/// not exist yet. Faults are injected with `RNN_INJECT_FAULT` (read by the atomic writer at every
/// write), so these run without root; `SaveFaultEndToEndTests` repeats the real ones (a full tmpfs,
/// a read-only mount) with the built binary when it may mount.
///
/// In every case: one clear error naming the path and the reason, the previous checkpoint at that
/// path byte-identical, no temporary file left, and the session usable (the model trains on, and a
/// save to a good path works).
final class SaveFaultTests: XCTestCase {
  private var root: URL!
  private var interpreter: Interpreter!
  private var sink: RecordingSink!

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-fault-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try tinyText.write(to: root.appendingPathComponent("tiny.txt"), atomically: true, encoding: .utf8)
    sink = RecordingSink()
    interpreter = Interpreter(
      sink: sink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false))
    XCTAssertTrue(interpreter.run("c = corpus \"tiny.txt\"\nm = lstm c hidden 8 embed 4 seed 3\ntrain m steps 2 batch 2 seq 8"))
  }

  override func tearDown() {
    unsetenv("RNN_INJECT_FAULT")
    try? FileManager.default.removeItem(at: root)
  }

  private func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  private func bytes(_ relative: String) -> Data? { FileManager.default.contents(atPath: path(relative)) }

  /// Every entry of `directory` (relative to the root) that starts with a dot: temporary files.
  private func temporaries(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []).filter { $0.hasPrefix(".") }
  }

  /// Runs `statement` expecting it to fail; returns the error text.
  private func failure(_ statement: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    sink.clear()
    XCTAssertFalse(interpreter.run(statement), "\(statement) should fail", file: file, line: line)
    return firstError(sink)
  }

  /// The session goes on: the model trains one more step and saves to a good path.
  private func assertSessionUsable(file: StaticString = #filePath, line: UInt = #line) throws {
    unsetenv("RNN_INJECT_FAULT")
    let before = interpreter.session.model("m")!.step
    XCTAssertTrue(interpreter.run("train m steps 1 batch 2 seq 8"), firstError(sink), file: file, line: line)
    XCTAssertEqual(interpreter.session.model("m")!.step, before + 1, file: file, line: line)
    XCTAssertTrue(interpreter.run("save m \"good/m.safetensors\""), firstError(sink), file: file, line: line)
    let saved = try ModelCheckpoint.load(path: path("good/m.safetensors"))
    XCTAssertEqual(saved.training?.step, before + 1, file: file, line: line)
    XCTAssertFalse(interpreter.session.model("m")!.hasUnsavedTraining, file: file, line: line)
  }

  func testInjectedFaultsLeaveThePreviousCheckpointIntact() throws {
    let cases: [(fault: String, expected: String)] = [
      ("write:ENOSPC", "failed: No space left on device (ENOSPC); the existing file, if any, is unchanged"),
      ("open:EROFS", "cannot create a temporary file in directory '\(path("ck"))': Read-only file system (EROFS)"),
      ("open:EACCES", "cannot create a temporary file in directory '\(path("ck"))': Permission denied (EACCES)"),
      ("fsync:EIO", "flushing temporary file"),
      ("close:EIO", "closing temporary file"),
      ("rename:EXDEV", "moving temporary file"),
    ]
    XCTAssertTrue(interpreter.run("save m \"ck/m.safetensors\""))
    let previous = try XCTUnwrap(bytes("ck/m.safetensors"))
    XCTAssertTrue(interpreter.run("train m steps 1 batch 2 seq 8"))
    for (fault, expected) in cases {
      setenv("RNN_INJECT_FAULT", fault + ":ck/", 1)
      let error = failure("save m \"ck/m.safetensors\"")
      XCTAssertTrue(error.contains("error: cannot save '\(path("ck/m.safetensors"))': "), "\(fault): \(error)")
      XCTAssertTrue(error.contains(expected), "\(fault): \(error)")
      XCTAssertEqual(bytes("ck/m.safetensors"), previous, "\(fault): the previous checkpoint changed")
      XCTAssertEqual(temporaries("ck"), [], "\(fault): temporary files left")
      XCTAssertTrue(interpreter.session.model("m")!.hasUnsavedTraining, fault)
      XCTAssertEqual(interpreter.session.model("m")!.step, 3, fault)
    }
    try assertSessionUsable()
    XCTAssertEqual(bytes("ck/m.safetensors"), previous)
  }

  func testMissingDirectoryIsCreatedAndOneThatCannotBeIsReported() throws {
    XCTAssertTrue(interpreter.run("save m \"new/deeper/m.safetensors\""), firstError(sink))
    XCTAssertNotNil(try? ModelCheckpoint.load(path: path("new/deeper/m.safetensors")))

    XCTAssertTrue(FileManager.default.createFile(atPath: path("afile"), contents: Data("keep".utf8)))
    var error = failure("save m \"afile/m.safetensors\"")
    XCTAssertTrue(
      error.contains(
        #"cannot save "afile/m.safetensors": cannot create directory afile: it is a file, not a directory; nothing was written"#),
      error)
    error = failure("save m \"afile/sub/m.safetensors\"")
    XCTAssertTrue(error.contains("cannot create directory afile/sub: '\(path("afile"))' is a file, not a directory"), error)
    XCTAssertEqual(bytes("afile"), Data("keep".utf8))
    try assertSessionUsable()
  }

  func testRollingCheckpointThatCannotBeWrittenStopsTrainingWithTheModelKept() throws {
    setenv("RNN_INJECT_FAULT", "write:ENOSPC:roll/", 1)
    let error = failure("train m steps 6 batch 2 seq 8 save_every 2 save_dir \"roll\"")
    XCTAssertTrue(error.contains("cannot save '\(path("roll/m-step0000004.safetensors"))': writing temporary file"), error)
    XCTAssertTrue(error.contains("No space left on device (ENOSPC)"), error)
    XCTAssertTrue(
      error.contains(#"training stopped at step 4, the model keeps it (save it elsewhere: save m "PATH")"#), error)
    XCTAssertEqual(interpreter.session.model("m")!.step, 4)
    XCTAssertTrue(interpreter.session.model("m")!.hasUnsavedTraining)
    XCTAssertEqual(temporaries("roll"), [])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("roll")), [])
    try assertSessionUsable()
  }

  func testAutosaveAtStopThatCannotBeWrittenIsReported() throws {
    setenv("RNN_INJECT_FAULT", "open:EROFS:auto/", 1)
    var polls = 0
    interpreter.shouldStop = {
      polls += 1
      return polls > 5
    }
    let error = failure("train m steps 1000 batch 2 seq 8 autosave 1h save_dir \"auto\" keep 5")
    interpreter.shouldStop = { false }
    let step = interpreter.session.model("m")!.step
    XCTAssertGreaterThan(step, 2)
    XCTAssertTrue(error.contains("Read-only file system (EROFS)"), error)
    XCTAssertTrue(error.contains("training stopped at step \(step)"), error)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("auto")), [])
    try assertSessionUsable()
  }

  /// A rolling checkpoint covering all the training counts as saved (no Ctrl-D warning).
  func testRollingCheckpointOfTheLastStepCountsAsSaved() throws {
    XCTAssertTrue(interpreter.session.model("m")!.hasUnsavedTraining)
    XCTAssertTrue(interpreter.run("train m steps 2 batch 2 seq 8 save_every 2 save_dir \"roll\""))
    XCTAssertFalse(interpreter.session.model("m")!.hasUnsavedTraining)
    XCTAssertTrue(interpreter.run("train m steps 1 batch 2 seq 8 save_every 2 save_dir \"roll\""))
    XCTAssertTrue(interpreter.session.model("m")!.hasUnsavedTraining)
  }
}
