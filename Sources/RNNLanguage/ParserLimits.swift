/// Bounds that keep hostile or accidental input from exhausting the stack or the terminal.
public struct ParserLimits: Sendable, Hashable {
  /// Deepest allowed nesting of lists and blocks together (`[[[…]]]`, `repeat 2 { repeat 2 { … } }`).
  public var maxNesting: Int
  /// Longest allowed source line, in bytes.
  public var maxLineLength: Int

  /// Most errors ``Parser/parseAll(_:limits:)`` reports before it stops with
  /// ``ParseErrorKind/tooManyErrors(limit:)``.
  public var maxErrors: Int

  /// Creates limits.
  public init(maxNesting: Int = 64, maxLineLength: Int = 100_000, maxErrors: Int = 100) {
    self.maxNesting = maxNesting
    self.maxLineLength = maxLineLength
    self.maxErrors = maxErrors
  }

  /// 64 levels of nesting, lines up to 100,000 bytes, 100 errors.
  public static let `default` = ParserLimits()
}
