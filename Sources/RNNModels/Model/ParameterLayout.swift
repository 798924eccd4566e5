/// Where each named tensor lives in a model's single flat parameter buffer (and, identically, in
/// its gradient buffer and every optimizer slot). Names, shapes and order are PyTorch's for
/// `Embedding → RNN/LSTM/GRU → Linear`:
///
/// | name | shape |
/// |---|---|
/// | `encoder.weight` | [V, E] |
/// | `rnn.weight_ih_l{k}` | [G·H, D_k] (D_0 = E, else H) |
/// | `rnn.weight_hh_l{k}` | [G·H, H] |
/// | `rnn.bias_ih_l{k}` | [G·H] |
/// | `rnn.bias_hh_l{k}` | [G·H] |
/// | `decoder.weight` | [V, H] |
/// | `decoder.bias` | [V] |
///
/// All row-major; gate blocks of H rows in the cell's gate order (see `CellKind`). With tied
/// weights (`ModelConfig.tied`, E = H) there is no `decoder.weight` entry: `decoderWeight` is the
/// encoder's offset, so the one `[V, H]` block serves both, in the parameters, the gradients
/// (the decoder's and the embedding's gradients summed) and every optimizer slot.
/// `entry(named: "decoder.weight")` still finds it, at the encoder's offset.
public struct ParameterLayout: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    /// First element in the flat buffer.
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
  }

  /// Offsets of one recurrent layer's four tensors.
  public struct Layer: Sendable, Equatable {
    public let inputSize: Int
    public let weightIH: Int
    public let weightHH: Int
    public let biasIH: Int
    public let biasHH: Int
  }

  public let entries: [Entry]
  public let totalCount: Int
  public let encoder: Int
  public let layers: [Layer]
  public let decoderWeight: Int
  public let decoderBias: Int

  public init(config: ModelConfig) {
    let v = config.vocabSize, e = config.embed, h = config.hidden
    let gh = config.cell.gateCount * h
    var entries: [Entry] = []
    var offset = 0
    func add(_ name: String, _ shape: [Int]) -> Int {
      let entry = Entry(name: name, shape: shape, offset: offset)
      entries.append(entry)
      offset += entry.count
      return entry.offset
    }
    encoder = add("encoder.weight", [v, e])
    var layers: [Layer] = []
    for k in 0..<config.layers {
      let d = config.inputSize(ofLayer: k)
      let wih = add("rnn.weight_ih_l\(k)", [gh, d])
      let whh = add("rnn.weight_hh_l\(k)", [gh, h])
      let bih = add("rnn.bias_ih_l\(k)", [gh])
      let bhh = add("rnn.bias_hh_l\(k)", [gh])
      layers.append(Layer(inputSize: d, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh))
    }
    decoderWeight = config.tied ? encoder : add("decoder.weight", [v, h])
    decoderBias = add("decoder.bias", [v])
    self.layers = layers
    self.entries = entries
    self.totalCount = offset
  }

  /// The entry called `name`, if the layout has one.
  public func entry(named name: String) -> Entry? {
    if let entry = entries.first(where: { $0.name == name }) { return entry }
    guard name == "decoder.weight", tied else { return nil }
    return Entry(name: name, shape: [entries[0].shape[0], entries[0].shape[1]], offset: encoder)
  }

  /// Whether `decoder.weight` is `encoder.weight` (tied weights).
  public var tied: Bool { decoderWeight == encoder }
}
