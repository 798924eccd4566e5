import RNNModels

/// The numbers behind what the last command printed, for a front end that draws them itself (the
/// web page of `serve`) instead of reading the printed lines. A command that has such numbers sets
/// ``Interpreter/lastData`` as it prints; every command starts with it cleared.
public enum CommandData: Sendable, Equatable {
  /// `activations`: the coloured text.
  case activations(ActivationData)
  /// `saturation`: one row per gate block of every layer.
  case saturation(SaturationData)
  /// `gradients`: one curve per model.
  case gradients(GradientData)
  /// `cells`: the units ranked.
  case cells(CellRanking)
  /// `classify`: one result per text.
  case classifications([Classification])
  /// `translate`: one result per text.
  case translations([Translation])
  /// `tag`: the text's tags.
  case tags(Tagging)
  /// `sample` from a generator: the words drawn for each label.
  case words([GeneratedWords])
}

/// `saturation MODEL`: the statistics of every gate block (``GateSaturation``, layer by layer in
/// gate order) over `characters` characters of `label`.
public struct SaturationData: Sendable, Equatable {
  public var model: String
  /// `lstm`, `gru` or `rnn`.
  public var cell: String
  public var label: String
  public var characters: Int
  /// Units per layer.
  public var hidden: Int
  public var rows: [GateSaturation]
}

/// `gradients MODEL…`: for each model, the mean ‖∂L_t/∂h_(t−k)‖ for k = 0…`steps`.
public struct GradientData: Sendable, Equatable {
  public struct Curve: Sendable, Equatable {
    public var model: String
    public var cell: String
    /// `[steps + 1]`: entry k is the mean norm k steps back.
    public var norms: [Double]
    /// How many injection steps t each norm averages.
    public var samples: Int
  }

  public var label: String
  public var steps: Int
  public var curves: [Curve]
}

/// `cells MODEL`: the `top` units by |r| with `property`, strongest first.
public struct CellRanking: Sendable, Equatable {
  public var model: String
  public var property: String
  public var label: String
  public var characters: Int
  public var units: [UnitCorrelation]
}

/// `classify`: the labels of one text with their probabilities, most likely first.
public struct Classification: Sendable, Equatable {
  public var text: String
  public var labels: [String]
  public var probabilities: [Double]
}

/// `translate`: one text's translation and its log-probability (nats).
public struct Translation: Sendable, Equatable {
  public var text: String
  public var translation: String
  public var logProbability: Double
}

/// `tag`: per character of `text`, the most likely tag and the probability of not being the
/// background (the first tag, `tags[0]`).
public struct Tagging: Sendable, Equatable {
  public var text: String
  public var tags: [String]
  /// `[characters]`: an index into `tags`.
  public var best: [Int]
  /// `[characters]`: 1 − p(background).
  public var tagged: [Double]
}

/// `sample GENERATOR`: the words drawn for one label.
public struct GeneratedWords: Sendable, Equatable {
  public var label: String
  public var words: [String]
}
