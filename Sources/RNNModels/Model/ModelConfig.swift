/// The architecture of a character-level language model:
/// `Embedding(V, E) → L × cell(H) → Linear(H, V)`, with dropout `p` between layers and before the
/// decoder (training only), exactly as the PyTorch module
/// `nn.Embedding(V, E) → nn.RNN/LSTM/GRU(E, H, L, dropout=p) → nn.Dropout(p) → nn.Linear(H, V)`.
public struct ModelConfig: Sendable, Equatable, Codable {
  public var cell: CellKind
  /// V: vocabulary size (number of distinct Unicode scalars).
  public var vocabSize: Int
  /// E: embedding width.
  public var embed: Int
  /// H: hidden units per layer.
  public var hidden: Int
  /// L: stacked recurrent layers.
  public var layers: Int
  /// p: dropout probability in [0, 1).
  public var dropout: Float
  /// Weight tying (word_language_model's `--tied`, Press & Wolf 2017): the decoder's weight
  /// `[V, H]` is the encoder's `[V, E]` (one parameter; needs E = H).
  public var tied: Bool

  public init(
    cell: CellKind, vocabSize: Int, embed: Int, hidden: Int, layers: Int, dropout: Float = 0, tied: Bool = false
  ) {
    self.cell = cell
    self.vocabSize = vocabSize
    self.embed = embed
    self.hidden = hidden
    self.layers = layers
    self.dropout = dropout
    self.tied = tied
  }

  /// The input width D of layer `layer` (E for the first, H above it).
  public func inputSize(ofLayer layer: Int) -> Int { layer == 0 ? embed : hidden }

  /// Checks every size against sane bounds; the message names the setting and the allowed range.
  public func validate() throws(ModelError) {
    func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws(ModelError) {
      guard range.contains(value) else {
        throw .invalidConfig("\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
      }
    }
    try check("vocabulary size", vocabSize, 1...1_114_112)
    try check("embed", embed, 1...65_536)
    try check("hidden", hidden, 1...65_536)
    try check("layers", layers, 1...64)
    guard dropout >= 0, dropout < 1, dropout.isFinite else {
      throw .invalidConfig("dropout must be in [0, 1), got \(dropout)")
    }
    guard !tied || embed == hidden else {
      throw .invalidConfig("tied weights need embed equal to hidden (embed \(embed), hidden \(hidden))")
    }
    let count = ParameterLayout(config: self).totalCount
    guard count <= 1 << 31 else {
      throw .invalidConfig("the model would have \(count) parameters; the limit is 2^31")
    }
  }

  /// Floating-point operations per character for training (forward + backward), as design
  /// section 7 counts them: per layer `3 · 2·G·H·(D+H)`, plus `6·H·V` for the decoder.
  public var trainingFlopsPerCharacter: Double {
    var total = 0.0
    for layer in 0..<layers {
      let d = Double(inputSize(ofLayer: layer))
      total += 3 * 2 * Double(cell.gateCount) * Double(hidden) * (d + Double(hidden))
    }
    return total + 6 * Double(hidden) * Double(vocabSize)
  }
}

/// Errors from building, running or restoring a model.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidConfig(String)
  case shapeMismatch(String)
  case outOfVocabulary(characters: [String], context: String)
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .invalidConfig(let message): "invalid model configuration: \(message)"
    case .shapeMismatch(let message): message
    case .outOfVocabulary(let characters, let context):
      "\(context) contains characters outside the model's vocabulary: "
        + characters.map { $0.debugDescription }.joined(separator: ", ")
    case .invalidArgument(let message): message
    }
  }
}
