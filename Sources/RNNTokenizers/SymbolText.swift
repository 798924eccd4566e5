/// A text held as character ids (`ScalarAlphabet`), as a corpus stores it: one, two or four bytes
/// per id. The public entry points of symbol-level BPE take this and hand each case to one generic
/// implementation, specialized inside this module (callers in other modules would otherwise run it
/// unspecialized, several times slower).
public enum SymbolText {
  case bytes(UnsafeBufferPointer<UInt8>)
  case halfwords(UnsafeBufferPointer<UInt16>)
  case words(UnsafeBufferPointer<UInt32>)

  /// Number of ids.
  public var count: Int {
    switch self {
    case .bytes(let b): b.count
    case .halfwords(let b): b.count
    case .words(let b): b.count
    }
  }

  /// The first `n` ids (all of them when there are fewer).
  public func prefix(_ n: Int) -> SymbolText {
    switch self {
    case .bytes(let b): .bytes(UnsafeBufferPointer(rebasing: b.prefix(n)))
    case .halfwords(let b): .halfwords(UnsafeBufferPointer(rebasing: b.prefix(n)))
    case .words(let b): .words(UnsafeBufferPointer(rebasing: b.prefix(n)))
    }
  }
}

/// Token ids stored as narrowly as the vocabulary allows: one byte each for at most 256 tokens,
/// two for at most 65,536, four beyond.
public enum TokenArray {
  case bytes([UInt8])
  case halfwords([UInt16])
  case words([UInt32])
}
