import Foundation

extension KnownCorpus {
  /// The environment variable that names a local copy of this corpus, read in place of a download:
  /// `RNN_` and the name in capitals (`RNN_TINYSHAKESPEARE=~/data/input.txt`).
  public var localCopyVariable: String { "RNN_" + name.uppercased() }

  /// The local copies the environment names, by corpus name (empty values are ignored).
  public static func localCopies(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
    var copies: [String: String] = [:]
    for known in all {
      if let path = environment[known.localCopyVariable], !path.isEmpty { copies[known.name] = path }
    }
    return copies
  }
}

extension Downloader {
  /// The user's own copy of `known` at `path`, used as it is (nothing is copied or downloaded) once
  /// its size and SHA-256 are checked against the known corpus's, so a run on it is a run on the same
  /// text. A missing, unreadable or different file is an error naming the path.
  public func localCopy(_ path: String, of known: KnownCorpus) throws(DownloadError) -> DownloadedFile {
    let label = "\(known.localCopyVariable)=\(path)"
    guard FileManager.default.isReadableFile(atPath: path) else { throw .localCopy("\(label): no readable file there") }
    let measured: (bytes: Int64, sha256: String, badUTF8: Int64?)
    do throws(DownloadError) { measured = try CachedFile.measure(path) } catch { throw .localCopy("\(label): cannot read it") }
    guard measured.bytes == known.expected.bytes, measured.sha256 == known.expected.sha256 else {
      throw .checksumMismatch(
        expected: "\(known.expected.bytes) bytes, SHA-256 \(known.expected.sha256) (\(known.name))",
        got: "\(measured.bytes) bytes, SHA-256 \(measured.sha256)", url: label)
    }
    return DownloadedFile(
      path: path, record: CachedFile(url: known.url, bytes: measured.bytes, sha256: measured.sha256), fromCache: true)
  }
}
