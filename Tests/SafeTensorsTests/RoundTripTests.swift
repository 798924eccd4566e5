import XCTest

@testable import SafeTensors

final class RoundTripTests: XCTestCase {
  private func roundTrip<T: TensorScalar & Equatable>(_ values: [T], shape: [Int], file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let tensor = try TensorEntry(name: "t.\(T.dtype)", shape: shape, values: values)
    XCTAssertEqual(tensor.dtype, T.dtype, file: file, line: line)
    XCTAssertEqual(tensor.bytes.count, values.count * T.dtype.byteSize, file: file, line: line)
    for checksums in [true, false] {
      let original = try SafeTensorsFile(tensors: [tensor], metadata: ["k": "v"])
      let decoded = try SafeTensorsFile.decode(bytes: original.encode(checksums: checksums))
      XCTAssertEqual(decoded, original, file: file, line: line)
      XCTAssertEqual(try decoded.tensor(named: tensor.name).values(as: T.self), values, file: file, line: line)
      XCTAssertEqual(decoded.checksumStatus, checksums ? .verified(tensorCount: 1) : .absent, file: file, line: line)
    }
  }

  func testEveryTypedDTypeRoundTrips() throws {
    try roundTrip([Float](arrayLiteral: 0, -0.0, 1.5, .infinity, -.greatestFiniteMagnitude, .leastNonzeroMagnitude), shape: [2, 3])
    try roundTrip([Double](arrayLiteral: .pi, -1e300, 0), shape: [3])
    try roundTrip([Int64.min, -1, 0, Int64.max], shape: [2, 2])
    try roundTrip([Int32.min, Int32.max], shape: [2])
    try roundTrip([Int16.min, 1, Int16.max], shape: [3, 1])
    try roundTrip([Int8.min, 0, Int8.max], shape: [1, 3])
    try roundTrip([UInt64.max, 0, 1 << 40], shape: [3])
    try roundTrip([UInt32.max, 0], shape: [2])
    try roundTrip([UInt16.max, 7], shape: [2])
    try roundTrip([UInt8](0...255), shape: [16, 16])
    try roundTrip([true, false, false, true], shape: [4])
    try roundTrip([Float](), shape: [0, 5])
    try roundTrip([Float(3)], shape: [])
  }

  func testRawHalfPrecisionDTypesRoundTrip() throws {
    // F16: 1.0, -2.0, smallest subnormal, +inf. BF16: 1.0, -0.15625.
    let f16 = try TensorEntry(name: "h", dtype: .f16, shape: [4], bytes: [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C])
    let bf16 = try TensorEntry(name: "b", dtype: .bf16, shape: [2], bytes: [0x80, 0x3F, 0x20, 0xBE])
    let file = try SafeTensorsFile(tensors: [f16, bf16])
    let decoded = try SafeTensorsFile.decode(bytes: file.encode())
    XCTAssertEqual(decoded.names, ["b", "h"], "BF16 sorts before F16 in the reference order")
    XCTAssertEqual(decoded["h"], f16)
    XCTAssertEqual(decoded["b"], bf16)
    XCTAssertEqual(try decoded.tensor(named: "h").floatsWidening(), [1, -2, 0x1p-24, .infinity])
    XCTAssertEqual(try decoded.tensor(named: "b").floatsWidening(), [1, -0.15625])
  }

  func testAllDTypesInOneFileAreWrittenAlignedAndPadded() throws {
    var file = try SafeTensorsFile()
    for (index, dtype) in DType.allCases.enumerated() {
      let count = index % 3 + 1  // odd sizes, so misalignment would show
      try file.append(
        TensorEntry(name: "z\(index)", dtype: dtype, shape: [count], bytes: [UInt8](repeating: UInt8(index), count: count * dtype.byteSize))
      )
    }
    let bytes = try file.encode()
    let headerLength = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
    XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
    XCTAssertEqual(bytes[8 + headerLength - 1], UInt8(ascii: bytes[8 + headerLength - 1] == 0x7D ? "}" : " "))
    let layout = try HeaderLayout.parse(header: Array(bytes[8..<8 + headerLength]), bufferSize: bytes.count - 8 - headerLength)
    for tensor in layout.tensors {
      XCTAssertEqual((8 + headerLength + tensor.begin) % tensor.dtype.alignment, 0, "\(tensor.name) aligned")
    }
    let alignments = layout.tensors.map(\.dtype.alignment)
    XCTAssertEqual(alignments, alignments.sorted(by: >), "8-byte dtypes first")
    let decoded = try SafeTensorsFile.decode(bytes: bytes)
    XCTAssertEqual(Set(decoded.tensors.map(\.name)), Set(file.names))
    for tensor in file.tensors { XCTAssertEqual(decoded[tensor.name], tensor) }
  }

  func testDecodedOrderIsWriteOrder() throws {
    let file = try TestFiles.sampleFile()
    let decoded = try SafeTensorsFile.decode(bytes: file.encode())
    XCTAssertEqual(decoded.names, file.writeOrder.map(\.name))
    XCTAssertEqual(decoded.names, ["state.step", "state.cursor", "decoder.bias", "rnn.weight_hh_l0", "mask"])
    XCTAssertEqual(decoded.metadata, file.metadata)
    XCTAssertEqual(decoded.checksumStatus, .verified(tensorCount: 5))
  }

