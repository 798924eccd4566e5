import StrictUTF8

/// A file of pairs, one a line: `first<TAB>second` (`label<TAB>text` for a classifier or a
/// conditional generator, `source<TAB>target` for sequence-to-sequence), each pair with its
/// 1-based line number.
///
/// Lines end in `\n` or `\r\n`. Lines of nothing but spaces and tabs, and lines starting with `#`,
/// are skipped. The first field ends at the first tab; the second is the rest of the line (further
/// tabs included). Every error names `file:line`.
public struct TabSeparatedPairs: Sendable, Equatable {
  public struct Pair: Sendable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    public var first: String
    public var second: String

    public init(line: Int, first: String, second: String) {
      self.line = line
      self.first = first
      self.second = second
    }
  }

  /// What the two fields are called in messages, and whether spaces around the first are dropped.
  public struct Layout: Sendable, Equatable {
    public var first: String
    public var second: String
    public var trimsFirst: Bool

    public init(first: String, second: String, trimsFirst: Bool) {
      self.first = first
      self.second = second
      self.trimsFirst = trimsFirst
    }

    /// `label<TAB>text`: spaces around the label are dropped.
    public static let labelText = Layout(first: "label", second: "text", trimsFirst: true)
    /// `source<TAB>target`: both fields exactly as written.
    public static let sourceTarget = Layout(first: "source", second: "target", trimsFirst: false)
  }

  /// Bounds on what is read (`Int.max`: no bound).
  public struct Limits: Sendable, Equatable {
    /// The longest line, in Unicode scalars, without its line break.
    public var lineLength: Int
    /// The most pairs.
    public var pairs: Int

    public init(lineLength: Int = .max, pairs: Int = .max) {
      self.lineLength = lineLength
      self.pairs = pairs
    }

    public static let none = Limits()
  }

  public var pairs: [Pair]

  public init(pairs: [Pair]) { self.pairs = pairs }

  /// Parses `text`; `source` names it in errors. An empty result is not an error here.
  public init(text: String, source: String, layout: Layout, limits: Limits = .none) throws(ModelError) {
    var pairs: [Pair] = []
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (i, line) in lines.enumerated() {
      let at = "\(source):\(i + 1)"
      if limits.lineLength < .max, line.unicodeScalars.count > limits.lineLength {
        throw .invalidArgument(
          "\(at): the line is \(line.unicodeScalars.count) characters long; the limit is \(limits.lineLength)")
      }
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
      guard let tab = line.firstIndex(of: "\t") else {
        throw .invalidArgument("\(at): expected '\(layout.first)<TAB>\(layout.second)', found no tab")
      }
      let rawFirst = String(line[..<tab]), second = String(line[line.index(after: tab)...])
      let first = layout.trimsFirst ? rawFirst.trimmingSpaces : rawFirst
      guard !first.isEmpty, !second.isEmpty else {
        throw .invalidArgument("\(at): empty \(first.isEmpty ? layout.first : layout.second)")
      }
      guard pairs.count < limits.pairs else {
        throw .invalidArgument("\(at): too many lines: at most \(limits.pairs) pairs are read")
      }
      pairs.append(Pair(line: i + 1, first: first, second: second))
    }
    self.pairs = pairs
  }

  /// Parses the bytes of a file: strict UTF-8 (an invalid byte is an error naming its line), a
  /// leading byte-order mark dropped.
  public init(bytes: [UInt8], source: String, layout: Layout, limits: Limits = .none) throws(ModelError) {
    try self.init(text: Self.text(of: bytes, source: source), source: source, layout: layout, limits: limits)
  }

  /// The text of a file of pairs: strict UTF-8, an invalid byte an error naming its line, a
  /// leading byte-order mark dropped.
  public static func text(of bytes: [UInt8], source: String) throws(ModelError) -> String {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    if let bad = StrictUTF8.firstInvalidOffset(body) {  // an offset into `bytes`
      let line = 1 + body[..<bad].lazy.filter { $0 == 0x0A }.count
      throw .invalidArgument(
        "\(source):\(line): not valid UTF-8 (first bad byte at offset \(bad)); convert it to UTF-8 first, e.g. with iconv")
    }
    return String(decoding: body, as: UTF8.self)
  }

  public var count: Int { pairs.count }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
