#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The system calls the atomic writer makes, as replaceable closures so tests can inject failures
/// (ENOSPC mid-write, EIO on fsync, a failing rename) without a full disk. Each closure behaves like
/// the libc function: it returns -1 and sets `errno` on failure. ``system`` is libc itself.
struct POSIXCalls: Sendable {
  var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
  var write: @Sendable (_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int
  var fsync: @Sendable (_ fd: Int32) -> Int32
  var close: @Sendable (_ fd: Int32) -> Int32
  var rename: @Sendable (_ from: String, _ to: String) -> Int32
  var unlink: @Sendable (_ path: String) -> Int32

  static let system = POSIXCalls(
    open: { path, flags, mode in
      #if canImport(Darwin)
        Darwin.open(path, flags, mode)
      #else
        Glibc.open(path, flags, mode)
      #endif
    },
    write: { fd, buffer in
      #if canImport(Darwin)
        Darwin.write(fd, buffer.baseAddress, buffer.count)
      #else
        Glibc.write(fd, buffer.baseAddress, buffer.count)
      #endif
    },
    fsync: { fd in
      #if canImport(Darwin)
        Darwin.fsync(fd)
      #else
        Glibc.fsync(fd)
      #endif
    },
    close: { fd in
      #if canImport(Darwin)
        Darwin.close(fd)
      #else
        Glibc.close(fd)
      #endif
    },
    rename: { from, to in
      #if canImport(Darwin)
        Darwin.rename(from, to)
      #else
        Glibc.rename(from, to)
      #endif
    },
    unlink: { path in
      #if canImport(Darwin)
        Darwin.unlink(path)
      #else
        Glibc.unlink(path)
      #endif
    }
  )
}
