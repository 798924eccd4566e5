/// Typed, copying access to a tensor's elements (row-major). Each accessor checks the dtype and
/// throws ``SafeTensorsError/dtypeMismatch(tensor:stored:requested:)`` rather than reinterpreting.
extension TensorEntry {
  /// The elements as `T`; `T.dtype` must equal ``dtype``.
  public func values<T: TensorScalar>(as type: T.Type = T.self) throws(SafeTensorsError) -> [T] {
    guard T.dtype == dtype else { throw .dtypeMismatch(tensor: name, stored: dtype, requested: T.dtype) }
    let count = elementCount
    #if _endian(little)
      // Stored layout equals the in-memory layout of every numeric scalar: one copy. (Bool is
      // excluded: any non-zero byte must read as true.)
      if T.self != Bool.self {
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
          bytes.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
          }
          initialized = count
        }
      }
    #endif
    let size = dtype.byteSize
    return bytes.withUnsafeBytes { raw in
      (0..<count).map { T.load(from: raw, at: $0 * size) }
    }
  }

  /// F32 elements.
  public func floats() throws(SafeTensorsError) -> [Float] { try values(as: Float.self) }
  /// F64 elements.
  public func doubles() throws(SafeTensorsError) -> [Double] { try values(as: Double.self) }
  /// I64 elements.
  public func int64s() throws(SafeTensorsError) -> [Int64] { try values(as: Int64.self) }
  /// U64 elements.
  public func uint64s() throws(SafeTensorsError) -> [UInt64] { try values(as: UInt64.self) }
  /// I32 elements.
  public func int32s() throws(SafeTensorsError) -> [Int32] { try values(as: Int32.self) }
  /// U8 elements.
  public func uint8s() throws(SafeTensorsError) -> [UInt8] { try values(as: UInt8.self) }
  /// BOOL elements (non-zero byte = true).
  public func bools() throws(SafeTensorsError) -> [Bool] { try values(as: Bool.self) }

  /// Any floating-point dtype (F16, BF16, F32, F64) converted to `Float`: exact for F16, BF16 and
  /// F32; F64 is rounded to nearest. Throws for integer and BOOL tensors.
  public func floatsWidening() throws(SafeTensorsError) -> [Float] {
    switch dtype {
    case .f32: return try floats()
    case .f64: return try doubles().map { Float($0) }
    case .bf16:
      return bytes.withUnsafeBytes { raw in
        (0..<elementCount).map { Float(bitPattern: UInt32(UInt16.load(from: raw, at: $0 * 2)) << 16) }
      }
    case .f16:
      return bytes.withUnsafeBytes { raw in
        (0..<elementCount).map { Self.floatFromHalf(UInt16.load(from: raw, at: $0 * 2)) }
      }
    default:
      throw .dtypeMismatch(tensor: name, stored: dtype, requested: .f32)
    }
  }

  /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN payloads included).
  static func floatFromHalf(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h) & 0x3FF
    switch exponent {
    case 0:
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    case 0x1F:
      return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default:
      return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
  }
}
