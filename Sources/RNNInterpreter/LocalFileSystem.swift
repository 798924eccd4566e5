import Foundation

/// The real disk, rooted at a directory (the working directory by default). Writes go to a
/// temporary file in the same directory, are flushed, then renamed over the target.
public final class LocalFileSystem: FileSystem {
  /// The directory relative paths are resolved against.
  public let root: String

  /// Creates a file system rooted at `root` (default: the current directory).
  public init(root: String = FileManager.default.currentDirectoryPath) {
    self.root = root
  }

  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
    return (root as NSString).appendingPathComponent(path)
  }

  public func readBytes(_ path: String) throws(FileSystemError) -> [UInt8] {
    let full = resolve(path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
      throw FileSystemError(path: path, reason: "no such file")
    }
    if isDirectory.boolValue {
      throw FileSystemError(path: path, reason: "is a directory, not a file")
    }
    do {
      return [UInt8](try Data(contentsOf: URL(fileURLWithPath: full), options: .mappedIfSafe))
    } catch {
      throw FileSystemError(path: path, reason: Self.reason(error))
    }
  }

  public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
    let url = URL(fileURLWithPath: resolve(path))
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url, options: .atomic)
    } catch {
      throw FileSystemError(path: path, reason: Self.reason(error))
    }
  }

  public func list(_ directory: String) throws(FileSystemError) -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: resolve(directory)).sorted()
    } catch {
      throw FileSystemError(path: directory, reason: Self.reason(error))
    }
  }

  public func createDirectory(_ path: String) throws(FileSystemError) {
    do {
      try FileManager.default.createDirectory(
        atPath: resolve(path), withIntermediateDirectories: true)
    } catch {
      throw FileSystemError(path: path, reason: Self.reason(error))
    }
  }

  public func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: resolve(path))
  }

  /// A short reason from a Foundation error.
  private static func reason(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain,
      let code = POSIXErrorCode(rawValue: Int32(underlying.code))
    {
      return String(cString: strerror(code.rawValue))
    }
    return ns.localizedDescription
  }
}
