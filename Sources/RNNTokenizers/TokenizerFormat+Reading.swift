/// Reading the serialised form back, checking every field (see `TokenizerFormat`).
extension TokenizerFormat {
  static func read(_ text: String) throws(TokenizerFormatError) -> AnyTokenizer {
    let size = text.utf8.count
    guard size <= Limits.bytes else { throw .tooLarge(characters: size, limit: Limits.bytes) }
    var fields = FieldReader(text.split(separator: "\n", omittingEmptySubsequences: false))
    let head = fields.lines[0].split(separator: " ", omittingEmptySubsequences: false)
    guard head.count == 3, head[0] == magic else { throw .notATokenizer }
    guard head[1] == "\(version)" else { throw .unsupportedVersion(String(head[1].prefix(20))) }
    guard let kind = TokenizerKind(rawValue: String(head[2])) else { throw .unknownKind(String(head[2].prefix(20))) }
    let tokenizer: AnyTokenizer
    switch kind {
    case .char:
      tokenizer = .char(try readCharacters(&fields))
    case .word:
      let characters = try readCharacters(&fields)
      let minCount = try readMinCount(&fields)
      let words = try readWords(&fields, characters)
      var word = WordTokenizer(characters: characters, words: words, minCount: minCount)
      if fields.position < fields.lines.count, fields.lines[fields.position].hasPrefix("appended ") {
        word = try readAppended(&fields, word)
      }
      tokenizer = .word(word)
    case .bpe:
      let (line, values) = try fields.next("pretokenizer")
      guard values.count == 1, values[0] == byteLevelPreTokenizer else {
        throw .badValue(
          line: line, field: "pretokenizer", value: values.joined(separator: " "),
          reason: "is not a pre-tokenization this build knows (\(byteLevelPreTokenizer))")
      }
      tokenizer = .bpe(BPETokenizer(merges: try readMerges(&fields)))
    }
    guard fields.position == fields.lines.count else { throw .extraLines(line: fields.position + 1) }
    return tokenizer
  }

