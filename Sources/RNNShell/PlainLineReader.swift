#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads lines from a file descriptor with `read(2)` (standard input that is not a terminal, or a
/// terminal when readline is not wanted). Shows the prompt on standard error only when asked.
/// Ctrl-C (``InterruptSignal``) while waiting drops the partial line; SIGTERM returns
/// ``LineReadResult/terminated``.
public final class PlainLineReader: LineReader {
  private let fd: Int32
  private let showsPrompt: Bool
  private var buffer: [UInt8] = []
  private var atEnd = false

  /// Creates a reader of `fd`; `showsPrompt` writes prompts to standard error.
  public init(fd: Int32 = 0, showsPrompt: Bool = false) {
    self.fd = fd
    self.showsPrompt = showsPrompt
  }

  public func readLine(prompt: String) -> LineReadResult {
    if showsPrompt { Terminal.write(prompt, to: 2) }
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        var line = Array(buffer[..<newline])
        buffer.removeFirst(newline + 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return .line(String(decoding: line, as: UTF8.self))
      }
      if atEnd {
        guard !buffer.isEmpty else { return .endOfInput }
        defer { buffer.removeAll() }
        return .line(String(decoding: buffer, as: UTF8.self))
      }
      switch InterruptSignal.waitForInput(fd) {
      case .interrupted:
        buffer.removeAll()
        return .interrupted
      case .terminated:
        buffer.removeAll()
        return .terminated
      case .ready:
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        if n > 0 {
          buffer += chunk[0..<n]
        } else if n == 0 || errno != EINTR {
          atEnd = true
        }
      }
    }
  }
}
