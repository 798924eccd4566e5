import NumericCore

/// A character-level language model `Embedding(V, E) → L × cell(H) → Linear(H, V)` with all its
/// parameters in one flat buffer (layout: `ParameterLayout`) and a gradient buffer of the same
/// layout. Not `Sendable`: it owns mutable buffers and belongs to one session.
public final class LanguageModel {
  public let config: ModelConfig
  public let layout: ParameterLayout
  /// All parameters, flat, in `layout` order.
  public let parameters: FloatBuffer
  /// ∂loss/∂parameters of the last `backward`, same layout.
  public let gradients: FloatBuffer

  /// A freshly initialised model (PyTorch's default initialisation, from `seed`).
  public init(config: ModelConfig, seed: UInt64) throws(ModelError) {
    try config.validate()
    self.config = config
    layout = ParameterLayout(config: config)
    parameters = FloatBuffer(count: layout.totalCount)
    gradients = FloatBuffer(count: layout.totalCount)
    var rng = RandomGenerator(seed: seed)
    Initialization.pytorchDefault(config: config, layout: layout, into: parameters.pointer, rng: &rng)
  }

  /// A model with the given flat parameters (in `ParameterLayout` order).
  public init(config: ModelConfig, parameters values: [Float]) throws(ModelError) {
    try config.validate()
    self.config = config
    layout = ParameterLayout(config: config)
    guard values.count == layout.totalCount else {
      throw .shapeMismatch("expected \(layout.totalCount) parameters for this configuration, got \(values.count)")
    }
    parameters = FloatBuffer(values)
    gradients = FloatBuffer(count: layout.totalCount)
  }

  /// A deep copy (parameters only; gradients start at zero).
  public func copy() -> LanguageModel {
    // The configuration was validated when `self` was made, so this cannot throw.
    try! LanguageModel(config: config, parameters: parameters.array)
  }

  public var parameterCount: Int { layout.totalCount }

  /// The values of the tensor called `name` (a copy), e.g. `"rnn.weight_hh_l0"`.
  public func tensor(named name: String) -> [Float]? {
    guard let entry = layout.entry(named: name) else { return nil }
    return Array(UnsafeBufferPointer(start: parameters.pointer + entry.offset, count: entry.count))
  }

  /// Replaces the tensor called `name`; the count must match its shape.
  public func setTensor(named name: String, to values: [Float]) throws(ModelError) {
    guard let entry = layout.entry(named: name) else { throw .shapeMismatch("no tensor named \(name)") }
    guard values.count == entry.count else {
      throw .shapeMismatch("\(name) has \(entry.count) elements (shape \(entry.shape)), got \(values.count)")
    }
    values.withUnsafeBufferPointer { (parameters.pointer + entry.offset).update(from: $0.baseAddress!, count: entry.count) }
  }

  /// Whether every parameter is finite.
  public var parametersAreFinite: Bool {
    let p = parameters.pointer
    for i in 0..<parameters.count where !p[i].isFinite { return false }
    return true
  }
}
