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
  /// A folder with no (non-hidden) regular files under it.
  case emptyFolder(path: String)
  /// A glob pattern that names no regular file.
  case noMatch(pattern: String)
  /// A folder that contains itself through a symbolic link.
  case symlinkLoop(path: String)
  /// A tokenization that cannot be made as asked.
  case invalidTokens(String)
  /// `invalid skip` left out every file.
  case everyFileSkipped(path: String, count: Int)

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
    case .invalidTokens(let message):
      "cannot tokenize: \(message)"
    case .emptyFolder(let path):
      "\(path) holds no text files (hidden files and folders, whose names start with '.', are left out)"
    case .noMatch(let pattern):
      "no file matches \(pattern) ('*' matches within a folder name, '**' any number of folders)"
    case .symlinkLoop(let path):
      "\(path) leads back into a folder it is in (a symbolic link loop); remove the link or name the files with a glob"
    case .everyFileSkipped(let path, let count):
      "every file of \(path) (\(count)) was left out as not UTF-8; convert them first, e.g. with iconv, or use `invalid replace`"
    }
  }
}
