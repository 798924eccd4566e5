import Foundation
import XCTest

@testable import SafeTensors

/// Shared helpers for the SafeTensors tests.
enum TestFiles {
  /// `Tests/SafeTensorsTests/Fixtures/<name>`, located relative to this source file.
  static func fixture(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
  }

  /// A fresh empty directory under the system temporary directory.
  static func temporaryDirectory() -> String {
    var template = Array((NSTemporaryDirectory() + "/safetensors-test-XXXXXX").utf8CString)
    let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(result != nil, "mkdtemp failed")
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// File bytes from a header text (used verbatim, no padding) and a data buffer.
  static func image(header: String, buffer: [UInt8] = []) -> [UInt8] {
    let h = Array(header.utf8)
    return image(headerBytes: h, buffer: buffer)
  }

  static func image(headerBytes h: [UInt8], buffer: [UInt8] = []) -> [UInt8] {
    withUnsafeBytes(of: UInt64(h.count).littleEndian) { Array($0) } + h + buffer
  }

  /// A small file with several dtypes, shapes and metadata.
  static func sampleFile() throws -> SafeTensorsFile {
    try SafeTensorsFile(
      tensors: [
        TensorEntry(name: "rnn.weight_hh_l0", shape: [2, 3], values: [Float](arrayLiteral: 1, -2, 3.5, 0, 1e-3, -7)),
        TensorEntry(name: "decoder.bias", values: [Float(0.25), -0.5]),
        TensorEntry(name: "state.cursor", values: [Int64(5), -9]),
        TensorEntry(name: "state.step", shape: [], values: [UInt64(123)]),
        TensorEntry(name: "mask", values: [true, false, true]),
      ],
      metadata: ["format": "pt", "config": "{\"hidden\": 3}"])
  }

  /// Names of regular files in `directory`.
  static func listing(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
  }
}

/// Asserts that `body` throws a `SafeTensorsError` and returns it (nil on failure).
@discardableResult
func assertThrowsSafeTensorsError<T>(
  _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> SafeTensorsError? {
  do {
    _ = try body()
    XCTFail("expected an error", file: file, line: line)
  } catch let error as SafeTensorsError {
    return error
  } catch {
    XCTFail("unexpected error type \(error)", file: file, line: line)
  }
  return nil
}
