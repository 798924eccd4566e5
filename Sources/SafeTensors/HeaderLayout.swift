import StrictUTF8

/// Where one tensor's bytes lie in the data buffer (validated, `begin ≤ end ≤ buffer size`).
struct TensorLayout: Sendable, Equatable {
  var name: String
  var dtype: DType
  var shape: [Int]
  var begin: Int
  var end: Int
}

/// The validated content of a safetensors header.
///
/// File layout: `[u64 little-endian N][N bytes of UTF-8 JSON][data buffer]`. The JSON is an object
/// mapping each tensor name to `{"dtype": D, "shape": [d0, …], "data_offsets": [begin, end]}` plus
/// an optional `"__metadata__"` object of string values. Offsets count from the start of the data
/// buffer. ``parse(header:bufferSize:)`` accepts a header only if:
/// - it is valid UTF-8, starts with `{`, is one JSON object (trailing whitespace allowed), nests at
///   most ``JSONParser/maxDepth`` levels and repeats no key in any object;
/// - each tensor entry has exactly the keys `dtype`, `shape`, `data_offsets`; the dtype is a
///   ``DType``; the shape holds integers in `0...Int.max`; `data_offsets` is two integers
///   `begin ≤ end`; and product(shape) × dtype size == end − begin, computed without overflow;
/// - sorted by offset, the tensors tile `0..<bufferSize` exactly: no gap, no overlap, no tail;
/// - `__metadata__`, if present, is an object whose values are all strings (or `null`, read as
///   empty, as the reference reader does).
struct HeaderLayout: Sendable, Equatable {
  /// Tensors sorted by `(begin, end, name)`.
  var tensors: [TensorLayout]
  var metadata: [String: String]

  /// The largest header accepted: 100 MB, as the reference implementation.
  static let maxHeaderLength = 100_000_000

