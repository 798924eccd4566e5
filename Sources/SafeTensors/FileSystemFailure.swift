#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed file-system step: which step, on which path, and the `errno` reason.
///
/// ``description`` is a complete sentence for the user, e.g.
/// `cannot save '/data/m.safetensors': cannot create a temporary file in '/data': Read-only file
/// system (EROFS); the existing file is unchanged`.
public struct FileSystemFailure: Sendable, Equatable, CustomStringConvertible {
  /// The step that failed.
  public enum Step: String, Sendable, Equatable {
    case openForReading, statForReading, notRegularFile, read, changedWhileReading
    case createTemporary, writeTemporary, syncTemporary, closeTemporary, rename, syncDirectory
  }

  public var step: Step
  /// The path the caller asked to read or write.
  public var path: String
  /// The `errno` value, or 0 when the failure is not a system error.
  public var code: Int32
  /// The directory (for steps on the containing directory) or the temporary file's path.
  public var related: String?

  public init(step: Step, path: String, code: Int32, related: String? = nil) {
    self.step = step
    self.path = path
    self.code = code
    self.related = related
  }

  /// `strerror` text plus the symbolic name, e.g. "No space left on device (ENOSPC)".
  public var reason: String {
    guard code != 0 else { return "unknown error" }
    let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
    return Self.errnoNames[code].map { "\(text) (\($0))" } ?? text
  }

  public var description: String {
    // Paths are the user's own: shown whole (up to PATH_MAX), control characters escaped.
    let p = "'\(SafeTensorsError.quoted(path, limit: 4096))'"
    let other = related.map { "'\(SafeTensorsError.quoted($0, limit: 4096))'" } ?? "?"
    let unchanged = "; the existing file, if any, is unchanged"
    switch step {
    case .openForReading: return "cannot open \(p) for reading: \(reason)"
    case .statForReading: return "cannot get the size of \(p): \(reason)"
    case .notRegularFile: return "cannot read \(p): not a regular file"
    case .read: return "cannot read \(p): \(reason)"
    case .changedWhileReading: return "cannot read \(p): the file changed size while it was being read"
    case .createTemporary: return "cannot save \(p): cannot create a temporary file in directory \(other): \(reason)"
    case .writeTemporary: return "cannot save \(p): writing temporary file \(other) failed: \(reason)\(unchanged)"
    case .syncTemporary: return "cannot save \(p): flushing temporary file \(other) to disk failed: \(reason)\(unchanged)"
    case .closeTemporary: return "cannot save \(p): closing temporary file \(other) failed: \(reason)\(unchanged)"
    case .rename: return "cannot save \(p): moving temporary file \(other) into place failed: \(reason)\(unchanged)"
    case .syncDirectory:
      return "saved \(p), but flushing directory \(other) to disk failed: \(reason); the new file may not survive a crash"
    }
  }

  static let errnoNames: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EBADF: "EBADF", EACCES: "EACCES", EEXIST: "EEXIST",
    EXDEV: "EXDEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE",
    EMFILE: "EMFILE", EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS", ENAMETOOLONG: "ENAMETOOLONG",
    ELOOP: "ELOOP", EDQUOT: "EDQUOT", EBUSY: "EBUSY", ENOTEMPTY: "ENOTEMPTY",
  ]
}
