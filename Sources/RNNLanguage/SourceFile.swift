/// A named buffer of source bytes: a script file, a `-e` argument, or one REPL entry.
///
/// The bytes are kept exactly as given (invalid UTF-8 and NUL bytes included); the lexer decides what
/// they mean.
public struct SourceFile: Sendable, Equatable {
  /// Name shown in diagnostics (`train.rnn`, `<repl>`, `<stdin>`).
  public var name: String
  /// The raw UTF-8 bytes.
  public var bytes: [UInt8]

  /// Creates a source file from raw bytes.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }

  /// Creates a source file from a string.
  public init(name: String, text: String) {
    self.init(name: name, bytes: Array(text.utf8))
  }
}

/// A 1-based line and column. Columns count Unicode scalars (UTF-8 lead bytes), so a caret printed
/// under the source line lines up with what a terminal shows.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line number.
  public var line: Int
  /// 1-based column, in Unicode scalars.
  public var column: Int

  /// Creates a location.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// `line:column`.
  public var description: String { "\(line):\(column)" }
}

/// Converts byte offsets to lines and columns. Builds a line table once (O(n)); each lookup is a
/// binary search. Only newline (`\n`) starts a line.
public struct SourceLocationConverter: Sendable {
  /// The file the offsets refer to.
  public let file: SourceFile
  /// Byte offset of the first byte of each line.
  private let lineStarts: [Int]

  /// Builds the line table for `file`.
  public init(file: SourceFile) {
    self.file = file
    var starts = [0]
    for (i, b) in file.bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    lineStarts = starts
  }

  /// 0-based index of the line containing `offset` (offsets past the end map to the last line).
  public func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// Line and column of a byte offset.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = min(max(0, offset), file.bytes.count)
    let index = lineIndex(of: clamped)
    return SourceLocation(line: index + 1, column: columnIndex(of: clamped, onLine: index) + 1)
  }

  /// The byte range of a line (0-based index), without its `\n` or a trailing `\r`.
  public func lineRange(_ index: Int) -> Range<Int> {
    let start = lineStarts[index]
    var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : file.bytes.count
    if end > start && file.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return start..<end
  }

  /// 0-based column (in scalars) of `offset` on the given line.
  public func columnIndex(of offset: Int, onLine index: Int) -> Int {
    var column = 0
    var i = lineStarts[index]
    while i < offset && i < file.bytes.count {
      if file.bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return column
  }

  /// `start-end` of a range as `line:col-line:col` (end exclusive), as used by the AST dump.
  public func describe(_ range: SourceRange) -> String {
    "\(location(of: range.start))-\(location(of: range.end))"
  }
}
