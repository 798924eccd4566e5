/// A fixed-size, 64-byte-aligned, zero-initialised block of `Float`s that the hot paths address by
/// pointer. Owned by one object (a model's workspace or parameter store); never resized, so
/// pointers taken from it stay valid for its lifetime. Not `Sendable`: it is mutable shared memory.
public final class FloatBuffer {
  public let count: Int
  public let pointer: UnsafeMutablePointer<Float>

  public init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
  }

  /// A buffer holding a copy of `values`.
  public convenience init(_ values: [Float]) {
    self.init(count: values.count)
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
  }

  deinit { pointer.deallocate() }

  public subscript(i: Int) -> Float {
    get { pointer[i] }
    set { pointer[i] = newValue }
  }

  /// Sets every element to zero.
  public func zero() { pointer.update(repeating: 0, count: count) }

  /// Copies all elements from `other`, which must have the same count.
  public func copy(from other: FloatBuffer) {
    precondition(other.count == count, "buffer size mismatch")
    pointer.update(from: other.pointer, count: count)
  }

  /// The elements as an array (a copy).
  public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

  /// A view of `count` elements starting at `offset`.
  @inlinable
  public func slice(_ offset: Int, _ length: Int) -> UnsafeMutableBufferPointer<Float> {
    precondition(offset >= 0 && offset + length <= count, "slice out of range")
    return UnsafeMutableBufferPointer(start: pointer + offset, count: length)
  }
}
