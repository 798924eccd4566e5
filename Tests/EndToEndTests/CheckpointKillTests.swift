import Foundation
import RNNModels
import XCTest

/// SIGKILL during a save, at random moments, many times: the target path must always hold one
/// complete checkpoint (the previous one or the new one), never a torn file.
final class CheckpointKillTests: XCTestCase {
  func testKilledSavesAlwaysLeaveALoadableFile() throws {
    let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("checkpoint-stress")
    let exe =
      FileManager.default.fileExists(atPath: tool.path)
      ? tool : Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("checkpoint-stress")
    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
      throw XCTSkip("checkpoint-stress is not built next to the tests (\(exe.path)); run swift build --build-tests")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("m.safetensors").path
    var generator = SystemRandomNumberGenerator()
    let trials = 150
    var loaded = 0
    var weights = Set<Int>()
    for _ in 0..<trials {
      let process = Process()
      process.executableURL = exe
      process.arguments = [path]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      _ = pipe.fileHandleForReading.availableData  // "ready": the first save is complete
      usleep(UInt32.random(in: 0..<40_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let contents = try ModelCheckpoint.load(path: path)
      weights.insert(contents.parameters.count)
      XCTAssertNotNil(contents.training)
      loaded += 1
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "m.safetensors" }
    print(
      "kill test: \(trials) saves killed at random moments, \(loaded) left a loadable checkpoint; "
        + "\(leftovers.count) stale temporary file(s) remain (each save removes those of dead writers)")
    XCTAssertLessThanOrEqual(leftovers.count, 1)
    XCTAssertEqual(loaded, trials)
  }
}
