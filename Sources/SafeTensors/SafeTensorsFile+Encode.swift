extension SafeTensorsFile {
  /// Tensors in the order they are written, exactly as the reference Rust writer (and so Python's
  /// `safetensors.torch.save_file`) sorts them: by dtype descending in the reference enum order
  /// (U64, I64, F64, F32, U32, I32, BF16, F16, U16, I16, I8, U8, BOOL — which is alignment
  /// descending), then by name in UTF-8 byte order. Because the data buffer starts at a multiple of
  /// 8 (the header is padded) and each alignment group's sizes are multiples of its alignment,
  /// every tensor's data is naturally aligned in the file.
  public var writeOrder: [TensorEntry] {
    tensors.sorted { a, b in
      if a.dtype.referenceRank != b.dtype.referenceRank { return a.dtype.referenceRank > b.dtype.referenceRank }
      return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }
  }

  /// The file's bytes:
  ///
  ///     [u64 LE header length N][N bytes: JSON header, space-padded][tensor data, writeOrder]
  ///
  /// The header is `{"__metadata__":{…},"name":{"dtype":…,"shape":[…],"data_offsets":[b,e]},…}`
  /// with metadata keys sorted, tensors in ``writeOrder``, and spaces appended so that N is a
  /// multiple of 8 (as PyTorch's writer does). `__metadata__` is omitted when empty.
  ///
  /// - Parameter checksums: add the per-tensor CRC-32C map (``ChecksumTable``) to `__metadata__`.
  /// - Throws: ``SafeTensorsError/reservedName(_:reason:)`` if `metadata` uses the checksum key.
  public func encode(checksums: Bool = true) throws(SafeTensorsError) -> [UInt8] {
    if metadata[ChecksumTable.metadataKey] != nil {
      throw .reservedName(ChecksumTable.metadataKey, reason: "the metadata key holds the library's checksums")
    }
    let ordered = writeOrder
    var allMetadata = metadata
    if checksums && !ordered.isEmpty { allMetadata[ChecksumTable.metadataKey] = ChecksumTable.encode(ordered) }

    var json = JSONWriter()
    json.raw("{")
    var first = true
    if !allMetadata.isEmpty {
      json.string("__metadata__")
      json.raw(":")
      json.stringMap(allMetadata)
      first = false
    }
    var offset = 0
    for tensor in ordered {
      if !first { json.raw(",") }
      first = false
      json.string(tensor.name)
      json.raw(":{\"dtype\":")
      json.string(tensor.dtype.rawValue)
      json.raw(",\"shape\":[")
      json.raw(tensor.shape.map(String.init).joined(separator: ","))
      json.raw("],\"data_offsets\":[")
      json.integer(offset)
      json.raw(",")
      offset += tensor.bytes.count
      json.integer(offset)
      json.raw("]}")
    }
    json.raw("}")
    var header = json.bytes
    header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

    var out: [UInt8] = []
    out.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: header)
    for tensor in ordered { out.append(contentsOf: tensor.bytes) }
    return out
  }
}
