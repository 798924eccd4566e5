/// Why a corpus could not be loaded or used; every message says what to change.
public enum CorpusError: Error, Equatable, Sendable, CustomStringConvertible {
  case fileNotFound(path: String)
  case unreadable(path: String, reason: String)
  case empty(path: String)
  /// The text is nothing but byte-order marks (U+FEFF).
  case onlyByteOrderMark(path: String)
  case invalidUTF8(path: String, byteOffset: Int)
  case invalidSplit(String)
  case splitTooSmall(split: String, characters: Int, needed: Int, hint: String)

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      "no such file: \(path)"
    case .unreadable(let path, let reason):
      "cannot read \(path): \(reason)"
    case .empty(let path):
      "\(path) is empty: a corpus needs some text to learn from"
    case .onlyByteOrderMark(let path):
      "\(path) holds nothing but a byte-order mark (U+FEFF): a corpus needs some text to learn from"
    case .invalidUTF8(let path, let offset):
      "\(path) is not valid UTF-8 (first bad byte at offset \(offset)); convert it to UTF-8 first, e.g. with iconv"
    case .invalidSplit(let message):
      "invalid split: \(message)"
    case .splitTooSmall(let split, let characters, let needed, let hint):
      "the \(split) split has \(characters) characters but needs at least \(needed); \(hint)"
    }
  }
}
