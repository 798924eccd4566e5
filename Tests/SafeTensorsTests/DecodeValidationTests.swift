import XCTest

@testable import SafeTensors

/// Hand-made files, each breaking one rule, checked for the specific error and message.
final class DecodeValidationTests: XCTestCase {
  private func error(_ header: String, buffer: [UInt8] = [], file: StaticString = #filePath, line: UInt = #line) -> SafeTensorsError? {
    assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: TestFiles.image(header: header, buffer: buffer)), file: file, line: line)
  }

  private func entry(_ name: String, _ dtype: String = "F32", _ shape: String = "[1]", _ offsets: String = "[0,4]") -> String {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
  }

  func testMessageNamesTensorShapeDTypeAndSpan() {
    let e = error("{" + entry("rnn.weight_hh_l0", "F32", "[64, 16]", "[0, 4000]") + "}", buffer: [UInt8](repeating: 0, count: 4000))
    XCTAssertEqual(e, .byteCountMismatch(tensor: "rnn.weight_hh_l0", expected: 4096, shape: [64, 16], dtype: .f32, span: 4000))
    XCTAssertEqual(e?.description, "tensor 'rnn.weight_hh_l0' declares 4096 bytes (shape [64, 16], F32) but data_offsets span 4000")
  }

  func testFraming() {
    XCTAssertEqual(assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: [1, 0, 0])), .fileTooShort(size: 3))
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: TestFiles.image(header: "{"))), .headerLengthTooSmall(declared: 1))
    var huge = TestFiles.image(header: "{}")
    huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: (UInt64(1) << 63).littleEndian, Array.init))
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: huge)), .headerLengthTooLarge(declared: 1 << 63, limit: 100_000_000))
    var long = TestFiles.image(header: "{}")
    long[0] = 3
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: long)), .headerLengthExceedsFile(declared: 3, available: 2))
  }

  func testHeaderText() {
    XCTAssertEqual(
      assertThrowsSafeTensorsError(
        try SafeTensorsFile.decode(bytes: TestFiles.image(headerBytes: Array("{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)))),
      .headerNotUTF8(offset: 6))
    XCTAssertEqual(error(" {}"), .headerNotObject(found: "byte 0x20"))
    XCTAssertEqual(error("[]"), .headerNotObject(found: "'['"))
    XCTAssertEqual(error("{}x"), .malformedHeaderJSON(offset: 2, reason: "unexpected 'x' after the end of the JSON value"))
    XCTAssertEqual(error("{\"a\":NaN}"), .malformedHeaderJSON(offset: 5, reason: "unexpected 'N', expected a value"))
    XCTAssertEqual(error("{\"a\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}"), .headerNestingTooDeep(offset: 20, limit: 16))
    XCTAssertEqual(error("{" + entry("a") + "," + entry("a") + "}", buffer: [0, 0, 0, 0]), .duplicateKey("a", offset: 54))
    guard case .duplicateKey("dtype", _) = error("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}") else { return XCTFail() }
    XCTAssertNoThrow(try SafeTensorsFile.decode(bytes: TestFiles.image(header: "{}  \n\t\r ")), "trailing whitespace is padding")
  }

  func testTensorEntries() {
    XCTAssertEqual(error("{\"a\":1}"), .invalidTensorEntry(tensor: "a", reason: "entry must be an object, found the number 1"))
    XCTAssertEqual(error("{\"a\":{\"dtype\":\"F32\",\"shape\":[]}}"), .invalidTensorEntry(tensor: "a", reason: "missing 'data_offsets'"))
    guard
      case .invalidTensorEntry("a", _) = error(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1}}", buffer: [0, 0, 0, 0])
    else {
      return XCTFail("unknown key accepted")
    }
    XCTAssertEqual(error("{" + entry("a", "F8_E4M3") + "}", buffer: [0, 0, 0, 0]), .unsupportedDType(tensor: "a", dtype: "F8_E4M3"))
    XCTAssertEqual(error("{" + entry("a", "f32") + "}", buffer: [0, 0, 0, 0]), .unsupportedDType(tensor: "a", dtype: "f32"))
    for shape in ["[-1]", "[1.0]", "[1e0]", "[\"1\"]", "[null]", "1", "[18446744073709551616]", "[9223372036854775808]"] {
      guard case .invalidShape("a", _) = error("{" + entry("a", "F32", shape) + "}", buffer: [0, 0, 0, 0]) else {
        return XCTFail("shape \(shape) accepted")
      }
    }
    XCTAssertEqual(
      error("{" + entry("a", "F64", "[4294967296, 4294967296]", "[0,0]") + "}"),
      .byteSizeOverflow(tensor: "a", shape: [4_294_967_296, 4_294_967_296], dtype: .f64))
    for offsets in ["[0]", "[0,4,8]", "[-1,3]", "[0,4.0]", "{}", "[0,18446744073709551616]"] {
      guard case .invalidDataOffsets("a", _) = error("{" + entry("a", "F32", "[1]", offsets) + "}", buffer: [0, 0, 0, 0]) else {
        return XCTFail("offsets \(offsets) accepted")
      }
    }
    XCTAssertEqual(error("{" + entry("a", "F32", "[0]", "[4,0]") + "}"), .invalidDataOffsets(tensor: "a", reason: "begin 4 is after end 0"))
    XCTAssertEqual(
      error("{" + entry("a", "U8", "[1]", "[18446744073709551614,18446744073709551615]") + "}"),
      .invalidDataOffsets(tensor: "a", reason: "end 18446744073709551615 is beyond any possible buffer"))
  }

  func testTiling() {
    let four: [UInt8] = [0, 0, 0, 0]
    XCTAssertEqual(
      error("{" + entry("a", "F32", "[1]", "[4,8]") + "}", buffer: four + four), .dataGap(tensor: "a", expectedBegin: 0, begin: 4))
    XCTAssertEqual(
      error("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[1]", "[4,8]") + "}", buffer: four + four),
      .dataOverlap(tensor: "b", previous: "a", begin: 4, previousEnd: 8))
    XCTAssertEqual(error("{" + entry("a") + "}", buffer: four + [9]), .bufferSizeMismatch(declared: 4, actual: 5))
    XCTAssertEqual(error("{" + entry("a") + "}", buffer: [0, 0]), .bufferSizeMismatch(declared: 4, actual: 2))
    XCTAssertEqual(error("{}", buffer: [1]), .bufferSizeMismatch(declared: 0, actual: 1))
    // Entries may appear in any order in the JSON; zero-sized tensors may sit anywhere.
    let ok = "{" + entry("b", "U8", "[2]", "[4,6]") + "," + entry("z", "F32", "[0]", "[4,4]") + "," + entry("a") + "}"
    XCTAssertEqual(try SafeTensorsFile.decode(bytes: TestFiles.image(header: ok, buffer: four + [1, 2])).names, ["a", "z", "b"])
  }

  func testMetadata() {
    XCTAssertEqual(error("{\"__metadata__\":[]}"), .invalidMetadata(key: nil, reason: "must be an object of string values, found an array"))
    XCTAssertEqual(error("{\"__metadata__\":{\"n\":1}}"), .invalidMetadata(key: "n", reason: "value must be a string, found the number 1"))
    XCTAssertEqual(try SafeTensorsFile.decode(bytes: TestFiles.image(header: "{\"__metadata__\":null}")).metadata, [:])
    XCTAssertEqual(
      try SafeTensorsFile.decode(bytes: TestFiles.image(header: "{\"__metadata__\":{\"a\":\"\\u00e9\\ud83c\\udf89\"}}")).metadata,
      ["a": "é🎉"])
  }

  func testChecksums() throws {
    let tensor = try TensorEntry(name: "w", values: [Float(1), 2])
    let good = try SafeTensorsFile(tensors: [tensor]).encode()
    var bad = good
    bad[bad.count - 1] ^= 0x01
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: bad)),
      .checksumMismatch(tensor: "w", expected: CRC32C.checksum(tensor.bytes), actual: CRC32C.checksum(bad[(bad.count - 8)...])))
    XCTAssertEqual(try SafeTensorsFile.decode(bytes: bad, verifyChecksums: false).checksumStatus, .notVerified)
    XCTAssertEqual(ChecksumStatus.notVerified.description, "checksums present but not verified")
    XCTAssertEqual(ChecksumStatus.absent.description, "no checksum")
    XCTAssertEqual(ChecksumStatus.verified(tensorCount: 1).description, "CRC-32C verified for 1 tensor")
    let buffer = tensor.bytes
    func withTable(_ table: String) -> SafeTensorsError? {
      error("{\"__metadata__\":{\"crc32c\":\"\(table)\"}," + entry("w", "F32", "[2]", "[0,8]") + "}", buffer: buffer)
    }
    for table in [
      "", "[]", "{}", "{\\\"w\\\":\\\"123\\\"}", "{\\\"w\\\":\\\"xxxxxxxx\\\"}", "{\\\"w\\\":1}",
      "{\\\"w\\\":\\\"00000000\\\",\\\"v\\\":\\\"00000000\\\"}",
    ] {
      guard case .invalidChecksumMetadata = withTable(table) else { return XCTFail("checksum table \(table) accepted") }
    }
    let upper = CRC32C.hex(CRC32C.checksum(buffer)).uppercased()
    XCTAssertEqual(
      try SafeTensorsFile.decode(
        bytes: TestFiles.image(
          header: "{\"__metadata__\":{\"crc32c\":\"{\\\"w\\\":\\\"\(upper)\\\"}\"}," + entry("w", "F32", "[2]", "[0,8]") + "}",
          buffer: buffer)
      ).checksumStatus,
      .verified(tensorCount: 1))
  }

  func testHostileNamesAreShortenedInMessages() {
    let name = String(repeating: "x", count: 10_000) + "\u{1B}[31m"
    let message = error("{" + entry(name, "Q") + "}")?.description ?? ""
    XCTAssertLessThan(message.count, 300)
    XCTAssertFalse(message.contains("\u{1B}"))
  }
}
