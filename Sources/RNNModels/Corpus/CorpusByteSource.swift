#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes of a corpus, read from the first to the last a chunk at a time, as many times as asked
/// (loading reads twice: once to learn the vocabulary and length, once to write the tokens).
protocol CorpusByteSource {
  /// Calls `body` with consecutive non-empty chunks of at most `chunkSize` bytes, from the start.
  func forEachChunk(
    size chunkSize: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Void
  ) throws(CorpusError)
}

/// Bytes already in memory: chunks are views into them (nothing is copied).
struct MemoryByteSource: CorpusByteSource {
  let bytes: UnsafeBufferPointer<UInt8>

  func forEachChunk(
    size chunkSize: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Void
  ) throws(CorpusError) {
    var start = 0
    while start < bytes.count {
      let end = min(bytes.count, start + chunkSize)
      try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
      start = end
    }
  }
}

/// An open file read with `pread` through one buffer of `chunkSize` bytes per pass, so memory
/// does not grow with the file.
struct FileByteSource: CorpusByteSource {
  let descriptor: Int32
  /// The path as the user gave it, for messages.
  let path: String

  func forEachChunk(
    size chunkSize: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Void
  ) throws(CorpusError) {
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
    defer { buffer.deallocate() }
    var position = 0
    while true {
      let n = pread(descriptor, buffer, chunkSize, off_t(position))
      if n < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if n == 0 { return }
      try body(UnsafeBufferPointer(start: buffer, count: n))
      position += n
    }
  }
}
