import Foundation

/// Confines paths given through the API to the working folder: relative, no `..`, no NUL, and
/// no symbolic link on the way that leads outside it.
struct PathGuard: Sendable {
  /// The working folder, symbolic links resolved.
  let root: String

  init(root: String) { self.root = Self.realPath(root) ?? root }

  /// Checks `path` (the request field `field`); throws 400 naming the field, or 403 for a link
  /// that leads outside.
  func check(_ path: String, field: String) throws(APIError) {
    guard !path.isEmpty, path.utf8.count <= 1024, !path.contains("\0") else {
      throw APIError(.badRequest, "'\(field)' must be a non-empty path inside the working folder", field: field)
    }
    guard !path.hasPrefix("/"), !path.hasPrefix("~") else {
      throw APIError(.badRequest, "'\(field)' must be relative to the working folder, not absolute", field: field)
    }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    guard !parts.contains("..") else {
      throw APIError(.badRequest, "'\(field)' must not contain '..'", field: field)
    }
    // Every part that exists must stay inside the root once links are resolved.
    var prefix = root
    for part in parts {
      prefix += "/" + part
      guard FileManager.default.fileExists(atPath: prefix) || Self.isLink(prefix) else { break }
      guard let real = Self.realPath(prefix), real == root || real.hasPrefix(root + "/") else {
        throw APIError(.forbidden, "'\(field)' leads outside the working folder", field: field)
      }
    }
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  private static func isLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
  }
}
