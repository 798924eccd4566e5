import StrictUTF8

/// Renders diagnostics compiler-style:
///
/// ```
/// train.rnn:3:14: error: unknown option 'sed' for 'train' (did you mean 'seed'?)
/// train m steps 5 sed 7
///                 ^~~
/// ```
///
/// Notes with a range get their own `file:line:col: note:` line, source line and caret; notes
/// without one are printed as `note: …`. A range spanning lines is underlined to the end of its first
/// line. Control characters and invalid UTF-8 in the echoed line print as `�`; tabs are kept (also in
/// the caret line) so the caret stays aligned.
public struct DiagnosticRenderer: Sendable {
  private let converter: SourceLocationConverter

  /// Creates a renderer for diagnostics about `file`.
  public init(file: SourceFile) {
    converter = SourceLocationConverter(file: file)
  }

  /// The file diagnostics refer to.
  public var file: SourceFile { converter.file }

  /// Renders one diagnostic and its notes; every line ends with `\n`.
  public func render(_ diagnostic: Diagnostic) -> String {
    var out = renderOne(diagnostic.severity.rawValue, diagnostic.fullMessage, diagnostic.range)
    for note in diagnostic.notes {
      if let range = note.range {
        out += renderOne("note", note.message, range)
      } else {
        out += "note: \(note.message)\n"
      }
    }
    return out
  }

  /// Renders several diagnostics, one after another.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(render).joined()
  }

  private func renderOne(_ severity: String, _ message: String, _ range: SourceRange) -> String {
    let bytes = file.bytes
    let start = min(max(0, range.start), bytes.count)
    let end = min(max(start, range.end), bytes.count)
    let lineIndex = converter.lineIndex(of: start)
    let location = converter.location(of: start)
    var out = "\(file.name):\(location): \(severity): \(message)\n"
    let line = converter.lineRange(lineIndex)
    out += Self.printable(bytes[line]) + "\n"
    // Caret line: whitespace mirroring the source up to the start, then ^ and ~ to the end.
    var caret = ""
    var i = line.lowerBound
    while i < start && i < line.upperBound {
      if bytes[i] == UInt8(ascii: "\t") {
        caret += "\t"
      } else if bytes[i] & 0xC0 != 0x80 {
        caret += " "
      }
      i += 1
    }
    caret += "^"
    let underlineEnd = min(end, line.upperBound)
    var j = start + 1
    while j < underlineEnd {
      if bytes[j] & 0xC0 != 0x80 { caret += "~" }
      j += 1
    }
    return out + caret + "\n"
  }

  /// The line's text with unprintable scalars replaced so that one scalar is one column.
  static func printable(_ bytes: ArraySlice<UInt8>) -> String {
    var out = String.UnicodeScalarView()
    var i = bytes.startIndex
    while i < bytes.endIndex {
      // One replacement per byte for invalid UTF-8, matching the caret's lead-byte counting
      // (a stray continuation byte counts no column, so it prints nothing).
      guard let (scalar, length) = StrictUTF8.scalar(bytes, at: i) else {
        if bytes[i] & 0xC0 != 0x80 { out.append("\u{FFFD}") }
        i += 1
        continue
      }
      let v = scalar.value
      if v == 9 || (v >= 0x20 && v != 0x7F && !(0x80..<0xA0).contains(v)) {
        out.append(scalar)
      } else {
        out.append("\u{FFFD}")
      }
      i += length
    }
    return String(out)
  }
}
