/// Why a download failed. Each reads as one sentence for the user.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Not an absolute http or https URL (or a redirect to one).
  case unsupportedURL(String)
  /// The server answered with an error status (after the retries, for transient ones).
  case httpStatus(Int, url: String)
  /// The Content-Type is not text (see ``ContentTypePolicy``).
  case notText(contentType: String, url: String)
  /// The body is not UTF-8: the offset of the first bad byte.
  case notUTF8(offset: Int64, url: String)
  /// More than ``DownloadPolicy/maxRedirects`` redirects, or a redirect back to a URL already seen.
  case tooManyRedirects(url: String, count: Int)
  /// The file is larger than ``DownloadPolicy/maxBytes``.
  case tooLarge(bytes: Int64?, limit: Int64, url: String)
  /// The connection failed, timed out or ended early, on every attempt.
  case transfer(String, url: String, attempts: Int)
  /// The file's size or SHA-256 is not the one expected (a known corpus).
  case checksumMismatch(expected: String, got: String, url: String)
  /// The cache folder or a file in it could not be made or written.
  case cache(String)
  /// Stopped by the user (Ctrl-C); nothing was left at the final path.
  case interrupted
  /// A local copy named by the environment (``KnownCorpus/localCopyVariable``) cannot be read.
  case localCopy(String)

  public var description: String {
    switch self {
    case .unsupportedURL(let url): return "\(url.debugDescription) is not an http or https URL"
    case .httpStatus(let code, let url): return "\(url) answered HTTP \(code)\(Self.reason(code).map { " (\($0))" } ?? "")"
    case .notText(let type, let url):
      return "\(url) is \(type.isEmpty ? "of no type" : type.debugDescription), not text (text/* or application/octet-stream)"
    case .notUTF8(let offset, let url): return "\(url) is not UTF-8 text (bad byte at offset \(offset))"
    case .tooManyRedirects(let url, let count): return "\(url): more than \(count) redirects, or a redirect loop"
    case .tooLarge(let bytes, let limit, let url):
      return "\(url) is \(bytes.map { "\($0) bytes" } ?? "larger than the limit"), over the limit of \(limit) bytes"
    case .transfer(let reason, let url, let attempts):
      return "\(url): \(reason) (\(attempts) attempt\(attempts == 1 ? "" : "s"))"
    case .checksumMismatch(let expected, let got, let url):
      return "\(url) is not the file expected: \(got), expected \(expected)"
    case .cache(let reason): return "the download cache: \(reason)"
    case .interrupted: return "the download was interrupted"
    case .localCopy(let reason): return reason
    }
  }

  private static func reason(_ code: Int) -> String? {
    [
      400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found", 408: "request timeout", 410: "gone",
      429: "too many requests", 500: "server error", 502: "bad gateway", 503: "unavailable", 504: "gateway timeout",
    ][code]
  }
}
