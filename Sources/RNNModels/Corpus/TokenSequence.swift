/// A text as token indices, stored compactly: one byte per character when the vocabulary has at
/// most 256 entries, two bytes up to 65,536, four beyond. A sequence may be a view of part of a
/// larger storage array (`slice` shares it), so the splits of a corpus cost no extra memory.
public struct TokenSequence: Sendable, Equatable {
  /// The token array this sequence is a view into (possibly shared with other sequences).
  public enum Storage: Sendable, Equatable {
    case bytes([UInt8])
    case halfwords([UInt16])
    case words([UInt32])
  }

  public let storage: Storage
  /// Index in `storage` of this sequence's first token.
  public let offset: Int
  /// Number of tokens.
  public let count: Int

  public init(tokens: [Int32], vocabularySize: Int) {
    if vocabularySize <= 256 {
      self.init(storage: .bytes(tokens.map { UInt8(truncatingIfNeeded: $0) }))
    } else if vocabularySize <= 65_536 {
      self.init(storage: .halfwords(tokens.map { UInt16(truncatingIfNeeded: $0) }))
    } else {
      self.init(storage: .words(tokens.map { UInt32(bitPattern: $0) }))
    }
  }

  /// The whole of `storage`.
  public init(storage: Storage) {
    let count: Int
    switch storage {
    case .bytes(let a): count = a.count
    case .halfwords(let a): count = a.count
    case .words(let a): count = a.count
    }
    self.init(storage: storage, offset: 0, count: count)
  }

  init(storage: Storage, offset: Int, count: Int) {
    self.storage = storage
    self.offset = offset
    self.count = count
  }

  /// Bytes per token in memory.
  public var bytesPerToken: Int {
    switch storage {
    case .bytes: 1
    case .halfwords: 2
    case .words: 4
    }
  }

  @inlinable
  public subscript(i: Int) -> Int32 {
    precondition(i >= 0 && i < count, "token index out of range")
    switch storage {
    case .bytes(let a): return Int32(a[offset + i])
    case .halfwords(let a): return Int32(a[offset + i])
    case .words(let a): return Int32(bitPattern: a[offset + i])
    }
  }

  /// The tokens in `range` (indices of this sequence): a view sharing the storage, not a copy.
  public func slice(_ range: Range<Int>) -> TokenSequence {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of range")
    return TokenSequence(storage: storage, offset: offset + range.lowerBound, count: range.count)
  }

  /// Copies `count` tokens starting at `start` into `out` as `Int32`.
  @inlinable
  public func copy(from start: Int, count n: Int, to out: UnsafeMutablePointer<Int32>, stride: Int = 1) {
    precondition(start >= 0 && n >= 0 && start + n <= count, "copy out of range")
    let base = offset + start
    switch storage {
    case .bytes(let a): for i in 0..<n { out[i * stride] = Int32(a[base + i]) }
    case .halfwords(let a): for i in 0..<n { out[i * stride] = Int32(a[base + i]) }
    case .words(let a): for i in 0..<n { out[i * stride] = Int32(bitPattern: a[base + i]) }
    }
  }

  /// All tokens as `Int32`.
  public var array: [Int32] { (0..<count).map { self[$0] } }

  /// Equal when the tokens are (whatever the storage width or what else the storage holds).
  public static func == (a: TokenSequence, b: TokenSequence) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
  }
}
