/// Everything that can go wrong reading, validating, building or writing a safetensors file.
///
/// The cases carry the data (tensor names, byte counts, offsets); ``description`` turns them into a
/// one-line message that says what is wrong and where, e.g.
/// `tensor 'rnn.weight_hh_l0' declares 4096 bytes (shape [64, 16], F32) but data_offsets span 4000`.
/// Byte offsets into the header count from the first byte of the JSON text (file offset − 8).
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
  // MARK: Framing (the 8-byte length prefix)
  /// The file is shorter than the 8-byte header-length prefix.
  case fileTooShort(size: Int)
  /// The declared header length is below 2 (the shortest header is `{}`).
  case headerLengthTooSmall(declared: UInt64)
  /// The declared header length exceeds the 100 MB limit.
  case headerLengthTooLarge(declared: UInt64, limit: Int)
  /// The declared header length runs past the end of the file.
  case headerLengthExceedsFile(declared: UInt64, available: Int)

  // MARK: Header text
  /// The header is not valid UTF-8; `offset` is the first bad byte.
  case headerNotUTF8(offset: Int)
  /// The header does not start with `{`.
  case headerNotObject(found: String)
  /// The header is not well-formed JSON.
  case malformedHeaderJSON(offset: Int, reason: String)
  /// Arrays/objects nest deeper than the parser allows.
  case headerNestingTooDeep(offset: Int, limit: Int)
  /// The same key appears twice in one JSON object.
  case duplicateKey(String, offset: Int)

  // MARK: Tensor entries
  /// A tensor's entry is not an object with exactly `dtype`, `shape` and `data_offsets`.
  case invalidTensorEntry(tensor: String, reason: String)
  /// The dtype string is not one of ``DType``.
  case unsupportedDType(tensor: String, dtype: String)
  /// The shape is not an array of non-negative integers that fit in `Int`.
  case invalidShape(tensor: String, reason: String)
  /// Element count × element size overflows `Int`.
  case byteSizeOverflow(tensor: String, shape: [Int], dtype: DType)
  /// shape × dtype size disagrees with the byte span of `data_offsets`.
  case byteCountMismatch(tensor: String, expected: Int, shape: [Int], dtype: DType, span: UInt64)
  /// `data_offsets` is not `[begin, end]` with integers `begin ≤ end`.
  case invalidDataOffsets(tensor: String, reason: String)
  /// Tensor data does not start where the previous tensor's data ends (or at 0): a gap.
  case dataGap(tensor: String, expectedBegin: UInt64, begin: UInt64)
  /// Tensor data starts before the previous tensor's data ends.
  case dataOverlap(tensor: String, previous: String, begin: UInt64, previousEnd: UInt64)
  /// The tensors cover `declared` bytes but the byte buffer after the header holds `actual`.
  case bufferSizeMismatch(declared: UInt64, actual: Int)

  // MARK: Metadata and checksums
  /// `__metadata__` is not an object of string values.
  case invalidMetadata(key: String?, reason: String)
  /// The checksum entry in `__metadata__` is present but malformed.
  case invalidChecksumMetadata(reason: String)
  /// A tensor's bytes do not match its stored CRC-32C.
  case checksumMismatch(tensor: String, expected: UInt32, actual: UInt32)

  // MARK: Building and access
  /// Two tensors share a name.
  case duplicateTensorName(String)
  /// A tensor name or metadata key the format or this library reserves.
  case reservedName(String, reason: String)
  /// A value array does not hold product(shape) elements.
  case valueCountMismatch(tensor: String, shape: [Int], expected: Int, actual: Int)
  /// Typed access with the wrong element type.
  case dtypeMismatch(tensor: String, stored: DType, requested: DType)
  /// No tensor has this name.
  case tensorNotFound(String)

  // MARK: Files
  /// A POSIX call failed; the failure names the path, the step and the reason.
  case fileSystem(FileSystemFailure)
}

