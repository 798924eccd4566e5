#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few terminal facts and writes the shell needs.
public enum Terminal {
  /// Whether `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Writes all of `text` to `fd` (retrying short writes and `EINTR`).
  public static func write(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buffer in
        #if canImport(Glibc)
          Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        #else
          Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        #endif
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      offset += n
    }
  }

  /// The terminal's width in columns (80 when unknown).
  public static func columns(_ fd: Int32) -> Int {
    var size = winsize()
    if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }
}

/// When to colour output: `--color auto|always|never`.
public enum ColorMode: String, Sendable, CaseIterable {
  case auto, always, never

  /// Whether to colour output written to `fd`: `always` and `never` say so; `auto` colours a
  /// terminal unless `NO_COLOR` is set (to anything non-empty) or `TERM` is `dumb`.
  public func enabled(fd: Int32, environment: [String: String]) -> Bool {
    switch self {
    case .always: return true
    case .never: return false
    case .auto:
      if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
      if environment["TERM"] == "dumb" { return false }
      return Terminal.isTerminal(fd)
    }
  }
}

/// ANSI styles; every function returns `text` unchanged when colour is off.
public struct Style: Sendable {
  /// Whether colour is on.
  public var enabled: Bool

  /// Creates a style.
  public init(enabled: Bool) { self.enabled = enabled }

  func apply(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
  /// Bold red (errors).
  public func error(_ text: String) -> String { apply("1;31", text) }
  /// Bold yellow (warnings).
  public func warning(_ text: String) -> String { apply("1;33", text) }
  /// Bold (headings, prompts).
  public func bold(_ text: String) -> String { apply("1", text) }
  /// Dim (notes, primes of samples).
  public func dim(_ text: String) -> String { apply("2", text) }
  /// Green (carets).
  public func caret(_ text: String) -> String { apply("1;32", text) }
}
