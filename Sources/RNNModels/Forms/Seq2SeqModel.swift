import NumericCore

/// An encoder–decoder (sequence-to-sequence) character model, optionally with attention:
///
///     encoder: Embedding(Vs, E) → L × cell(H) over the source → outputs S [Ts, H], last state
///     decoder: Embedding(Vt, E) → L × cell(H) over ⟨s⟩ y₁ … yₙ, starting from that state → h_t
///     without attention:  logits_t = W_out h_t + b_out
///     with attention (Luong, "general" score, no input feeding):
///       score_ts = h_tᵀ W_a s_s,  α_t = softmax_s(score_t),  c_t = Σ_s α_ts s_s,
///       h̃_t = tanh(W_c [c_t; h_t]),  logits_t = W_out h̃_t + b_out
///
/// Both halves are ``LanguageModel`` bodies (their cells, kernels, forward and backward); the
/// encoder's own output layer is never used, the decoder's is `W_out` `[Vt, H]`, `b_out` `[Vt]`.
/// Target token 0 is the marker that starts decoding (as input) and ends it (as output); target
/// character i is token i + 1. `attention` holds `W_a` `[H, H]` then `W_c` `[H, 2H]` (no biases).
/// Dropout p (training only) follows every recurrent layer, the top one included, as in the
/// language model. Not `Sendable`.
public final class Seq2SeqModel {
  public let sourceVocabulary: Vocabulary
  /// The target's characters (token i + 1 is `targetVocabulary.scalars[i]`).
  public let targetVocabulary: Vocabulary
  public let encoder: LanguageModel
  public let decoder: LanguageModel
  public let usesAttention: Bool
  /// `[H·H + H·2H]` (empty without attention): `W_a` then `W_c`, row-major.
  public let attention: FloatBuffer
  public let attentionGradients: FloatBuffer
  var workspaces: [Seq2SeqWorkspace.Key: Seq2SeqWorkspace] = [:]

  /// The cell, embedding, hidden and layer sizes and dropout, shared by both halves.
  public var cell: CellKind { encoder.config.cell }
  public var hidden: Int { encoder.config.hidden }
  public var layers: Int { encoder.config.layers }
  /// Encoder parameters in use: everything before its unused output layer.
  public var encoderCount: Int { encoder.layout.decoderWeight }
  public var decoderCount: Int { decoder.parameterCount }
  public var parameterCount: Int { encoderCount + decoderCount + attention.count }
  /// Vt: the target characters and the marker.
  public var targetTokenCount: Int { targetVocabulary.count + 1 }

  /// A fresh model with PyTorch's default initialisation (uniform ±1/√H for `W_a`, ±1/√(2H) for
  /// `W_c`, as `nn.Linear`) drawn from `seed`.
  public init(
    cell: CellKind, source: Vocabulary, target: Vocabulary, embed: Int, hidden: Int, layers: Int,
    dropout: Float = 0, attention: Bool, seed: UInt64
  ) throws(ModelError) {
    sourceVocabulary = source
    targetVocabulary = target
    encoder = try LanguageModel(
      config: ModelConfig(cell: cell, vocabSize: source.count, embed: embed, hidden: hidden, layers: layers, dropout: dropout),
      seed: seed)
    decoder = try LanguageModel(
      config: ModelConfig(
        cell: cell, vocabSize: target.count + 1, embed: embed, hidden: hidden, layers: layers, dropout: dropout),
      seed: seed ^ 0xDEC0)
    usesAttention = attention
    let H = hidden
    self.attention = FloatBuffer(count: attention ? 3 * H * H : 0)
    attentionGradients = FloatBuffer(count: self.attention.count)
    var rng = RandomGenerator(seed: seed ^ 0xA77E)
    for i in 0..<self.attention.count {
      let bound = 1 / Float(i < H * H ? H : 2 * H).squareRoot()
      self.attention.pointer[i] = rng.uniform(-bound, bound)
    }
  }

  /// `W_a` `[H, H]` and `W_c` `[H, 2H]` inside `attention` (or its gradients).
  var scoreWeight: UnsafeMutablePointer<Float> { attention.pointer }
  var combineWeight: UnsafeMutablePointer<Float> { attention.pointer + hidden * hidden }
  /// `W_out` `[Vt, H]` and `b_out` `[Vt]` inside the decoder's parameters.
  var outputWeight: UnsafeMutablePointer<Float> { decoder.parameters.pointer + decoder.layout.decoderWeight }
  var outputBias: UnsafeMutablePointer<Float> { decoder.parameters.pointer + decoder.layout.decoderBias }

  /// The source as indices, or nil if a character is not in the source vocabulary.
  public func encodeSource(_ text: String) -> [Int32]? {
    var out: [Int32] = []
    for s in text.unicodeScalars {
      guard let i = sourceVocabulary.index(of: s) else { return nil }
      out.append(Int32(i))
    }
    return out
  }

  /// The target as tokens (character i → i + 1), or nil if a character is not in the target vocabulary.
  public func encodeTarget(_ text: String) -> [Int32]? {
    var out: [Int32] = []
    for s in text.unicodeScalars {
      guard let i = targetVocabulary.index(of: s) else { return nil }
      out.append(Int32(i + 1))
    }
    return out
  }

  /// The text of target tokens (the marker, if any, left out).
  public func decodeTarget(_ tokens: [Int32]) -> String {
    var s = String.UnicodeScalarView()
    for t in tokens where t > 0 { s.append(targetVocabulary.scalars[Int(t) - 1]) }
    return String(s)
  }

  /// Whether every parameter is finite.
  public var parametersAreFinite: Bool {
    encoder.parametersAreFinite && decoder.parametersAreFinite && attention.array.allSatisfy(\.isFinite)
  }
}