  private static func readCharacters(_ fields: inout FieldReader) throws(TokenizerFormatError) -> CharTokenizer {
    let (line, values) = try fields.next("scalars")
    guard !values.isEmpty else {
      throw .badValue(line: line, field: "scalars", value: "", reason: "is empty: a tokenizer needs a character")
    }
    guard values.count <= 0x11_0000 else { throw .tooMany(field: "scalars", count: values.count, limit: 0x11_0000) }
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(values.count)
    for v in values {
      guard v.count <= 6, v.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), let code = UInt32(v, radix: 16),
        let scalar = Unicode.Scalar(code)
      else { throw .badValue(line: line, field: "scalars", value: String(v), reason: "is not a Unicode scalar in lowercase hex") }
      if let last = scalars.last, last.value >= code {
        throw .badValue(line: line, field: "scalars", value: String(v), reason: "is not above the scalar before it")
      }
      scalars.append(scalar)
    }
    return CharTokenizer(scalars: scalars)
  }

  private static func readMinCount(_ fields: inout FieldReader) throws(TokenizerFormatError) -> Int {
    let (line, values) = try fields.next("min_count")
    guard values.count == 1, let n = decimal(values[0]), n >= 1, n <= Int(Int32.max) else {
      throw .badValue(line: line, field: "min_count", value: values.joined(separator: " "), reason: "is not a count from 1 to 2^31 - 1")
    }
    return n
  }

  private static func readWords(_ fields: inout FieldReader, _ characters: CharTokenizer) throws(TokenizerFormatError) -> [String] {
    let (line, values) = try fields.next("words")
    guard values.count <= Limits.entries else { throw .tooMany(field: "words", count: values.count, limit: Limits.entries) }
    var words: [String] = []
    var seen = Set<String>()
    for v in values {
      func bad(_ reason: String) -> TokenizerFormatError { .badValue(line: line, field: "words", value: String(v), reason: reason) }
      guard v.count % 2 == 0, v.count >= 4, v.count <= 2 * WordTokenizer.maxWordBytes, let bytes = hexBytes(v) else {
        throw bad("is not 2 to \(WordTokenizer.maxWordBytes) bytes in lowercase hex")
      }
      let word = String(decoding: bytes, as: UTF8.self)
      guard Array(word.utf8) == bytes else { throw bad("is not UTF-8") }
      guard word.unicodeScalars.allSatisfy({ characters.id(of: $0) != nil }) else { throw bad("has a character outside 'scalars'") }
      var pieces = 0
      var copy = bytes
      copy.withUnsafeMutableBufferPointer { PreTokenizer.wordPieces(UnsafeBufferPointer($0)) { _ in pieces += 1 } }
      guard pieces == 1, word.unicodeScalars.count >= 2 else { throw bad("is not one word of two characters or more") }
      guard seen.insert(word).inserted else { throw bad("appears twice") }
      words.append(word)
    }
    return words
  }

  /// The `appended` line: each entry a character or a word the tokenizer has no token for yet,
  /// a word's characters known by then.
  private static func readAppended(_ fields: inout FieldReader, _ base: WordTokenizer) throws(TokenizerFormatError) -> WordTokenizer {
    let (line, values) = try fields.next("appended")
    guard values.count <= Limits.entries else { throw .tooMany(field: "appended", count: values.count, limit: Limits.entries) }
    var pieces: [String] = []
    var characters = Set(base.characters.scalars.map(\.value))
    var words = Set(base.words)
    for v in values {
      func bad(_ reason: String) -> TokenizerFormatError { .badValue(line: line, field: "appended", value: String(v), reason: reason) }
      guard v.count % 2 == 0, v.count >= 2, v.count <= 2 * WordTokenizer.maxWordBytes, let bytes = hexBytes(v) else {
        throw bad("is not 1 to \(WordTokenizer.maxWordBytes) bytes in lowercase hex")
      }
      let piece = String(decoding: bytes, as: UTF8.self)
      guard Array(piece.utf8) == bytes else { throw bad("is not UTF-8") }
      let scalars = piece.unicodeScalars
      if scalars.count == 1 {
        guard characters.insert(scalars.first!.value).inserted else { throw bad("is a character that already has a token") }
      } else {
        guard scalars.allSatisfy({ characters.contains($0.value) }) else { throw bad("has a character not defined before it") }
        var count = 0
        var copy = bytes
        copy.withUnsafeMutableBufferPointer { PreTokenizer.wordPieces(UnsafeBufferPointer($0)) { _ in count += 1 } }
        guard count == 1 else { throw bad("is not one word") }
        guard words.insert(piece).inserted else { throw bad("is a word that already has a token") }
      }
      pieces.append(piece)
    }
    return WordTokenizer(characters: base.characters, words: base.words, minCount: base.minCount, appended: pieces)
  }

  private static func readMerges(_ fields: inout FieldReader) throws(TokenizerFormatError) -> [BPETokenizer.Merge] {
    let (line, values) = try fields.next("merges")
    guard values.count <= Limits.entries else { throw .tooMany(field: "merges", count: values.count, limit: Limits.entries) }
    var merges: [BPETokenizer.Merge] = []
    merges.reserveCapacity(values.count)
    var seen = Set<UInt64>()
    for (i, v) in values.enumerated() {
      let parts = v.split(separator: ",", omittingEmptySubsequences: false)
      guard parts.count == 2, let l = decimal(parts[0]), let r = decimal(parts[1]) else {
        throw .badValue(line: line, field: "merges", value: String(v), reason: "is not two ids 'left,right'")
      }
      guard l < 256 + i, r < 256 + i else {
        throw .badValue(line: line, field: "merges", value: String(v), reason: "uses an id not defined before merge \(i) (id \(256 + i))")
      }
      guard seen.insert(BPETokenizer.key(Int32(l), Int32(r))).inserted else {
        throw .badValue(line: line, field: "merges", value: String(v), reason: "repeats an earlier merge")
      }
      merges.append(.init(left: Int32(l), right: Int32(r)))
    }
    return merges
  }

  /// A non-negative decimal of at most 10 digits, nothing else.
  private static func decimal(_ s: Substring) -> Int? {
    guard !s.isEmpty, s.count <= 10, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(s)
  }

  private static func hexBytes(_ s: Substring) -> [UInt8]? {
    guard s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
    let digits = Array(s.utf8)
    var bytes: [UInt8] = []
    for i in stride(from: 0, to: digits.count, by: 2) {
      guard let hi = UInt8(String(UnicodeScalar(digits[i])), radix: 16), let lo = UInt8(String(UnicodeScalar(digits[i + 1])), radix: 16)
      else { return nil }
      bytes.append(hi << 4 | lo)
    }
    return bytes
  }
}

/// The lines of a serialised tokenizer, taken field by field.
struct FieldReader {
  let lines: [Substring]
  /// Index of the next line (line 1, the header, is read by the caller).
  private(set) var position = 1

  init(_ lines: [Substring]) { self.lines = lines }

  /// The values of the next line, which must be the field `name`; also its 1-based line number.
  mutating func next(_ name: String) throws(TokenizerFormatError) -> (line: Int, values: [Substring]) {
    guard position < lines.count else { throw .missingField(line: position + 1, expected: name) }
    let parts = lines[position].split(separator: " ", omittingEmptySubsequences: false)
    guard parts.first.map(String.init) == name else { throw .missingField(line: position + 1, expected: name) }
    position += 1
    let values = Array(parts.dropFirst())
    if let empty = values.firstIndex(where: \.isEmpty) {
      throw .badValue(line: position, field: name, value: "", reason: "(value \(empty + 1)) is empty: values are separated by one space")
    }
    return (position, values)
  }
}
