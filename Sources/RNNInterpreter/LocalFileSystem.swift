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

  /// `mkdir -p` with the system's reason on failure, naming the component that could not be
  /// made when it is not `path` itself (e.g. `ro/sub: Read-only file system (EROFS)`,
  /// `afile/sub: 'afile' is a file, not a directory`).
  public func createDirectory(_ path: String) throws(FileSystemError) {
    let full = resolve(path)
    guard let (component, code) = Self.makeDirectories(full) else { return }
    let shown = component == full ? "" : "'\(component)' "
    let reason =
      code == ENOTDIR
      ? "\(shown.isEmpty ? "it" : shown.trimmingCharacters(in: .whitespaces)) is a file, not a directory"
      : shown + String(cString: strerror(code))
    throw FileSystemError(path: path, reason: reason)
  }

  /// Creates `full` and its missing parents; the component that failed and `errno`, or `nil`.
  private static func makeDirectories(_ full: String) -> (String, Int32)? {
    var info = stat()
    if stat(full, &info) == 0 {
      return (info.st_mode & S_IFMT) == S_IFDIR ? nil : (full, ENOTDIR)
    }
    let parent = (full as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != full, let failure = makeDirectories(parent) { return failure }
    if mkdir(full, 0o777) == 0 || errno == EEXIST { return nil }
    return (full, errno)
  }

  /// `open(O_WRONLY | O_APPEND | O_CREAT)`, one `write` loop, `close`.
  public func append(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
    let fd = open(resolve(path), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw FileSystemError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw FileSystemError(path: path, reason: String(cString: strerror(errno))) }
      written += n
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
