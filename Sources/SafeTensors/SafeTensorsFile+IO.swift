extension SafeTensorsFile {
  /// Reads and decodes the file at `path` (see ``decode(bytes:verifyChecksums:)``). Only regular
  /// files are read, and never more bytes than `fstat` reports.
  public static func read(path: String, verifyChecksums: Bool = true) throws(SafeTensorsError) -> SafeTensorsFile {
    try decode(bytes: AtomicFile.read(path: path), verifyChecksums: verifyChecksums)
  }

  /// Encodes (see ``encode(checksums:)``) and atomically replaces the file at `path`: temporary file
  /// in the same directory, fsync, rename, fsync of the directory. On failure the previous file at
  /// `path`, if any, is left intact and no temporary file remains.
  public func write(path: String, checksums: Bool = true) throws(SafeTensorsError) {
    try AtomicFile.write(encode(checksums: checksums), to: path)
  }
}
