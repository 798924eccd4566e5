/// A file operation that failed, with a message that names the path and the reason.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The path as the user wrote it.
  public var path: String
  /// Why it failed ("no such file", "permission denied", …).
  public var reason: String

  /// Creates an error.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): \(reason)" }
}

/// The files the interpreter may touch, rooted at a working directory: corpora to read,
/// checkpoints to write. Paths are as the user wrote them; relative paths are relative to the root.
/// ``LocalFileSystem`` is the real disk; ``InMemoryFileSystem`` its twin for tests.
public protocol FileSystem: AnyObject {
  /// The whole contents of the file at `path`.
  func readBytes(_ path: String) throws(FileSystemError) -> [UInt8]
  /// Replaces the file at `path` with `bytes` so that a crash leaves the old file or the new one,
  /// creating missing parent directories.
  func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError)
  /// Appends `bytes` to the file at `path`, creating it (not its folder) when missing; appending
  /// nothing checks that the file can be written.
  func append(_ bytes: [UInt8], to path: String) throws(FileSystemError)
  /// The names of the entries of a directory, sorted.
  func list(_ directory: String) throws(FileSystemError) -> [String]
  /// Whether something exists at `path`.
  func exists(_ path: String) -> Bool
  /// Creates the directory at `path` and its missing parents (nothing if it exists).
  func createDirectory(_ path: String) throws(FileSystemError)
  /// The path to hand to APIs that open files themselves (e.g. checkpoints): `path` resolved
  /// against the root.
  func resolve(_ path: String) -> String
}

extension FileSystem {
  /// Reads the whole file and writes it back with `bytes` added (for file systems without an
  /// append of their own).
  public func append(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
    let old = exists(path) ? try readBytes(path) : []
    try writeAtomically(old + bytes, to: path)
  }
}

/// An in-memory file system for tests: a dictionary from normalised path to bytes.
public final class InMemoryFileSystem: FileSystem {
  /// File contents by normalised path (no leading `./`).
  public var files: [String: [UInt8]]

  /// Creates a file system holding `files` (paths relative to the root).
  public init(files: [String: [UInt8]] = [:]) {
    self.files = [:]
    for (path, bytes) in files { self.files[Self.normalise(path)] = bytes }
  }

  /// Adds or replaces a text file.
  public func add(_ path: String, text: String) { files[Self.normalise(path)] = Array(text.utf8) }

  public func readBytes(_ path: String) throws(FileSystemError) -> [UInt8] {
    let key = Self.normalise(path)
    if let bytes = files[key] { return bytes }
    if isDirectory(key) { throw FileSystemError(path: path, reason: "is a directory, not a file") }
    throw FileSystemError(path: path, reason: "no such file")
  }

  public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
    files[Self.normalise(path)] = bytes
  }

  public func list(_ directory: String) throws(FileSystemError) -> [String] {
    let key = Self.normalise(directory)
    let prefix = key.isEmpty || key == "." ? "" : key + "/"
    var names = Set<String>()
    for path in files.keys where path.hasPrefix(prefix) {
      let rest = path.dropFirst(prefix.count)
      names.insert(String(rest.split(separator: "/", maxSplits: 1).first ?? rest))
    }
    if names.isEmpty && !prefix.isEmpty {
      throw FileSystemError(path: directory, reason: "no such directory")
    }
    return names.sorted()
  }

  public func exists(_ path: String) -> Bool {
    let key = Self.normalise(path)
    return files[key] != nil || isDirectory(key)
  }

  public func resolve(_ path: String) -> String { Self.normalise(path) }

  /// Directories exist implicitly in memory; nothing to do.
  public func createDirectory(_ path: String) throws(FileSystemError) {}

  private func isDirectory(_ key: String) -> Bool {
    files.keys.contains { $0.hasPrefix(key + "/") }
  }

  /// Drops `./` prefixes and repeated slashes.
  static func normalise(_ path: String) -> String {
    var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    parts.removeAll { $0 == "." }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }
}
