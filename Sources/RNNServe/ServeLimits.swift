/// The caps on what one request may ask for.
public struct ServeLimits: Sendable {
  /// Largest request body, in bytes (413 beyond).
  public var bodyBytes = 65_536
  /// Longest sample a request may ask for, in characters (413 beyond).
  public var sampleLength = 10_000
  /// Longest text (or `limit`) for the analysis endpoints, `eval`, `classify`, `translate` and `tag`, in characters (413 beyond).
  public var textCharacters = 20_000
  /// Most words a generator's sample may draw per label (413 beyond).
  public var sampleCount = 100
  /// Largest distance k of a gradient-flow chart (413 beyond): its cost grows with k².
  public var gradientSteps = 200

  public init() {}
}