  func testEncodingIsDeterministic() throws {
    let file = try TestFiles.sampleFile()
    XCTAssertEqual(try file.encode(), try file.encode())
    let reversed = try SafeTensorsFile(tensors: file.tensors.reversed(), metadata: file.metadata)
    XCTAssertEqual(try reversed.encode(), try file.encode())
  }

  func testChecksumMetadataFormat() throws {
    let tensor = try TensorEntry(name: "digits", dtype: .u8, shape: [9], bytes: Array("123456789".utf8))
    let bytes = try SafeTensorsFile(tensors: [tensor]).encode()
    let header = String(decoding: bytes[8...], as: UTF8.self)
    XCTAssertTrue(header.contains(#""__metadata__":{"crc32c":"{\"digits\":\"e3069283\"}"}"#), header)
    let withoutMetadata = try SafeTensorsFile.decode(bytes: bytes, verifyChecksums: false)
    XCTAssertEqual(withoutMetadata.checksumStatus, .notVerified)
    XCTAssertEqual(withoutMetadata.metadata, [:], "checksum key is not user metadata")
  }

  func testEmptyFileEncodesToMinimalHeader() throws {
    let bytes = try SafeTensorsFile().encode()
    XCTAssertEqual(bytes, TestFiles.image(header: "{}      "))
    XCTAssertTrue(try SafeTensorsFile.decode(bytes: bytes).tensors.isEmpty)
  }

  func testMetadataWithAwkwardStringsRoundTrips() throws {
    let metadata = ["quote\"back\\slash": "line\nbreak\ttab\u{1}\u{7F}", "ünïcödé 🎉": "{\"json\": [1, 2]}", "": ""]
    let file = try SafeTensorsFile(tensors: [TensorEntry(name: "名前\n\"x\"", values: [Float(1)])], metadata: metadata)
    let decoded = try SafeTensorsFile.decode(bytes: file.encode())
    XCTAssertEqual(decoded, file)
  }

  func testConstructionErrors() throws {
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try TensorEntry(name: "w", shape: [2, 3], values: [Float](repeating: 0, count: 5))),
      .valueCountMismatch(tensor: "w", shape: [2, 3], expected: 6, actual: 5))
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try TensorEntry(name: "w", dtype: .f32, shape: [-1], bytes: [])),
      .invalidShape(tensor: "w", reason: "dimension 0 is -1, must be ≥ 0"))
    XCTAssertEqual(
      assertThrowsSafeTensorsError(try TensorEntry(name: "w", dtype: .f64, shape: [1 << 40, 1 << 30], bytes: [])),
      .byteSizeOverflow(tensor: "w", shape: [1 << 40, 1 << 30], dtype: .f64))
    guard case .reservedName = assertThrowsSafeTensorsError(try TensorEntry(name: "__metadata__", values: [UInt8(1)])) else {
      return XCTFail("reserved tensor name accepted")
    }
    let t = try TensorEntry(name: "a", values: [UInt8(1)])
    XCTAssertEqual(assertThrowsSafeTensorsError(try SafeTensorsFile(tensors: [t, t])), .duplicateTensorName("a"))
    guard
      case .reservedName("crc32c", _) = assertThrowsSafeTensorsError(try SafeTensorsFile(tensors: [t], metadata: ["crc32c": "x"]).encode())
    else {
      return XCTFail("reserved metadata key accepted")
    }
    XCTAssertEqual(assertThrowsSafeTensorsError(try t.floats()), .dtypeMismatch(tensor: "a", stored: .u8, requested: .f32))
    XCTAssertEqual(assertThrowsSafeTensorsError(try t.floatsWidening()), .dtypeMismatch(tensor: "a", stored: .u8, requested: .f32))
    XCTAssertEqual(assertThrowsSafeTensorsError(try SafeTensorsFile(tensors: [t]).tensor(named: "b")), .tensorNotFound("b"))
  }

  func testEqualityIgnoresOrderButNotContent() throws {
    let file = try TestFiles.sampleFile()
    XCTAssertEqual(try SafeTensorsFile(tensors: file.tensors.reversed(), metadata: file.metadata), file)
    XCTAssertNotEqual(try SafeTensorsFile(tensors: file.tensors.dropLast(), metadata: file.metadata), file)
    XCTAssertNotEqual(try SafeTensorsFile(tensors: file.tensors, metadata: [:]), file)
    var changed = file
    changed.removeTensor(named: "mask")
    try changed.append(TensorEntry(name: "mask", values: [true, true, true]))
    XCTAssertNotEqual(changed, file)
  }

  func testAppendAndRemove() throws {
    var file = try TestFiles.sampleFile()
    XCTAssertNotNil(file.removeTensor(named: "decoder.bias"))
    XCTAssertNil(file.removeTensor(named: "decoder.bias"))
    XCTAssertNil(file["decoder.bias"])
    XCTAssertEqual(file["mask"]?.dtype, .bool)
    try file.append(TensorEntry(name: "decoder.bias", values: [Float(1)]))
    XCTAssertEqual(file.names.last, "decoder.bias")
  }
}
