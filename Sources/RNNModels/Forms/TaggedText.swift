/// The tags of a text for a ``SequenceTagger``, one per character: from a ``TextProperty`` (its
/// value, an integer class; `depth` and `line_position` capped at 9) or from a tag file aligned
/// with the text.
///
/// A tag file has exactly the text's line structure: line i holds one tag character for every
/// character of the text's line i (the newline itself is tagged as background). The distinct tag
/// characters are the tags; the most frequent one is the background (tag 0), the others follow
/// in code-point order.
public struct TaggedText: Sendable, Equatable {
  /// How the tags were made.
  public enum Source: Sendable, Equatable {
    case property(TextProperty)
    case file(String)
  }

  public var source: Source
  /// The tag names; tag 0 is the background.
  public var names: [String]
  /// `[count]` the tag of each character of the text.
  public var tags: [Int32]

  /// The tags of `text` by `property` (classes 0 … 9; at least tags 0 and 1).
  public init(text: String, property: TextProperty) throws(ModelError) {
    let values = try property.values(of: text)
    tags = values.map { Int32(min(9, max(0, $0.rounded(.down)))) }
    let top = Int(tags.max() ?? 0)
    names = (0...max(1, top)).map(String.init)
    source = .property(property)
  }

  /// The tags read from `tagText` (the tag file `path`), checked against `text` line by line.
  /// Errors name the tag file's line and the first character offset where the two differ.
  public init(text: String, tagText: String, path: String) throws(ModelError) {
    let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var tagLines = tagText.split(separator: "\n", omittingEmptySubsequences: false)
    if tagLines.count == textLines.count + 1, tagLines.last == "" { tagLines.removeLast() }
    var counts: [Unicode.Scalar: Int] = [:]
    var marks: [Unicode.Scalar] = []
    for (i, line) in textLines.enumerated() {
      guard i < tagLines.count else {
        throw .invalidArgument("\(path): has \(tagLines.count) lines but the text has \(textLines.count); line \(i + 1) is missing")
      }
      let t = Array(tagLines[i].unicodeScalars), n = line.unicodeScalars.count
      guard t.count == n else {
        throw .invalidArgument(
          "\(path):\(i + 1): \(t.count) tag characters for the \(n) characters of the text's line \(i + 1) (they differ from offset \(min(t.count, n)) on)"
        )
      }
      for s in t { counts[s, default: 0] += 1 }
      marks += t
      if i + 1 < textLines.count { marks.append("\n") }
    }
    guard tagLines.count == textLines.count else {
      throw .invalidArgument("\(path):\(textLines.count + 1): the tag file has \(tagLines.count) lines but the text has \(textLines.count)")
    }
    guard let background = counts.max(by: { ($0.value, $1.key.value) < ($1.value, $0.key.value) })?.key else {
      throw .invalidArgument("\(path): no tags")
    }
    let others = counts.keys.filter { $0 != background }.sorted { $0.value < $1.value }
    guard !others.isEmpty else {
      throw .invalidArgument("\(path): every character has the same tag '\(background)'; a tagger needs at least 2")
    }
    let order = [background] + others
    var index: [Unicode.Scalar: Int32] = [:]
    for (k, s) in order.enumerated() { index[s] = Int32(k) }
    tags = marks.map { $0 == "\n" ? 0 : index[$0]! }
    names = order.map { String($0) }
    source = .file(path)
  }

  /// The tags of a standalone `text` (a chunk, or what `tag` is given): the property computed on
  /// it alone, or for a tag file `fallback` (the file's tags at that place).
  public func tags(of text: String, fallback: ArraySlice<Int32>) throws(ModelError) -> [Int32] {
    guard case .property(let property) = source else { return Array(fallback) }
    let top = Int32(names.count - 1)
    return try property.values(of: text).map { min(top, Int32(min(9, max(0, $0.rounded(.down))))) }
  }
}

/// Fixed-length chunks of a text with their tags: the examples a tagger trains and is evaluated on.
public struct TaggingChunks: Sendable, Equatable {
  /// T, the characters per chunk.
  public var length: Int
  /// Each chunk's tokens and tags, `[length]` each.
  public var inputs: [[Int32]]
  public var targets: [[Int32]]

  public var count: Int { inputs.count }

  /// The whole chunks of `tokens[range]` (the rest is left out), each tagged from its own text
  /// (``TaggedText/tags(of:fallback:)``).
  public init(
    tokens: [Int32], range: Range<Int>, tagged: TaggedText, vocabulary: Vocabulary, length: Int
  ) throws(ModelError) {
    self.length = length
    inputs = []
    targets = []
    var start = range.lowerBound
    while start + length <= range.upperBound {
      let chunk = Array(tokens[start..<(start + length)])
      inputs.append(chunk)
      targets.append(try tagged.tags(of: vocabulary.decode(chunk), fallback: tagged.tags[start..<(start + length)]))
      start += length
    }
  }

  /// The chunks `indices` side by side, time-major (`[T·B]`, row `t·B + b`).
  public func batch(_ indices: [Int]) -> (inputs: [Int32], targets: [Int32]) {
    let B = indices.count
    var x = [Int32](repeating: 0, count: length * B), y = x
    for (b, i) in indices.enumerated() {
      for t in 0..<length {
        x[t * B + b] = inputs[i][t]
        y[t * B + b] = targets[i][t]
      }
    }
    return (x, y)
  }
}
