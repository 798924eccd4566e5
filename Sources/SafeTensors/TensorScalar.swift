/// A Swift element type with a fixed safetensors dtype and a little-endian byte encoding.
///
/// Conformances: `Float` (F32), `Double` (F64), `Int64` (I64), `Int32` (I32), `Int16` (I16),
/// `Int8` (I8), `UInt64` (U64), `UInt32` (U32), `UInt16` (U16), `UInt8` (U8), `Bool` (BOOL, one
/// byte, written as 0/1, read as "non-zero is true"). F16/BF16 have no Swift scalar here; use
/// ``TensorEntry/bytes`` or ``TensorEntry/floatsWidening()``.
public protocol TensorScalar: Sendable {
  /// The dtype this type is stored as.
  static var dtype: DType { get }
  /// Reads one element stored little-endian at `offset` (no alignment needed).
  static func load(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Self
  /// Writes this element little-endian at `offset` (no alignment needed).
  func store(into bytes: UnsafeMutableRawBufferPointer, at offset: Int)
}

extension TensorScalar where Self: FixedWidthInteger {
  public static func load(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Self {
    Self(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Self.self))
  }
  public func store(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
    bytes.storeBytes(of: littleEndian, toByteOffset: offset, as: Self.self)
  }
}

extension Int64: TensorScalar { public static var dtype: DType { .i64 } }
extension Int32: TensorScalar { public static var dtype: DType { .i32 } }
extension Int16: TensorScalar { public static var dtype: DType { .i16 } }
extension Int8: TensorScalar { public static var dtype: DType { .i8 } }
extension UInt64: TensorScalar { public static var dtype: DType { .u64 } }
extension UInt32: TensorScalar { public static var dtype: DType { .u32 } }
extension UInt16: TensorScalar { public static var dtype: DType { .u16 } }
extension UInt8: TensorScalar { public static var dtype: DType { .u8 } }

extension Float: TensorScalar {
  public static var dtype: DType { .f32 }
  public static func load(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
    Float(bitPattern: UInt32.load(from: bytes, at: offset))
  }
  public func store(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
    bitPattern.store(into: bytes, at: offset)
  }
}

extension Double: TensorScalar {
  public static var dtype: DType { .f64 }
  public static func load(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Double {
    Double(bitPattern: UInt64.load(from: bytes, at: offset))
  }
  public func store(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
    bitPattern.store(into: bytes, at: offset)
  }
}

extension Bool: TensorScalar {
  public static var dtype: DType { .bool }
  public static func load(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    bytes[offset] != 0
  }
  public func store(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
    bytes[offset] = self ? 1 : 0
  }
}
