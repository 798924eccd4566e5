/// Which answers `corpus url` takes as text, and the reading of `Content-Range`.
///
/// Accepted: no Content-Type at all, any `text/*` (text/plain, text/markdown, text/csv, text/html,
/// …) and `application/octet-stream` (what many servers say of a file they know nothing about).
/// A `charset` parameter, when given, must be `utf-8` or `us-ascii` (a subset of it). Whatever the
/// type says, the body must then be strict UTF-8 (checked before the file is kept), as the corpus
/// reader requires.
public enum ContentTypePolicy {
  /// Whether a body of this `Content-Type` header may be a corpus.
  public static func acceptsAsText(_ header: String) -> Bool {
    let parts = header.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
    guard let type = parts.first, !type.isEmpty else { return true }
    guard type.hasPrefix("text/") || type == "application/octet-stream" else { return false }
    for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
      let charset = parameter.dropFirst("charset=".count).filter { $0 != "\"" }
      guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(charset) else { return false }
    }
    return true
  }

  /// The first byte of a `Content-Range: bytes FIRST-LAST/TOTAL` header, or nil.
  static func rangeStart(_ header: String) -> Int64? {
    let value = header.trimmingSpaces
    guard value.lowercased().hasPrefix("bytes ") else { return nil }
    let spec = value.dropFirst(6).trimmingSpaces
    guard let dash = spec.firstIndex(of: "-") else { return nil }
    return Int64(spec[..<dash])
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" { s.removeLast() }
    return String(s)
  }
}
