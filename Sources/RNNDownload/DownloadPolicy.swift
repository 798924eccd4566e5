import Foundation

/// The limits of one download (`corpus url`): where the cache is, how long to wait, how often to
/// try again, how far to follow redirects and how large a file may be.
public struct DownloadPolicy: Sendable, Equatable {
  /// The cache folder: `$RNN_CACHE`, else `~/.cache/rnn` (made when first needed).
  public var cacheFolder: String
  /// Seconds without any bytes arriving after which an attempt fails (connect included); at least 1.
  public var timeout: Double
  /// Attempts in all (the first and its retries) for failures that may pass: no connection, a
  /// timeout, a body cut short, HTTP 408, 429 and 5xx.
  public var attempts: Int
  /// Seconds before the first retry; doubled before each further one.
  public var backoff: Double
  /// Redirects followed per attempt (http and https only); one more is an error.
  public var maxRedirects: Int
  /// The largest file accepted, in bytes (checked against Content-Length and while receiving).
  public var maxBytes: Int64
  /// Local copies of known corpora read in place of a download, by corpus name (from
  /// `RNN_TINYSHAKESPEARE` and the like: ``KnownCorpus/localCopies(environment:)``).
  public var localCopies: [String: String]

  public init(
    cacheFolder: String = DownloadPolicy.defaultCacheFolder(), timeout: Double = 30, attempts: Int = 4,
    backoff: Double = 1, maxRedirects: Int = 10, maxBytes: Int64 = 2 << 30,
    localCopies: [String: String] = KnownCorpus.localCopies()
  ) {
    self.localCopies = localCopies
    self.cacheFolder = cacheFolder
    self.timeout = timeout
    self.attempts = attempts
    self.backoff = backoff
    self.maxRedirects = maxRedirects
    self.maxBytes = maxBytes
  }

  /// `$RNN_CACHE`, else `$HOME/.cache/rnn` (`$XDG_CACHE_HOME/rnn` when that is set), else
  /// `.rnn-cache` in the working directory.
  public static func defaultCacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let folder = environment["RNN_CACHE"], !folder.isEmpty { return folder }
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/rnn" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/rnn" }
    return ".rnn-cache"
  }
}
