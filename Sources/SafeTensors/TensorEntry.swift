/// One named tensor: dtype, shape and its raw little-endian bytes, row-major (C order), exactly
/// as they sit in the file's data buffer.
///
/// Invariants (checked by every public initializer, so a value can always be encoded):
/// - `name` is not `"__metadata__"`;
/// - every dimension of `shape` is ≥ 0 (an empty shape is a scalar with one element);
/// - `bytes.count == product(shape) × dtype.byteSize`, computed without overflow.
public struct TensorEntry: Sendable, Equatable {
  public let name: String
  public let dtype: DType
  public let shape: [Int]
  public let bytes: [UInt8]

  /// Number of elements: the product of `shape` (1 for a scalar).
  public var elementCount: Int { bytes.count / dtype.byteSize }

  /// A tensor from raw little-endian bytes.
  public init(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) throws(SafeTensorsError) {
    try Self.checkName(name)
    let expected = try Self.byteCount(name: name, dtype: dtype, shape: shape)
    guard expected == bytes.count else {
      throw .valueCountMismatch(
        tensor: name, shape: shape, expected: expected / dtype.byteSize, actual: bytes.count / dtype.byteSize)
    }
    self.init(unchecked: name, dtype: dtype, shape: shape, bytes: bytes)
  }

  /// A tensor from typed values in row-major order; the dtype is `T.dtype`.
  public init<T: TensorScalar>(name: String, shape: [Int], values: [T]) throws(SafeTensorsError) {
    try Self.checkName(name)
    let byteCount = try Self.byteCount(name: name, dtype: T.dtype, shape: shape)
    let expected = byteCount / T.dtype.byteSize
    guard values.count == expected else {
      throw .valueCountMismatch(tensor: name, shape: shape, expected: expected, actual: values.count)
    }
    let size = T.dtype.byteSize
    let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, count in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      #if _endian(little)
        if T.self != Bool.self {  // numeric scalars are stored exactly as they sit in memory
          values.withUnsafeBytes { raw.copyMemory(from: $0) }
          count = byteCount
          return
        }
      #endif
      for (index, value) in values.enumerated() { value.store(into: raw, at: index * size) }
      count = byteCount
    }
    self.init(unchecked: name, dtype: T.dtype, shape: shape, bytes: bytes)
  }

  /// A one-dimensional tensor `[values.count]`.
  public init<T: TensorScalar>(name: String, values: [T]) throws(SafeTensorsError) {
    try self.init(name: name, shape: [values.count], values: values)
  }

  /// For the decoder, which has validated everything already.
  init(unchecked name: String, dtype: DType, shape: [Int], bytes: [UInt8]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  static func checkName(_ name: String) throws(SafeTensorsError) {
    if name == "__metadata__" {
      throw .reservedName(name, reason: "the header uses it for the metadata map, not a tensor")
    }
  }

  /// product(shape) × dtype.byteSize, or an error for a negative dimension or overflow.
  static func byteCount(name: String, dtype: DType, shape: [Int]) throws(SafeTensorsError) -> Int {
    var total = dtype.byteSize
    for (axis, dim) in shape.enumerated() {
      guard dim >= 0 else { throw .invalidShape(tensor: name, reason: "dimension \(axis) is \(dim), must be ≥ 0") }
      let (product, overflow) = total.multipliedReportingOverflow(by: dim)
      guard !overflow else { throw .byteSizeOverflow(tensor: name, shape: shape, dtype: dtype) }
      total = product
    }
    return total
  }
}
