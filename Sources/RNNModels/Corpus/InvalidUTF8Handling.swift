/// What loading a corpus does with bytes that are not UTF-8.
public enum InvalidUTF8Handling: String, Sendable, CaseIterable {
  /// Stop with an error naming the byte offset of the first bad sequence (the default).
  case error
  /// Decode each maximal subpart of an ill-formed sequence as one U+FFFD REPLACEMENT CHARACTER,
  /// the Unicode recommendation Swift's `String(decoding:as: UTF8.self)` follows.
  case replace
  /// Leave out every file that is not UTF-8, and count them (a folder or glob of several files;
  /// skipping the only file leaves nothing, which is an error).
  case skip
}
