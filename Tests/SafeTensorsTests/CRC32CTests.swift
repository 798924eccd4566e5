import XCTest

@testable import SafeTensors

final class CRC32CTests: XCTestCase {
  func testStandardCheckValue() {
    XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
  }

  func testEmptyInput() {
    XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
  }

  /// Known vectors from RFC 3720 (iSCSI), appendix B.4.
  func testRFC3720Vectors() {
    XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
    XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
    XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }), 0x113F_DB5C)
  }

  /// Slice-by-8 must agree with the bitwise definition at every length and split point.
  func testSliceBy8MatchesBitwiseReference() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let data: [UInt8] = (0..<300).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    for length in 0...data.count {
      let slice = Array(data[0..<length])
      XCTAssertEqual(CRC32C.checksum(slice), bitwise(slice), "length \(length)")
    }
    for split in stride(from: 0, through: data.count, by: 7) {
      let a = CRC32C.checksum(Array(data[0..<split]))
      let whole = Array(data[split...]).withUnsafeBytes { CRC32C.update(a, $0) }
      XCTAssertEqual(whole, CRC32C.checksum(data), "split \(split)")
    }
  }

  func testHexIsEightLowercaseDigits() {
    XCTAssertEqual(CRC32C.hex(0xE306_9283), "e3069283")
    XCTAssertEqual(CRC32C.hex(0x1A), "0000001a")
  }

  private func bitwise(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      crc ^= UInt32(b)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
  }
}
