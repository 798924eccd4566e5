/// A number as written in the source: its value and its spelling.
public struct NumberLiteral: Sendable, Hashable {
  /// The value (always finite).
  public var value: Double
  /// The source spelling, e.g. `2e-3`, `-1`, `.5`.
  public var text: String

  /// Creates a literal.
  public init(value: Double, text: String) {
    self.value = value
    self.text = text
  }

  /// True when written without a fraction or exponent (`500`, `-1`).
  public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

  /// The value as an `Int` when written as an integer that fits, else `nil`.
  public var intValue: Int? { isInteger ? Int(text) : nil }
}

/// A duration such as `30s`, `2m`, `1.5h` or `500ms`, kept in seconds.
public struct DurationLiteral: Sendable, Hashable {
  /// Length in seconds (finite, not negative).
  public var seconds: Double
  /// The source spelling, e.g. `1.5h`.
  public var text: String

  /// Creates a literal.
  public init(seconds: Double, text: String) {
    self.seconds = seconds
    self.text = text
  }

  /// Seconds per unit for each accepted unit suffix.
  public static let units: [(suffix: String, seconds: Double)] = [
    ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600),
  ]
}
