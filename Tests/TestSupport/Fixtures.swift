import Foundation

/// Finds what tests read from disk, through `#filePath` (no resource bundle): JSON fixtures beside
/// the test sources (`Tests/<Target>/Fixtures/…`), the shared tiny-Shakespeare corpus beside the
/// checkout, and the package root.
public enum Fixtures {
  /// The directory `Fixtures` next to the calling test file.
  public static func directory(testFile: String = #filePath) -> URL {
    URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Fixtures")
  }

  /// The parsed JSON object of `name` in the caller's `Fixtures` directory.
  public static func json(_ name: String, testFile: String = #filePath) throws -> [String: Any] {
    let data = try Data(contentsOf: directory(testFile: testFile).appendingPathComponent(name))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.fileReadCorruptFile)
    }
    return object
  }

  /// A JSON array of numbers as `[Float]` (an element that is not a number becomes NaN; a value
  /// that is not an array, `[]`), so a malformed fixture fails the comparison that uses it.
  public static func floats(_ value: Any?) -> [Float] {
    (value as? [Any] ?? []).map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) }
  }

  /// A JSON array of numbers as `[Int32]` (an element that is not a number becomes −1; a value
  /// that is not an array, `[]`).
  public static func ints(_ value: Any?) -> [Int32] {
    (value as? [Any] ?? []).map { Int32(($0 as? NSNumber)?.intValue ?? -1) }
  }

  /// The shared tiny-Shakespeare corpus (`../shared/corpora/tinyshakespeare.txt` from the package
  /// root), or nil when this checkout has no `../shared` beside it.
  public static func tinyShakespearePath(testFile: String = #filePath) -> String? {
    var url = URL(fileURLWithPath: testFile)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        let path = url.deletingLastPathComponent().appendingPathComponent("shared/corpora/tinyshakespeare.txt").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
      }
    }
    return nil
  }

  /// The package root (the nearest directory above the calling test file holding Package.swift;
  /// the current directory if there is none).
  public static func packageRoot(testFile: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: testFile)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }
}
