import NumericCore

/// Unaligned 8-wide loads and stores, and their partial forms for the tail of a row, so each
/// element-wise kernel states its math once for `SIMD8<Float>` and runs it over any width.
@usableFromInline typealias Lane = SIMD8<Float>

@inline(__always) @usableFromInline
func load(_ p: UnsafePointer<Float>, _ n: Int) -> Lane {
  if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: Lane.self) }
  var v = Lane(repeating: 0)
  for i in 0..<n { v[i] = p[i] }
  return v
}

@inline(__always) @usableFromInline
func store(_ v: Lane, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
  if n >= 8 {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lane.self)
    return
  }
  for i in 0..<n { p[i] = v[i] }
}

@inline(__always) @usableFromInline
func load(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> Lane { load(UnsafePointer(p), n) }
