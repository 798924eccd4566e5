/// The recurrent state carried from one chunk to the next: `h` (and for the LSTM `c`) of every
/// layer for every stream, laid out `[L, B, H]` row-major. Carried forward forever during
/// training ("truncated BPTT"), but gradients never flow through it into an earlier chunk.
public struct HiddenState: Sendable, Equatable {
  public var layers: Int
  public var batch: Int
  public var hidden: Int
  /// `[L, B, H]`.
  public var h: [Float]
  /// `[L, B, H]` for the LSTM's cell state; empty for RNN and GRU.
  public var c: [Float]

  /// All zeros, the state a fresh stream starts from.
  public init(config: ModelConfig, batch: Int) {
    layers = config.layers
    self.batch = batch
    hidden = config.hidden
    h = [Float](repeating: 0, count: config.layers * batch * config.hidden)
    c = config.cell.hasCellState ? h : []
  }

  public init(layers: Int, batch: Int, hidden: Int, h: [Float], c: [Float]) {
    self.layers = layers
    self.batch = batch
    self.hidden = hidden
    self.h = h
    self.c = c
  }

  /// Element offset of layer `layer`'s `[B, H]` block.
  @inlinable public func offset(layer: Int) -> Int { layer * batch * hidden }

  /// Sets every value back to zero.
  public mutating func reset() {
    for i in h.indices { h[i] = 0 }
    for i in c.indices { c[i] = 0 }
  }
}
