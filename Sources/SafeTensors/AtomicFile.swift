#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Crash-safe replacement of a file, and bounded whole-file reads.
///
/// Write protocol: (1) create `<dir>/.<name>.tmp-<pid>-<random>` with `O_CREAT | O_EXCL` (mode 0666
/// minus umask, or the existing target's permission bits); (2) write all bytes, retrying short
/// writes and `EINTR`; (3) `fsync` it; (4) `close`; (5) `rename` it over the target (atomic within
/// a directory on POSIX file systems); (6) `fsync` the directory so the rename itself is durable.
/// A crash at any moment leaves either the old file or the new one. If any step before the rename
/// fails, the temporary file is unlinked and the target is untouched. A symbolic link at the target
/// path is replaced by the new file (not followed).
///
/// Without explicit `calls`, a fault asked for in `RNN_INJECT_FAULT` (see ``InjectedFault``) is
/// applied to the system calls, for end-to-end tests of full disks and read-only directories.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String, calls: POSIXCalls? = nil) throws(SafeTensorsError) {
    let calls = calls ?? InjectedFault.fromEnvironment(target: path).map { $0.applied(to: .system) } ?? .system
    let (directory, base) = split(path)
    removeStaleTemporaries(directory: directory, base: base)
    let (fd, temporary) = try createTemporary(directory: directory, base: base, path: path, calls: calls)
    func fail(_ step: FileSystemFailure.Step, _ code: Int32, closeFirst: Bool) -> SafeTensorsError {
      if closeFirst { _ = calls.close(fd) }
      _ = calls.unlink(temporary)
      return .fileSystem(FileSystemFailure(step: step, path: path, code: code, related: temporary))
    }

    // Keep the permission bits of a file we replace.
    var existing = stat()
    if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
      _ = fchmod(fd, existing.st_mode & 0o7777)
    }

    var written = 0
    let writeError: Int32? = bytes.withUnsafeBytes { raw in
      while written < raw.count {
        let n = calls.write(fd, UnsafeRawBufferPointer(rebasing: raw[written...]))
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        if n == 0 { return ENOSPC }  // no progress: treat as a full device
        written += n
      }
      return nil
    }
    if let code = writeError { throw fail(.writeTemporary, code, closeFirst: true) }
    if calls.fsync(fd) != 0 { throw fail(.syncTemporary, errno, closeFirst: true) }
    if calls.close(fd) != 0 { throw fail(.closeTemporary, errno, closeFirst: false) }
    if calls.rename(temporary, path) != 0 { throw fail(.rename, errno, closeFirst: false) }

    // The new file is in place; make the directory entry durable.
    let directoryFD = calls.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
    guard directoryFD >= 0 else {
      throw .fileSystem(FileSystemFailure(step: .syncDirectory, path: path, code: errno, related: directory))
    }
    defer { _ = calls.close(directoryFD) }
    // Some file systems cannot fsync a directory (EINVAL); there is nothing more to do there.
    if calls.fsync(directoryFD) != 0, errno != EINVAL {
      throw .fileSystem(FileSystemFailure(step: .syncDirectory, path: path, code: errno, related: directory))
    }
  }

  /// Removes `.<base>.tmp-<pid>-*` files in `directory` left by writers that were killed before
  /// their rename (their pid no longer exists). Files of live writers are left alone.
  static func removeStaleTemporaries(directory: String, base: String) {
    guard let dir = opendir(directory) else { return }
    defer { closedir(dir) }
    let prefix = "." + base + ".tmp-"
    while let entry = readdir(dir) {
      // Read the name in place, up to its NUL: copying `d_name` (a 256-byte tuple) reads past the
      // end of a short last entry in readdir's buffer (a heap-buffer-overflow found by ASan).
      let name = String(
        cString: (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
          .assumingMemoryBound(to: CChar.self))
      guard name.hasPrefix(prefix) else { continue }
      let rest = name.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0, pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH {
        _ = unlink((directory == "/" ? "/" : directory + "/") + name)
      }
    }
  }

  /// Reads a regular file whole. The size comes from `fstat` before reading, so no more than the
  /// file's real size is ever allocated; a file that shrinks or grows meanwhile is an error.
  static func read(path: String) throws(SafeTensorsError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .fileSystem(FileSystemFailure(step: .openForReading, path: path, code: errno)) }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .fileSystem(FileSystemFailure(step: .statForReading, path: path, code: errno)) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw .fileSystem(FileSystemFailure(step: .notRegularFile, path: path, code: 0))
    }
    let size = Int(info.st_size)
    var failure: FileSystemFailure?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      while count < size {
        let n = systemRead(fd, buffer.baseAddress! + count, size - count)
        if n < 0, errno == EINTR { continue }
        if n < 0 { failure = FileSystemFailure(step: .read, path: path, code: errno); return }
        if n == 0 { failure = FileSystemFailure(step: .changedWhileReading, path: path, code: 0); return }
        count += n
      }
    }
    if let failure { throw .fileSystem(failure) }
    var probe: UInt8 = 0
    if systemRead(fd, &probe, 1) > 0 {
      throw .fileSystem(FileSystemFailure(step: .changedWhileReading, path: path, code: 0))
    }
    return bytes
  }

  /// `("dir", "name")` for `"dir/name"`; `(".", name)` without a slash; `("/", name)` at the root.
  static func split(_ path: String) -> (directory: String, base: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = String(path[..<slash])
    return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
  }

  private static func createTemporary(
    directory: String, base: String, path: String, calls: POSIXCalls
  ) throws(SafeTensorsError) -> (Int32, String) {
    let prefix = (directory == "/" ? "/" : directory + "/") + "." + base + ".tmp-\(getpid())-"
    var attempt = 0
    while true {
      let candidate = prefix + String(UInt64.random(in: 0...UInt64.max), radix: 16)
      let fd = calls.open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if fd >= 0 { return (fd, candidate) }
      let code = errno
      attempt += 1
      if code == EINTR || (code == EEXIST && attempt < 16) { continue }
      throw .fileSystem(FileSystemFailure(step: .createTemporary, path: path, code: code, related: directory))
    }
  }
}

/// libc `read`, named apart from ``AtomicFile/read(path:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Darwin)
    Darwin.read(fd, buffer, count)
  #else
    Glibc.read(fd, buffer, count)
  #endif
}
