import Foundation
import XCTest

/// Runs the built `rnn` executable (found next to the test bundle) in a scratch directory that
/// links the package's `corpora/`, as a user would run it from the package root.
struct RNNBinary {
  /// The result of one run.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The executable.
  let url: URL
  /// The package root (holding `scripts/` and `corpora/`).
  let root: URL
  /// A fresh working directory with `corpora` linked in.
  let workingDirectory: URL

  /// Finds the binary, or throws `XCTSkip` when it was not built.
  init() throws {
    var candidates: [URL] = []
    for bundle in [Bundle.main] + Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent())
      candidates.append(bundle.bundleURL)
    }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    guard
      let found = candidates.map({ $0.appendingPathComponent("rnn") }).first(where: {
        FileManager.default.isExecutableFile(atPath: $0.path)
      })
    else { throw XCTSkip("the rnn executable was not found next to the test bundle") }
    url = found
    var dir = URL(fileURLWithPath: #filePath)
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
      dir.deleteLastPathComponent()
    }
    root = dir
    workingDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rnn-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: workingDirectory, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: workingDirectory.appendingPathComponent("corpora"),
      withDestinationURL: root.appendingPathComponent("corpora"))
  }

  /// Removes the working directory.
  func cleanUp() { try? FileManager.default.removeItem(at: workingDirectory) }

  /// Writes a file into the working directory and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
    let path = workingDirectory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if executable {
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return path
  }

  /// Runs `rnn arguments…` (or `executable` when given) with `stdin` piped in, `environment` added.
  func run(
    _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
    executable: URL? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable ?? url
    process.arguments = arguments
    process.currentDirectoryURL = workingDirectory
    var env = ProcessInfo.processInfo.environment
    env["RNN_NO_TIMINGS"] = "1"
    env["PATH"] = url.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe never blocks the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = error.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
