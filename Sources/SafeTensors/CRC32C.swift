/// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF,
/// as used by iSCSI, ext4 and SSE4.2's `crc32` instruction. Check value: CRC32C("123456789") =
/// 0xE3069283.
///
/// Software slice-by-8: eight 256-entry tables (8 KiB) built once, eight input bytes per step.
public enum CRC32C {
  static let polynomial: UInt32 = 0x82F6_3B78

  /// `tables[k * 256 + b]` = CRC contribution of byte `b` followed by `k` zero bytes.
  static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for b in 0..<256 {
      var crc = UInt32(b)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
      t[b] = crc
    }
    for k in 1..<8 {
      for b in 0..<256 {
        let previous = t[(k - 1) * 256 + b]
        t[k * 256 + b] = (previous >> 8) ^ t[Int(previous & 0xFF)]
      }
    }
    return t
  }()

  /// The CRC-32C of `bytes`.
  public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    update(0, bytes)
  }

  /// The CRC-32C of `bytes`.
  public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
    if let result = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) {
      return result
    }
    return Array(bytes).withUnsafeBytes { update(0, $0) }
  }

  /// Continues a CRC: `update(checksum(a), b) == checksum(a + b)`.
  public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var c = ~crc
    var i = 0
    let n = bytes.count
    tables.withUnsafeBufferPointer { t in
      while n - i >= 8 {
        let lo = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ c
        let hi = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
        c =
          t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
          ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
        i += 8
      }
      while i < n {
        c = (c >> 8) ^ t[Int((c ^ UInt32(bytes[i])) & 0xFF)]
        i += 1
      }
    }
    return ~c
  }

  /// Eight lowercase hex digits, zero-padded: the form stored in checksum metadata.
  public static func hex(_ crc: UInt32) -> String {
    let digits = String(crc, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }
}