  static func parse(header: [UInt8], bufferSize: Int) throws(SafeTensorsError) -> HeaderLayout {
    if let bad = StrictUTF8.firstInvalidOffset(header) {
      throw .headerNotUTF8(offset: bad)
    }
    guard header.first == UInt8(ascii: "{") else {
      let found = header.first.map { $0 >= 0x21 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte 0x\(String($0, radix: 16))" }
      throw .headerNotObject(found: found ?? "nothing")
    }
    let root: JSONValue
    do {
      root = try JSONParser.parse(header)
    } catch {
      switch error.kind {
      case .syntax(let reason): throw .malformedHeaderJSON(offset: error.offset, reason: reason)
      case .tooDeep(let limit): throw .headerNestingTooDeep(offset: error.offset, limit: limit)
      case .duplicateKey(let key): throw .duplicateKey(key, offset: error.offset)
      }
    }
    guard case .object(let members) = root else { throw .headerNotObject(found: root.kindDescription) }

    var tensors: [TensorLayout] = []
    var metadata: [String: String] = [:]
    for member in members {
      if member.key == "__metadata__" {
        metadata = try parseMetadata(member.value)
      } else {
        tensors.append(try parseEntry(name: member.key, member.value))
      }
    }
    tensors.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    try checkTiling(tensors, bufferSize: bufferSize)
    return HeaderLayout(tensors: tensors, metadata: metadata)
  }

  private static func parseMetadata(_ value: JSONValue) throws(SafeTensorsError) -> [String: String] {
    if value == .null { return [:] }  // the reference reader (serde `Option`) accepts null
    guard case .object(let members) = value else {
      throw .invalidMetadata(key: nil, reason: "must be an object of string values, found \(value.kindDescription)")
    }
    var metadata: [String: String] = [:]
    for member in members {
      guard case .string(let text) = member.value else {
        throw .invalidMetadata(key: member.key, reason: "value must be a string, found \(member.value.kindDescription)")
      }
      metadata[member.key] = text
    }
    return metadata
  }

  /// One tensor entry: `{"dtype": D, "shape": [d0, …], "data_offsets": [begin, end]}`, exactly
  /// those keys, with end − begin equal to the shape's byte count.
  private static func parseEntry(name: String, _ value: JSONValue) throws(SafeTensorsError) -> TensorLayout {
    let (dtypeValue, shapeValue, offsetsValue) = try entryMembers(name: name, value)
    guard case .string(let dtypeName) = dtypeValue else {
      throw .invalidTensorEntry(tensor: name, reason: "'dtype' must be a string, found \(dtypeValue.kindDescription)")
    }
    guard let dtype = DType(rawValue: dtypeName) else { throw .unsupportedDType(tensor: name, dtype: dtypeName) }
    let shape = try parseShape(name: name, shapeValue)
    let expected = try TensorEntry.byteCount(name: name, dtype: dtype, shape: shape)
    let (begin, end) = try parseOffsets(name: name, offsetsValue)
    guard begin <= end else { throw .invalidDataOffsets(tensor: name, reason: "begin \(begin) is after end \(end)") }
    guard end - begin == UInt64(expected) else {
      throw .byteCountMismatch(tensor: name, expected: expected, shape: shape, dtype: dtype, span: end - begin)
    }
    guard end <= UInt64(Int.max) else {
      throw .invalidDataOffsets(tensor: name, reason: "end \(end) is beyond any possible buffer")
    }
    return TensorLayout(name: name, dtype: dtype, shape: shape, begin: Int(begin), end: Int(end))
  }

  /// The values of an entry's three keys; any other key, or a missing one, is an error.
  private static func entryMembers(
    name: String, _ value: JSONValue
  ) throws(SafeTensorsError) -> (dtype: JSONValue, shape: JSONValue, offsets: JSONValue) {
    guard case .object(let members) = value else {
      throw .invalidTensorEntry(tensor: name, reason: "entry must be an object, found \(value.kindDescription)")
    }
    var dtypeValue: JSONValue?
    var shapeValue: JSONValue?
    var offsetsValue: JSONValue?
    for member in members {
      switch member.key {
      case "dtype": dtypeValue = member.value
      case "shape": shapeValue = member.value
      case "data_offsets": offsetsValue = member.value
      default:
        throw .invalidTensorEntry(
          tensor: name, reason: "unexpected key '\(SafeTensorsError.quoted(member.key))' (expected dtype, shape, data_offsets)")
      }
    }
    guard let dtypeValue else { throw .invalidTensorEntry(tensor: name, reason: "missing 'dtype'") }
    guard let shapeValue else { throw .invalidTensorEntry(tensor: name, reason: "missing 'shape'") }
    guard let offsetsValue else { throw .invalidTensorEntry(tensor: name, reason: "missing 'data_offsets'") }
    return (dtypeValue, shapeValue, offsetsValue)
  }

  /// `shape`: an array of integers in `0...Int.max`.
  private static func parseShape(name: String, _ value: JSONValue) throws(SafeTensorsError) -> [Int] {
    guard case .array(let dims) = value else {
      throw .invalidShape(tensor: name, reason: "must be an array, found \(value.kindDescription)")
    }
    var shape: [Int] = []
    shape.reserveCapacity(dims.count)
    for (axis, dim) in dims.enumerated() {
      guard case .number(let number) = dim, number.isPlainInteger else {
        throw .invalidShape(tensor: name, reason: "dimension \(axis) must be a non-negative integer, found \(dim.kindDescription)")
      }
      guard let v = number.unsignedValue, v <= UInt64(Int.max) else {
        throw .invalidShape(tensor: name, reason: "dimension \(axis) is too large: \(dim.kindDescription)")
      }
      shape.append(Int(v))
    }
    return shape
  }

  /// `data_offsets`: two non-negative integers that fit in a `UInt64` (their order is checked
  /// by the caller).
  private static func parseOffsets(name: String, _ value: JSONValue) throws(SafeTensorsError) -> (UInt64, UInt64) {
    guard case .array(let offsets) = value, offsets.count == 2 else {
      throw .invalidDataOffsets(tensor: name, reason: "must be an array of two integers [begin, end], found \(value.kindDescription)")
    }
    var bounds: [UInt64] = []
    for (index, offset) in offsets.enumerated() {
      guard case .number(let number) = offset, number.isPlainInteger else {
        throw .invalidDataOffsets(
          tensor: name, reason: "\(index == 0 ? "begin" : "end") must be a non-negative integer, found \(offset.kindDescription)")
      }
      guard let v = number.unsignedValue else {
        throw .invalidDataOffsets(tensor: name, reason: "\(index == 0 ? "begin" : "end") is too large: \(offset.kindDescription)")
      }
      bounds.append(v)
    }
    return (bounds[0], bounds[1])
  }

  /// Sorted tensors must cover `0..<bufferSize` exactly, each starting where the previous ends.
  private static func checkTiling(_ tensors: [TensorLayout], bufferSize: Int) throws(SafeTensorsError) {
    var position = 0
    var previous: TensorLayout?
    for tensor in tensors {
      if tensor.begin > position {
        throw .dataGap(tensor: tensor.name, expectedBegin: UInt64(position), begin: UInt64(tensor.begin))
      }
      if tensor.begin < position, let previous {
        throw .dataOverlap(tensor: tensor.name, previous: previous.name, begin: UInt64(tensor.begin), previousEnd: UInt64(position))
      }
      position = tensor.end
      previous = tensor
    }
    guard position == bufferSize else { throw .bufferSizeMismatch(declared: UInt64(position), actual: bufferSize) }
  }
}
