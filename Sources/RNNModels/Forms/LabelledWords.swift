extension ClassificationData {
  /// Parses `label<TAB>text` lines as ``init(tsv:source:)`` does, with every text at most
  /// `maxTextLength` characters (Unicode scalars); errors name the file and line.
  public init(tsv: String, source: String, maxTextLength: Int) throws(ModelError) {
    let pairs = try TabSeparatedPairs(text: tsv, source: source, layout: .labelText)
    guard !pairs.pairs.isEmpty else { throw .invalidArgument("\(source) has no examples") }
    for p in pairs.pairs where p.second.unicodeScalars.count > maxTextLength {
      throw .invalidArgument(
        "\(source):\(p.line): the text is \(p.second.unicodeScalars.count) characters long; the limit is \(maxTextLength) (max_length)")
    }
    self.init(examples: pairs.pairs.map { Example(label: $0.first, text: $0.second) })
  }
}