extension SafeTensorsError {
  public var description: String {
    switch self {
    case .fileTooShort(let size):
      return "file is \(size) bytes, too short for the 8-byte header length of a safetensors file"
    case .headerLengthTooSmall(let n):
      return "header length \(n) is too small (a header is at least the 2 bytes '{}')"
    case .headerLengthTooLarge(let n, let limit):
      return "header length \(n) exceeds the limit of \(limit) bytes"
    case .headerLengthExceedsFile(let n, let available):
      return "header length \(n) runs past the end of the file (only \(available) bytes follow the length prefix)"
    case .headerNotUTF8(let offset):
      return "header is not valid UTF-8 (bad byte at header offset \(offset))"
    case .headerNotObject(let found):
      return "header must be a JSON object starting with '{', found \(found)"
    case .malformedHeaderJSON(let offset, let reason):
      return "header is not valid JSON at header offset \(offset): \(reason)"
    case .headerNestingTooDeep(let offset, let limit):
      return "header JSON nests deeper than \(limit) levels (at header offset \(offset))"
    case .duplicateKey(let key, let offset):
      return "header has duplicate key '\(Self.quoted(key))' (at header offset \(offset))"
    case .invalidTensorEntry(let t, let reason):
      return "tensor '\(Self.quoted(t))': \(reason)"
    case .unsupportedDType(let t, let dtype):
      let known = DType.allCases.map(\.rawValue).joined(separator: ", ")
      return "tensor '\(Self.quoted(t))' has unsupported dtype '\(Self.quoted(dtype))' (supported: \(known))"
    case .invalidShape(let t, let reason):
      return "tensor '\(Self.quoted(t))' has an invalid shape: \(reason)"
    case .byteSizeOverflow(let t, let shape, let dtype):
      return "tensor '\(Self.quoted(t))' is too large: shape \(shape) of \(dtype) overflows the byte count"
    case .byteCountMismatch(let t, let expected, let shape, let dtype, let span):
      return "tensor '\(Self.quoted(t))' declares \(expected) bytes (shape \(shape), \(dtype)) but data_offsets span \(span)"
    case .invalidDataOffsets(let t, let reason):
      return "tensor '\(Self.quoted(t))' has invalid data_offsets: \(reason)"
    case .dataGap(let t, let expected, let begin):
      return
        "tensor '\(Self.quoted(t))' data starts at byte \(begin) of the buffer but the previous tensor ends at \(expected) (gap of \(begin - expected) bytes)"
    case .dataOverlap(let t, let previous, let begin, let previousEnd):
      return
        "tensor '\(Self.quoted(t))' data starts at byte \(begin), inside tensor '\(Self.quoted(previous))' which ends at \(previousEnd)"
    case .bufferSizeMismatch(let declared, let actual):
      return "tensors cover \(declared) bytes but the data buffer after the header holds \(actual) bytes"
        + (UInt64(actual) > declared ? " (trailing bytes)" : " (file truncated?)")
    case .invalidMetadata(let key, let reason):
      if let key { return "__metadata__ entry '\(Self.quoted(key))': \(reason)" }
      return "__metadata__: \(reason)"
    case .invalidChecksumMetadata(let reason):
      return "checksum metadata '\(ChecksumTable.metadataKey)' is invalid: \(reason)"
    case .checksumMismatch(let t, let expected, let actual):
      return
        "tensor '\(Self.quoted(t))' is corrupted: CRC-32C of its bytes is \(CRC32C.hex(actual)), stored checksum is \(CRC32C.hex(expected))"
    case .duplicateTensorName(let name):
      return "duplicate tensor name '\(Self.quoted(name))'"
    case .reservedName(let name, let reason):
      return "'\(Self.quoted(name))' is reserved: \(reason)"
    case .valueCountMismatch(let t, let shape, let expected, let actual):
      return "tensor '\(Self.quoted(t))': shape \(shape) needs \(expected) elements but \(actual) were given"
    case .dtypeMismatch(let t, let stored, let requested):
      return "tensor '\(Self.quoted(t))' holds \(stored), not \(requested)"
    case .tensorNotFound(let name):
      return "no tensor named '\(Self.quoted(name))'"
    case .fileSystem(let failure):
      return failure.description
    }
  }

  /// Names from a hostile header may be huge or contain control characters; keep messages one
  /// short line: control characters escaped, cut after `limit` scalars.
  static func quoted(_ s: String, limit: Int = 80) -> String {
    var out = ""
    for (count, scalar) in s.unicodeScalars.enumerated() {
      if count == limit { return out + "…" }
      out += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return out
  }
}
