import Foundation
import RNNLanguage
import TestSupport
import XCTest

/// Golden AST dumps: every `Golden/*.rnn` is parsed and dumped (followed by its rendered
/// diagnostics, if any) and compared with `Golden/*.ast`. Run with `RNN_RECORD_GOLDEN=1` to re-record.
final class GoldenTests: XCTestCase {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden")

  /// The golden inputs, sorted by name.
  static func inputs() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "rnn" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
  }

  /// The golden text for one source: AST dump, then diagnostics.
  static func render(_ file: SourceFile) -> String {
    let result = Parser.parseAll(file)
    var out = ASTDumper(file: file).dump(result.statements)
    if !result.errors.isEmpty {
      out += "# diagnostics\n" + DiagnosticRenderer(file: file).render(result.diagnostics)
    }
    return out
  }

  func testGoldenDumps() throws {
    let inputs = try Self.inputs()
    XCTAssertGreaterThanOrEqual(inputs.count, 5)
    for input in inputs {
      let bytes = try [UInt8](Data(contentsOf: input))
      let actual = Self.render(SourceFile(name: input.lastPathComponent, bytes: bytes))
      Golden.assertMatches(actual, input.deletingPathExtension().appendingPathExtension("ast"))
    }
  }

  /// The valid golden scripts parse without errors; `recovery.rnn` reports all of its errors.
  func testGoldenScriptsErrorCounts() throws {
    for input in try Self.inputs() {
      let bytes = try [UInt8](Data(contentsOf: input))
      let result = Parser.parseAll(SourceFile(name: input.lastPathComponent, bytes: bytes))
      if input.lastPathComponent == "recovery.rnn" {
        XCTAssertEqual(result.errors.count, 11, "\(result.errors)")
        XCTAssertEqual(result.statements.count, 2)
      } else {
        XCTAssertEqual(result.errors, [], input.lastPathComponent)
      }
    }
  }
}
