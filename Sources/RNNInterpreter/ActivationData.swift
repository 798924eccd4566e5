/// The numbers behind the last `activations` a statement showed, for a front end that draws the
/// coloured text itself (the web page of `serve`): the text, and per token the raw activation and
/// its shade in −1…1 (as ``ActivationRendering/normalised(_:series:)`` gives it).
public struct ActivationData: Sendable, Equatable {
  /// "m layer 1 h unit 3".
  public var title: String
  /// The text the model read.
  public var text: String
  /// The raw activation after each token (one per character for character models).
  public var raw: [Float]
  /// The shade of each, in −1…1 (blue … white … red).
  public var shades: [Double]
}
