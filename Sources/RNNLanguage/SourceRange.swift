/// A half-open range of UTF-8 byte offsets into a ``SourceFile``.
///
/// Every token and AST node carries one. Line and column are not stored: they are computed only
/// when something is printed, by a ``SourceLocationConverter``.
public struct SourceRange: Sendable, Hashable {
  /// Offset of the first byte.
  public var start: Int
  /// Offset one past the last byte (`start == end` for an empty range, e.g. end of input).
  public var end: Int

  /// Creates a range; `end` is clamped so that it is never below `start`.
  public init(start: Int, end: Int) {
    self.start = start
    self.end = Swift.max(start, end)
  }

  /// Creates a range from a Swift range of byte offsets.
  public init(_ range: Range<Int>) {
    self.init(start: range.lowerBound, end: range.upperBound)
  }

  /// Number of bytes covered.
  public var length: Int { end - start }

  /// The smallest range covering both `self` and `other`.
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
  }
}
