/// The caps on what one request may ask for.
public struct ServeLimits: Sendable {
  /// Largest request body, in bytes (413 beyond).
  public var bodyBytes = 65_536
  /// Longest sample a request may ask for, in characters (413 beyond).
  public var sampleLength = 10_000
  /// Longest text for `activations` and `eval`, in characters (413 beyond).
  public var textCharacters = 20_000

  public init() {}
}
