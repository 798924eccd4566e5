/// A hash set of short byte strings, each given a dense index in insertion order (0, 1, 2, …):
/// the unique pre-tokens of a text when training, the encoder's cache when encoding. Keys live in one
/// byte arena, so looking up a slice of a larger buffer allocates nothing.
struct ByteSliceTable {
  /// The keys' bytes, back to back.
  private(set) var arena: [UInt8] = []
  /// Key `k` is `arena[starts[k]..<starts[k] + lengths[k]]`.
  private(set) var starts: [Int32] = []
  private(set) var lengths: [Int32] = []
  private var hashes: [UInt64] = []
  /// Open addressing, linear probing, power-of-two size: 0 for an empty slot, else the high 32 bits
  /// of the key's hash above its index + 1, so a probe compares bytes only when the tags agree.
  private var slots: [UInt64]

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [UInt64](repeating: 0, count: size)
  }

  @inline(__always)
  private static func tag(_ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 }

  var count: Int { starts.count }

  /// FNV-1a 64 with a final avalanche (short keys hash in a few nanoseconds).
  @inline(__always)
  static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
    h ^= h >> 29
    h = h &* 0xbf58_476d_1ce4_e5b9
    return h ^ (h >> 32)
  }

  /// The index of the key equal to `p[0..<n]`, or nil.
  @inline(__always)
  func find(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> Int? {
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    let tag = Self.tag(h)
    return slots.withUnsafeBufferPointer { slots in
      while true {
        let v = slots[s]
        if v == 0 { return nil }
        if v & 0xFFFF_FFFF_0000_0000 == tag {
          let k = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
          if equal(k, p, n) { return k }
        }
        s = (s + 1) & mask
      }
    }
  }

  /// The index of the key equal to `p[0..<n]`, inserting it if new.
  @inline(__always)
  mutating func findOrInsert(_ p: UnsafePointer<UInt8>, _ n: Int) -> (index: Int, inserted: Bool) {
    let h = Self.hash(p, n)
    if let k = find(p, n, hash: h) { return (k, false) }
    let k = count
    starts.append(Int32(arena.count))
    lengths.append(Int32(n))
    hashes.append(h)
    arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    if count * 2 > slots.count { grow() } else { place(k, hash: h) }
    return (k, true)
  }

  /// The bytes of key `k`.
  func key(_ k: Int) -> ArraySlice<UInt8> { arena[Int(starts[k])..<Int(starts[k] + lengths[k])] }

  /// Forgets every key (keeps the allocated capacity).
  mutating func removeAll() {
    arena.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    lengths.removeAll(keepingCapacity: true)
    hashes.removeAll(keepingCapacity: true)
    for i in slots.indices { slots[i] = 0 }
  }

  @inline(__always)
  private func equal(_ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    guard Int(lengths[k]) == n else { return false }
    return arena.withUnsafeBufferPointer { a in
      let start = Int(starts[k])
      for i in 0..<n where a[start + i] != p[i] { return false }
      return true
    }
  }

  private mutating func place(_ k: Int, hash h: UInt64) {
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while slots[s] != 0 { s = (s + 1) & mask }
    slots[s] = Self.tag(h) | UInt64(k + 1)
  }

  private mutating func grow() {
    slots = [UInt64](repeating: 0, count: slots.count * 2)
    for k in 0..<count { place(k, hash: hashes[k]) }
  }
}
