/// A text as token indices, stored compactly: one byte per character when the vocabulary has at
/// most 256 entries, two bytes up to 65,536, four beyond.
public struct TokenSequence: Sendable, Equatable {
  public enum Storage: Sendable, Equatable {
    case bytes([UInt8])
    case halfwords([UInt16])
    case words([UInt32])
  }

  public let storage: Storage

  public init(tokens: [Int32], vocabularySize: Int) {
    if vocabularySize <= 256 {
      storage = .bytes(tokens.map { UInt8(truncatingIfNeeded: $0) })
    } else if vocabularySize <= 65_536 {
      storage = .halfwords(tokens.map { UInt16(truncatingIfNeeded: $0) })
    } else {
      storage = .words(tokens.map { UInt32(bitPattern: $0) })
    }
  }

  public init(storage: Storage) { self.storage = storage }

  public var count: Int {
    switch storage {
    case .bytes(let a): a.count
    case .halfwords(let a): a.count
    case .words(let a): a.count
    }
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
    switch storage {
    case .bytes(let a): Int32(a[i])
    case .halfwords(let a): Int32(a[i])
    case .words(let a): Int32(bitPattern: a[i])
    }
  }

  /// The tokens in `range` as a new sequence of the same width.
  public func slice(_ range: Range<Int>) -> TokenSequence {
    switch storage {
    case .bytes(let a): TokenSequence(storage: .bytes(Array(a[range])))
    case .halfwords(let a): TokenSequence(storage: .halfwords(Array(a[range])))
    case .words(let a): TokenSequence(storage: .words(Array(a[range])))
    }
  }

  /// Copies `count` tokens starting at `start` into `out` as `Int32`.
  @inlinable
  public func copy(from start: Int, count n: Int, to out: UnsafeMutablePointer<Int32>, stride: Int = 1) {
    switch storage {
    case .bytes(let a): for i in 0..<n { out[i * stride] = Int32(a[start + i]) }
    case .halfwords(let a): for i in 0..<n { out[i * stride] = Int32(a[start + i]) }
    case .words(let a): for i in 0..<n { out[i * stride] = Int32(bitPattern: a[start + i]) }
    }
  }

  /// All tokens as `Int32`.
  public var array: [Int32] { (0..<count).map { self[$0] } }
}
