import Foundation
import RNNDownload
import TestSupport
import XCTest

final class SHA256Tests: XCTestCase {
  /// FIPS 180-4's examples (one block, two blocks) and a million 'a's fed in uneven pieces.
  func testStandardVectors() {
    XCTAssertEqual(SHA256.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var h = SHA256()
    var fed = 0
    var piece = 1
    while fed < 1_000_000 {
      let n = min(piece, 1_000_000 - fed)
      h.update([UInt8](repeating: 0x61, count: n))
      fed += n
      piece = piece * 3 % 1000 + 1
    }
    XCTAssertEqual(h.finishHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// The known tiny-Shakespeare record is the hash and size of the shared copy of that file.
  func testTinyShakespeareRecordMatchesTheSharedFile() throws {
    guard let path = Fixtures.tinyShakespearePath() else { throw XCTSkip("tinyshakespeare.txt is not beside the checkout") }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    XCTAssertEqual(Int64(bytes.count), KnownCorpus.tinyShakespeare.expected.bytes)
    XCTAssertEqual(SHA256.hex(of: bytes), KnownCorpus.tinyShakespeare.expected.sha256)
  }
}
