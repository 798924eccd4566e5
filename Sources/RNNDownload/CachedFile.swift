import Foundation
import StrictUTF8

/// A file in the download cache and its sidecar (`NAME.json`: the URL, the size in bytes and the
/// SHA-256 in hexadecimal), which is written only after the file is whole, checked and in place.
public struct CachedFile: Sendable, Equatable, Codable {
  public var url: String
  public var bytes: Int64
  public var sha256: String

  public init(url: String, bytes: Int64, sha256: String) {
    self.url = url
    self.bytes = bytes
    self.sha256 = sha256
  }

  /// The file name in the cache for `url`: the URL's last path component (letters, digits, `.`,
  /// `_` and `-` only, at most 60 characters) after 16 hex digits of the URL's SHA-256, so that two
  /// URLs never share a file and the name still says what it is: `3f9c…-input.txt`.
  public static func name(for url: URL) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    var base = String(url.lastPathComponent.filter { allowed.contains($0) }.prefix(60))
    if base.isEmpty || base.allSatisfy({ $0 == "." }) { base = "download.txt" }
    return String(SHA256.hex(of: Array(url.absoluteString.utf8)).prefix(16)) + "-" + base
  }

  /// The sidecar at `path + ".json"`, or nil when it is missing or unreadable.
  static func read(sidecarOf path: String) -> CachedFile? {
    guard let data = FileManager.default.contents(atPath: path + ".json") else { return nil }
    return try? JSONDecoder().decode(CachedFile.self, from: data)
  }

  /// Writes the sidecar of `path` through a temporary file and a rename.
  func write(sidecarOf path: String) throws(DownloadError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      let data = try encoder.encode(self) + Data("\n".utf8)
      try data.write(to: URL(fileURLWithPath: path + ".json"), options: .atomic)
    } catch {
      throw .cache("cannot write \(path).json: \(error.localizedDescription)")
    }
  }

  /// The size and SHA-256 of the file at `path`, read in 1 MiB pieces, and the offset of its first
  /// byte that is not strict UTF-8 (nil if it is all UTF-8).
  static func measure(_ path: String) throws(DownloadError) -> (bytes: Int64, sha256: String, badUTF8: Int64?) {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw .cache("cannot read \(path)") }
    defer { try? handle.close() }
    var hash = SHA256()
    var decoder = UTF8Decoder(replacing: false)
    var bytes: Int64 = 0
    var bad: Int64?
    while true {
      let chunk: Data
      do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
        throw .cache("cannot read \(path): \(error.localizedDescription)")
      }
      if chunk.isEmpty { break }
      chunk.withUnsafeBytes { raw in
        hash.update(raw)
        if bad == nil, let offset = decoder.feed(raw.bindMemory(to: UInt8.self), { _ in }) { bad = Int64(offset) }
      }
      bytes += Int64(chunk.count)
    }
    if bad == nil, let offset = decoder.finish({ _ in }) { bad = Int64(offset) }
    return (bytes, hash.finishHex(), bad)
  }
}
