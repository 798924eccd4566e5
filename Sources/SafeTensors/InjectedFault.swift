#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failure injected into atomic writes from the environment, so that end-to-end tests (and a
/// curious user) can see what the built binary does on a full disk, a read-only directory or a
/// failing device without root, a small file system or a broken disk.
///
/// `RNN_INJECT_FAULT=CALL:ERRNO[:SUBSTRING]` makes every atomic write whose target path contains
/// `SUBSTRING` (every atomic write when it is left out) fail at `CALL` with `ERRNO`:
/// - `open`: creating the temporary file fails (e.g. `open:EROFS`, `open:EACCES`);
/// - `write`: half of the bytes are written, then the next write fails (`write:ENOSPC`);
/// - `fsync`, `close`, `rename`: that step fails (`fsync:EIO`, `rename:EXDEV`).
///
/// `ERRNO` is a name from ``FileSystemFailure/errnoNames`` or a number. The failure goes through
/// the same code path as a real one: the temporary file is removed and the target is untouched.
/// The variable is read at every write (an unset variable costs one `getenv`); a malformed value is
/// ignored.
struct InjectedFault: Sendable, Equatable {
  /// The system call that fails.
  enum Call: String, Sendable, CaseIterable {
    case open, write, fsync, close, rename
  }

  /// The environment variable read by ``fromEnvironment(target:)``.
  static let variable = "RNN_INJECT_FAULT"

  var call: Call
  /// The `errno` the call fails with.
  var code: Int32
  /// Only targets whose path contains this are affected (empty: all).
  var pathFilter: String
}

extension InjectedFault {
  /// Parses `CALL:ERRNO[:SUBSTRING]`; `nil` when malformed.
  init?(_ spec: String) {
    let parts = spec.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count >= 2, let call = Call(rawValue: String(parts[0])) else { return nil }
    let name = String(parts[1])
    if let number = Int32(name), number > 0 {
      code = number
    } else if let match = FileSystemFailure.errnoNames.first(where: { $0.value == name }) {
      code = match.key
    } else {
      return nil
    }
    self.call = call
    pathFilter = parts.count > 2 ? String(parts[2]) : ""
  }

  /// The fault `RNN_INJECT_FAULT` asks for when writing `target`, if any.
  static func fromEnvironment(target: String) -> InjectedFault? {
    guard let raw = getenv(variable), let fault = InjectedFault(String(cString: raw)) else { return nil }
    return fault.pathFilter.isEmpty || target.contains(fault.pathFilter) ? fault : nil
  }

  /// `calls` with this fault applied.
  func applied(to calls: POSIXCalls) -> POSIXCalls {
    var faulty = calls
    let code = code
    let fail: @Sendable () -> Int32 = {
      errno = code
      return -1
    }
    switch call {
    case .open: faulty.open = { _, _, _ in fail() }
    case .fsync: faulty.fsync = { _ in fail() }
    case .rename: faulty.rename = { _, _ in fail() }
    case .close:
      // Really close (no descriptor leaks), then report the failure.
      faulty.close = { fd in
        _ = calls.close(fd)
        return fail()
      }
    case .write:
      // A write at offset 0 writes half (a partial temporary file, as on a disk that fills up
      // mid-write); any later one fails.
      faulty.write = { fd, buffer in
        if lseek(fd, 0, SEEK_CUR) == 0, buffer.count > 1 {
          return calls.write(fd, UnsafeRawBufferPointer(rebasing: buffer.prefix(buffer.count / 2)))
        }
        return Int(fail())
      }
    }
    return faulty
  }
}
