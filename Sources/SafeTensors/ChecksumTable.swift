/// Per-tensor CRC-32C checksums stored in the header's `__metadata__`.
///
/// Format: `__metadata__["crc32c"]` is a string holding a compact JSON object that maps every tensor
/// name to the CRC-32C (``CRC32C``) of that tensor's bytes (exactly its `data_offsets` span), as 8
/// lowercase hex digits, keys sorted:
///
///     "__metadata__": {"crc32c": "{\"decoder.bias\":\"1b2c3d4e\",\"decoder.weight\":\"e3069283\"}"}
///
/// Metadata values must be strings, so the map is JSON inside a string; PyTorch and the Python
/// `safetensors` package load such files unchanged and simply see one more metadata entry.
/// The reader accepts upper- or lowercase digits and requires an entry for every tensor and none
/// for names that are not tensors.
public enum ChecksumTable {
  /// The reserved `__metadata__` key.
  public static let metadataKey = "crc32c"

  /// The metadata value for `tensors`.
  static func encode(_ tensors: [TensorEntry]) -> String {
    var writer = JSONWriter()
    writer.stringMap(Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, CRC32C.hex(CRC32C.checksum($0.bytes))) }))
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Parses a metadata value into name → CRC, checking the format but not yet the names.
  static func parse(_ text: String) throws(SafeTensorsError) -> [String: UInt32] {
    let value: JSONValue
    do {
      value = try JSONParser.parse(Array(text.utf8))
    } catch {
      throw .invalidChecksumMetadata(reason: "not valid JSON (at offset \(error.offset))")
    }
    guard case .object(let members) = value else {
      throw .invalidChecksumMetadata(reason: "expected a JSON object of tensor name → hex CRC, found \(value.kindDescription)")
    }
    var table: [String: UInt32] = [:]
    for member in members {
      guard case .string(let hex) = member.value, hex.utf8.count == 8, hex.utf8.allSatisfy(\.isHexDigit),
        let crc = UInt32(hex, radix: 16)
      else {
        throw .invalidChecksumMetadata(
          reason: "entry for '\(SafeTensorsError.quoted(member.key))' must be 8 hex digits, found \(member.value.kindDescription)")
      }
      table[member.key] = crc
    }
    return table
  }

  /// Checks that `table` names exactly `names`.
  static func checkCoverage(_ table: [String: UInt32], names: [String]) throws(SafeTensorsError) {
    for name in names where table[name] == nil {
      throw .invalidChecksumMetadata(reason: "no checksum for tensor '\(SafeTensorsError.quoted(name))'")
    }
    if table.count != names.count {
      let known = Set(names)
      let extra = table.keys.sorted().first { !known.contains($0) } ?? "?"
      throw .invalidChecksumMetadata(reason: "checksum for '\(SafeTensorsError.quoted(extra))', which is not a tensor in the file")
    }
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
  }
}
