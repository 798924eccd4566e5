import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `corpus url` loads: a whole, checked file in the cache.
public struct DownloadedFile: Sendable, Equatable {
  /// The file's path in the cache.
  public var path: String
  /// Its record: URL, size, SHA-256.
  public var record: CachedFile
  /// True when no request was made (the cached copy matched its record).
  public var fromCache: Bool
}

/// The size and SHA-256 a known file must have.
public struct ExpectedFile: Sendable, Equatable {
  public var bytes: Int64
  public var sha256: String

  public init(bytes: Int64, sha256: String) {
    self.bytes = bytes
    self.sha256 = sha256
  }
}

/// Downloads a URL into the cache once, and later finds it there.
///
/// Protocol: the body goes to `.NAME.part-PID` in the cache folder; a transient failure (no
/// connection, a timeout, a body cut short, HTTP 408/429/5xx) is retried up to `attempts` times in
/// all, after `backoff`, 2·`backoff`, … seconds, continuing with `Range: bytes=N-` (and `If-Range`
/// when the server gave an ETag or Last-Modified); a server that answers 200 instead is read from
/// the start again. Redirects are followed up to `maxRedirects` per attempt, to http and https URLs
/// only, and a URL seen twice is a loop. Once whole, the file is checked (size and SHA-256 against
/// `expected`, strict UTF-8), synced and renamed to `NAME`, then the sidecar `NAME.json` is written:
/// the final path never holds a partial or unchecked file. On any failure the part file is removed.
/// Part files of processes that no longer run are removed when the next download of the name starts.
public struct Downloader {
  public let policy: DownloadPolicy

  public init(policy: DownloadPolicy) { self.policy = policy }

  /// The cached file for `url`, downloading it first if the cache has no copy that matches its
  /// record (and `expected`). `note` receives progress lines for the user (retries, restarts);
  /// `shouldStop` is polled while waiting.
  public func fetch(
    _ address: String, expected: ExpectedFile? = nil, shouldStop: () -> Bool = { false }, note: (String) -> Void = { _ in }
  ) throws(DownloadError) -> DownloadedFile {
    let url = try Self.checkedURL(address)
    let path = policy.cacheFolder + "/" + CachedFile.name(for: url)
    if let cached = try cachedCopy(at: path, url: url.absoluteString, expected: expected, note: note) { return cached }
    try makeCacheFolder()
    let part = "\(policy.cacheFolder)/.\(CachedFile.name(for: url)).part-\(getpid())"
    removeStalePartFiles(of: CachedFile.name(for: url))
    guard FileManager.default.createFile(atPath: part, contents: nil), let file = FileHandle(forWritingAtPath: part) else {
      throw .cache("cannot create a file in \(policy.cacheFolder)")
    }
    do {
      defer { try? file.close() }
      try transfer(url, into: file, shouldStop: shouldStop, note: note)
      try file.synchronize()
    } catch let error as DownloadError {
      unlink(part)
      throw error
    } catch {
      unlink(part)
      throw .cache("cannot write \(part): \(error.localizedDescription)")
    }
    return try keep(part, as: path, url: url.absoluteString, expected: expected)
  }

  /// `address` as a URL if it is absolute http or https with a host.
  static func checkedURL(_ address: String, relativeTo base: URL? = nil) throws(DownloadError) -> URL {
    guard let url = URL(string: address, relativeTo: base)?.absoluteURL,
      let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty
    else { throw .unsupportedURL(address) }
    return url
  }

  /// The copy at `path` if it and its sidecar are there and agree (size, SHA-256, and `expected`).
  /// A copy that disagrees is removed, with a note, so that it is downloaded again.
  private func cachedCopy(
    at path: String, url: String, expected: ExpectedFile?, note: (String) -> Void
  ) throws(DownloadError) -> DownloadedFile? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    if let record = CachedFile.read(sidecarOf: path), record.url == url {
      let measured = try CachedFile.measure(path)
      if measured.bytes == record.bytes, measured.sha256 == record.sha256,
        expected.map({ $0.bytes == record.bytes && $0.sha256 == record.sha256 }) ?? true
      {
        return DownloadedFile(path: path, record: record, fromCache: true)
      }
    }
    note("the cached copy \(path) does not match its record; downloading it again")
    unlink(path + ".json")
    unlink(path)
    return nil
  }

  private func makeCacheFolder() throws(DownloadError) {
    do { try FileManager.default.createDirectory(atPath: policy.cacheFolder, withIntermediateDirectories: true) } catch {
      throw .cache("cannot make the folder \(policy.cacheFolder): \(error.localizedDescription)")
    }
  }

  /// Removes `.NAME.part-PID` files whose process no longer runs.
  private func removeStalePartFiles(of name: String) {
    let prefix = ".\(name).part-"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: policy.cacheFolder)) ?? []
    for entry in entries where entry.hasPrefix(prefix) {
      guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(policy.cacheFolder + "/" + entry) }
    }
  }

  /// Checks the whole part file and renames it to `path`, then writes the sidecar.
  private func keep(_ part: String, as path: String, url: String, expected: ExpectedFile?) throws(DownloadError) -> DownloadedFile {
    let measured: (bytes: Int64, sha256: String, badUTF8: Int64?)
    do { measured = try CachedFile.measure(part) } catch {
      unlink(part)
      throw error
    }
    if let expected, measured.bytes != expected.bytes || measured.sha256 != expected.sha256 {
      unlink(part)
      throw .checksumMismatch(
        expected: "\(expected.bytes) bytes, SHA-256 \(expected.sha256)", got: "\(measured.bytes) bytes, SHA-256 \(measured.sha256)",
        url: url)
    }
    if let bad = measured.badUTF8 {
      unlink(part)
      throw .notUTF8(offset: bad, url: url)
    }
    guard rename(part, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(part)
      throw .cache("cannot rename the download to \(path): \(reason)")
    }
    let record = CachedFile(url: url, bytes: measured.bytes, sha256: measured.sha256)
    try record.write(sidecarOf: path)
    return DownloadedFile(path: path, record: record, fromCache: false)
  }
}
