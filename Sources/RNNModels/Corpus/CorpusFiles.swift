#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import StrictUTF8

/// The files a corpus path names: a file; every regular file under a folder, recursively; or the
/// files a glob matches (`*`, `?` and `[…]` within one name, `**` for any number of folders). A
/// leading `~` is the home folder. Names starting with '.' are left out of folder walks and of
/// wildcard matches (unless the pattern spells the dot). The result is sorted by path, without
/// repeats. Symbolic links are followed; one that leads back into a folder being walked is an error.
struct CorpusFiles {
  /// A file to read: where it is, and how messages name it (the user's spelling of the path).
  struct File: Equatable {
    let path: String
    let label: String
  }

  /// `path` with a leading `~` or `~/` replaced by `home`.
  static func expandTilde(_ path: String, home: String?) -> String {
    guard let home, path == "~" || path.hasPrefix("~/") else { return path }
    return home + path.dropFirst()
  }

  static func isPattern(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

  /// The files `path` names; `resolve` turns a user path into one to open (e.g. against a root).
  static func list(_ path: String, resolve: @escaping (String) -> String) throws(CorpusError) -> [File] {
    var walker = Walker(resolve: resolve)
    if isPattern(path) {
      let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
      let fixed = components.prefix { !isPattern($0) }
      let prefix = (path.hasPrefix("/") ? "/" : "") + fixed.joined(separator: "/")
      walker.start(at: prefix)
      try walker.match(prefix, Array(components[fixed.count...]))
      guard !walker.found.isEmpty else { throw .noMatch(pattern: path) }
    } else {
      var info = stat()
      guard stat(resolve(path), &info) == 0 else {
        if errno == ENOENT { throw .fileNotFound(path: path) }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      guard (info.st_mode & S_IFMT) == S_IFDIR else { return [File(path: resolve(path), label: path)] }
      walker.start(at: path)
      try walker.match(path, ["**", "*"])
      guard !walker.found.isEmpty else { throw .emptyFolder(path: path) }
    }
    return walker.found.sorted { $0.label.utf8.lexicographicallyPrecedes($1.label.utf8) }
  }

  /// A depth-first walk that collects the regular files matching the pattern's components.
  private struct Walker {
    let resolve: (String) -> String
    var found: [File] = []
    var seen = Set<String>()
    /// Device and inode of the folders on the current path, to catch symbolic-link loops.
    var ancestors: [(dev: UInt64, ino: UInt64)] = []

    /// Makes `directory`, where the walk starts, the first ancestor.
    mutating func start(at directory: String) {
      var info = stat()
      if stat(resolve(directory.isEmpty ? "." : directory), &info) == 0 {
        ancestors = [(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino))]
      }
    }

    mutating func match(_ directory: String, _ pattern: [String]) throws(CorpusError) {
      guard let first = pattern.first else { return }
      let rest = Array(pattern.dropFirst())
      if first == "**" { try match(directory, rest) }
      for name in try entries(directory) {
        let path = directory.isEmpty ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
        var info = stat()
        guard stat(resolve(path), &info) == 0 else {
          if errno == ELOOP { throw .symlinkLoop(path: path) }
          throw .unreadable(path: path, reason: String(cString: strerror(errno)) + (errno == ENOENT ? " (a dangling symbolic link?)" : ""))
        }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        if first == "**" {
          guard isDirectory, !name.hasPrefix(".") else { continue }
          try descend(path, info, pattern)
        } else if fnmatch(first, name, FNM_PERIOD) == 0 {
          if rest.isEmpty {
            if (info.st_mode & S_IFMT) == S_IFREG && seen.insert(path).inserted { found.append(File(path: resolve(path), label: path)) }
          } else if isDirectory {
            try descend(path, info, rest)
          }
        }
      }
    }

    private mutating func descend(_ path: String, _ info: stat, _ pattern: [String]) throws(CorpusError) {
      let id = (dev: UInt64(info.st_dev), ino: UInt64(info.st_ino))
      guard !ancestors.contains(where: { $0 == id }) else { throw .symlinkLoop(path: path) }
      ancestors.append(id)
      defer { ancestors.removeLast() }
      try match(path, pattern)
    }

    /// The names in `directory` (no "." or ".."), sorted.
    private func entries(_ directory: String) throws(CorpusError) -> [String] {
      guard let dir = opendir(resolve(directory.isEmpty ? "." : directory)) else {
        throw .unreadable(path: directory.isEmpty ? "." : directory, reason: String(cString: strerror(errno)))
      }
      defer { closedir(dir) }
      var names: [String] = []
      while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
          $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
      }
      return names.sorted()
    }
  }
}

