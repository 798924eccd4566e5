extension SafeTensorsFile {
  /// Parses and validates a whole file image.
  ///
  /// Order of checks, all before any tensor is allocated: the 8-byte length prefix; header length
  /// bounds (2 ≤ N ≤ 100 MB, N ≤ size − 8); the header (``HeaderLayout``: UTF-8, JSON, dtypes,
  /// shapes, offsets tiling the buffer exactly, string metadata); then, if `__metadata__` holds
  /// ``ChecksumTable/metadataKey`` and `verifyChecksums` is true, every tensor's CRC-32C. Tensors
  /// come out in data-offset order; the checksum key is removed from ``metadata`` and reported
  /// through ``checksumStatus`` instead.
  public static func decode(bytes: [UInt8], verifyChecksums: Bool = true) throws(SafeTensorsError) -> SafeTensorsFile {
    guard bytes.count >= 8 else { throw .fileTooShort(size: bytes.count) }
    let declared = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard declared >= 2 else { throw .headerLengthTooSmall(declared: declared) }
    guard declared <= UInt64(HeaderLayout.maxHeaderLength) else {
      throw .headerLengthTooLarge(declared: declared, limit: HeaderLayout.maxHeaderLength)
    }
    guard declared <= UInt64(bytes.count - 8) else {
      throw .headerLengthExceedsFile(declared: declared, available: bytes.count - 8)
    }
    let headerEnd = 8 + Int(declared)
    let layout = try HeaderLayout.parse(header: Array(bytes[8..<headerEnd]), bufferSize: bytes.count - headerEnd)

    var metadata = layout.metadata
    var status = ChecksumStatus.absent
    if let checksumText = metadata.removeValue(forKey: ChecksumTable.metadataKey) {
      status = .notVerified
      if verifyChecksums {
        let table = try ChecksumTable.parse(checksumText)
        try ChecksumTable.checkCoverage(table, names: layout.tensors.map(\.name))
        let mismatch: SafeTensorsError? = bytes.withUnsafeBytes { raw in
          for tensor in layout.tensors {
            let data = UnsafeRawBufferPointer(rebasing: raw[headerEnd + tensor.begin..<headerEnd + tensor.end])
            let actual = CRC32C.checksum(data)
            let expected = table[tensor.name]!
            if actual != expected { return .checksumMismatch(tensor: tensor.name, expected: expected, actual: actual) }
          }
          return nil
        }
        if let mismatch { throw mismatch }
        status = .verified(tensorCount: layout.tensors.count)
      }
    }

    var file = try SafeTensorsFile(metadata: metadata)
    for tensor in layout.tensors {
      let data = Array(bytes[headerEnd + tensor.begin..<headerEnd + tensor.end])
      try file.append(TensorEntry(unchecked: tensor.name, dtype: tensor.dtype, shape: tensor.shape, bytes: data))
    }
    file.checksumStatus = status
    return file
  }
}
