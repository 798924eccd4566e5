/// The element types a safetensors file may declare, spelled as in the header's `"dtype"` field.
///
/// Every dtype is stored little-endian. `BOOL` is one byte per element (0 = false, anything else
/// true, as PyTorch reads it). `F16` is IEEE 754 binary16; `BF16` is the upper half of a binary32.
/// The 8-bit float and sub-byte dtypes of newer safetensors versions are not supported and are
/// rejected with ``SafeTensorsError/unsupportedDType(tensor:dtype:)``.
public enum DType: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  case f64 = "F64"
  case f32 = "F32"
  case f16 = "F16"
  case bf16 = "BF16"
  case i64 = "I64"
  case i32 = "I32"
  case i16 = "I16"
  case i8 = "I8"
  case u64 = "U64"
  case u32 = "U32"
  case u16 = "U16"
  case u8 = "U8"
  case bool = "BOOL"

  /// Size of one element in bytes (1, 2, 4 or 8).
  public var byteSize: Int {
    switch self {
    case .f64, .i64, .u64: 8
    case .f32, .i32, .u32: 4
    case .f16, .bf16, .i16, .u16: 2
    case .i8, .u8, .bool: 1
    }
  }

  /// Natural alignment of an element; equal to ``byteSize`` for every supported dtype.
  public var alignment: Int { byteSize }

  public var description: String { rawValue }

  /// Position in the reference Rust implementation's `Dtype` enum (BOOL < U8 < I8 < I16 < U16 <
  /// F16 < BF16 < I32 < U32 < F32 < F64 < I64 < U64). Its writer sorts tensors by this, descending,
  /// then by name; following it makes our files byte-identical to Python's `save_file` output.
  var referenceRank: Int {
    switch self {
    case .bool: 0
    case .u8: 1
    case .i8: 2
    case .i16: 3
    case .u16: 4
    case .f16: 5
    case .bf16: 6
    case .i32: 7
    case .u32: 8
    case .f32: 9
    case .f64: 10
    case .i64: 11
    case .u64: 12
    }
  }
}
