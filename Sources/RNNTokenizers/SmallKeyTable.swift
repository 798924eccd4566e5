/// A hash map from short byte strings (at most 7 bytes, packed into one `UInt64` with their length)
/// to a `UInt64` value: a probe reads one 16-byte entry (key and value side by side), with no key
/// bytes elsewhere to compare, so the common short pieces of a text cost one cache line to look up.
/// Longer keys go to a `ByteSliceTable` (`SmallKeyTable.key` says which).
struct SmallKeyTable {
  /// Open addressing, linear probing, power-of-two number of slots; slot `s` is
  /// `entries[2s]` (the key; 0 when empty: a packed key holds its length, at least 1, in its top
  /// byte) and `entries[2s + 1]` (the value).
  private var entries: [UInt64]
  private(set) var count = 0

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    entries = [UInt64](repeating: 0, count: 2 * size)
  }

  /// `p[0..<n]` packed with its length, or nil when it is longer than 7 bytes (or empty).
  @inline(__always)
  static func key(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
    guard n >= 1 && n <= 7 else { return nil }
    var k = UInt64(n) << 56
    for i in 0..<n { k |= UInt64(p[i]) << (8 * i) }
    return k
  }

  @inline(__always)
  private static func slot(_ key: UInt64, _ mask: Int) -> Int {
    var h = key &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
    return Int(truncatingIfNeeded: h) & mask
  }

  /// The value of `key`, or nil.
  @inline(__always)
  func find(_ key: UInt64) -> UInt64? {
    entries.withUnsafeBufferPointer { e in
      let mask = e.count / 2 - 1
      var s = Self.slot(key, mask)
      while true {
        let k = e[2 * s]
        if k == key { return e[2 * s + 1] }
        if k == 0 { return nil }
        s = (s + 1) & mask
      }
    }
  }

  /// Sets the value of `key` (inserting it if new).
  mutating func set(_ key: UInt64, _ value: UInt64) {
    let mask = entries.count / 2 - 1
    var s = Self.slot(key, mask)
    while entries[2 * s] != 0 && entries[2 * s] != key { s = (s + 1) & mask }
    if entries[2 * s] == 0 { count += 1 }
    entries[2 * s] = key
    entries[2 * s + 1] = value
    if count * 4 > entries.count { grow() }
  }

  /// Forgets every key (keeps the allocated capacity).
  mutating func removeAll() {
    for i in entries.indices { entries[i] = 0 }
    count = 0
  }

  private mutating func grow() {
    let old = entries
    entries = [UInt64](repeating: 0, count: old.count * 2)
    count = 0
    for s in 0..<(old.count / 2) where old[2 * s] != 0 { set(old[2 * s], old[2 * s + 1]) }
  }
}

/// A `SmallKeyTable` in two tiers: the first `hotLimit` keys inserted (in a text, its most common
/// pieces are nearly all among the first distinct ones seen) in a table of 32 KiB that stays in the
/// core's nearest caches, the rest behind it. Most lookups touch only the small tier.
struct TieredKeyTable {
  static let hotLimit = 1024
  private var hot = SmallKeyTable(capacity: hotLimit)
  private var rest: SmallKeyTable

  init(capacity: Int) { rest = SmallKeyTable(capacity: max(16, capacity - Self.hotLimit)) }

  var count: Int { hot.count + rest.count }

  /// The value of `key`, or nil.
  @inline(__always)
  func find(_ key: UInt64) -> UInt64? { hot.find(key) ?? (rest.count == 0 ? nil : rest.find(key)) }

  /// Sets the value of `key` (inserting it if new: into the small tier while it has room).
  mutating func set(_ key: UInt64, _ value: UInt64) {
    if hot.find(key) != nil || hot.count < Self.hotLimit {
      hot.set(key, value)
    } else {
      rest.set(key, value)
    }
  }

  /// Forgets every key (keeps the allocated capacity).
  mutating func removeAll() {
    hot.removeAll()
    rest.removeAll()
  }
}