/// A file opened for each pass and closed after it, so that a corpus of many files holds one open
/// descriptor at a time.
struct PathByteSource: CorpusByteSource {
  let file: CorpusFiles.File

  func forEachChunk(
    size chunkSize: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Void
  ) throws(CorpusError) {
    let fd = open(file.path, O_RDONLY)
    guard fd >= 0 else { throw .unreadable(path: file.label, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    try FileByteSource(descriptor: fd, path: file.label).forEachChunk(size: chunkSize, body)
  }

  /// Whether the file is all UTF-8 (one streamed pass).
  func isUTF8(chunkSize: Int) throws(CorpusError) -> Bool {
    var decoder = UTF8Decoder(replacing: false)
    var valid = true
    try forEachChunk(size: chunkSize) { chunk throws(CorpusError) in
      if valid, decoder.feed(chunk, { _ in }) != nil { valid = false }
    }
    return valid && decoder.finish({ _ in }) == nil
  }
}

extension Corpus {
  /// The corpus of the files `path` names (see `CorpusFiles`): one file is read exactly as
  /// `load(path:)` reads it; several are documents joined by `separator` (default a blank line) and
  /// split by documents when there are enough. `resolve` maps the user's paths to ones to open
  /// (default: as written); `home` replaces a leading `~`. With `.skip`, files that are not UTF-8
  /// are left out (an extra streamed pass over each file) and listed in `skippedFiles`.
  public static func load(
    files path: String, separator: String = "\n\n", fractions: SplitFractions = .init(),
    invalidUTF8: InvalidUTF8Handling = .error, home: String? = nil, resolve: @escaping (String) -> String = { $0 }
  ) throws(CorpusError) -> Corpus {
    try load(
      files: path, separator: separator, fractions: fractions, invalidUTF8: invalidUTF8, home: home, resolve: resolve, chunkSize: readSize)
  }

  static func load(
    files path: String, separator: String, fractions: SplitFractions, invalidUTF8: InvalidUTF8Handling, home: String?,
    resolve: @escaping (String) -> String, chunkSize: Int
  ) throws(CorpusError) -> Corpus {
    try load(
      fileList: [path], label: path, separator: separator, fractions: fractions, invalidUTF8: invalidUTF8, home: home,
      resolve: resolve, chunkSize: chunkSize)
  }

  /// The corpus of several paths, each a file, a folder or a glob (see `load(files:)`): their
  /// documents in the order given (each folder's or glob's sorted by path), a file named twice read
  /// once. Errors name the entry at fault; `label` names the whole list in messages.
  public static func load(
    fileList paths: [String], label: String, separator: String = "\n\n", fractions: SplitFractions = .init(),
    invalidUTF8: InvalidUTF8Handling = .error, home: String? = nil, resolve: @escaping (String) -> String = { $0 }
  ) throws(CorpusError) -> Corpus {
    try load(
      fileList: paths, label: label, separator: separator, fractions: fractions, invalidUTF8: invalidUTF8, home: home,
      resolve: resolve, chunkSize: readSize)
  }

  static func load(
    fileList paths: [String], label: String, separator: String, fractions: SplitFractions, invalidUTF8: InvalidUTF8Handling,
    home: String?, resolve: @escaping (String) -> String, chunkSize: Int
  ) throws(CorpusError) -> Corpus {
    precondition(!paths.isEmpty, "a corpus needs a path")
    var files: [CorpusFiles.File] = []
    var seen = Set<String>()
    for path in paths {
      let expanded = CorpusFiles.expandTilde(path, home: home)
      for file in try CorpusFiles.list(expanded, resolve: resolve) where seen.insert(file.path).inserted {
        files.append(CorpusFiles.File(path: file.path, label: file.label == expanded ? path : file.label))
      }
    }
    var kept = files
    var skipped: [String] = []
    if invalidUTF8 == .skip {
      kept = []
      for file in files {
        if try PathByteSource(file: file).isUTF8(chunkSize: chunkSize) { kept.append(file) } else { skipped.append(file.label) }
      }
      guard !kept.isEmpty else { throw .everyFileSkipped(path: label, count: files.count) }
    }
    return try Corpus(
      documents: kept.map(PathByteSource.init), labels: kept.map(\.label), label: label,
      separator: kept.count > 1 ? Array(separator.utf8) : [], fractions: fractions,
      invalidUTF8: invalidUTF8 == .skip ? .error : invalidUTF8, chunkSize: chunkSize, skippedFiles: skipped)
  }
}
