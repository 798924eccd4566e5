import NumericCore

/// Every activation of a model over one text, read as one stream (batch 1) with the state carried
/// from the first character to the last, without dropout. Row `t` belongs to the state *after*
/// reading character `t`. Shapes per layer (T = characters, H = hidden, G = gate blocks):
///
/// - `hidden[l]`: `[T, H]`, the layer's output h_t.
/// - `cells[l]`: `[T, H]`, the LSTM cell state c_t (empty for RNN and GRU).
/// - `gates[l]`: `[T, G·H]`, activated gates in the cell's order (LSTM i, f, g, o; GRU r, z, n;
///   RNN: the single tanh block, equal to h).
/// - `probabilities`: `[T, V]`, the model's distribution of the character after character t.
public struct ActivationTrace: Sendable {
  public let config: ModelConfig
  /// `[T]` the text's tokens.
  public let tokens: [Int32]
  public private(set) var hidden: [[Float]]
  public private(set) var cells: [[Float]]
  public private(set) var gates: [[Float]]
  public private(set) var probabilities: [Float]

  /// T.
  public var steps: Int { tokens.count }

  /// Runs `model` over `tokens` in chunks of `chunk` characters and records every activation.
  public static func record(
    model: LanguageModel, tokens: [Int32], chunk: Int = 256
  ) -> ActivationTrace {
    let c = model.config
    let T = tokens.count, H = c.hidden, GH = c.cell.gateCount * H, V = c.vocabSize
    var trace = ActivationTrace(
      config: c, tokens: tokens,
      hidden: Array(repeating: [Float](repeating: 0, count: T * H), count: c.layers),
      cells: Array(repeating: c.cell == .lstm ? [Float](repeating: 0, count: T * H) : [], count: c.layers),
      gates: Array(repeating: [Float](repeating: 0, count: T * GH), count: c.layers),
      probabilities: [Float](repeating: 0, count: T * V))
    guard T > 0 else { return trace }
    var state = HiddenState(config: c, batch: 1)
    var rng = RandomGenerator(seed: 0)
    var done = 0
    while done < T {
      let n = min(chunk, T - done)
      let ws = Workspace(config: c, batch: 1, steps: n)
      tokens.withUnsafeBufferPointer { all in
        model.forward(inputs: all.baseAddress! + done, state: &state, workspace: ws, training: false, rng: &rng)
      }
      for l in 0..<c.layers {
        copy(ws.outputs[l].pointer, n * H, into: &trace.hidden[l], at: done * H)
        copy(ws.gates[l].pointer, n * GH, into: &trace.gates[l], at: done * GH)
        if c.cell == .lstm { copy(ws.cells[l].pointer, n * H, into: &trace.cells[l], at: done * H) }
      }
      for r in 0..<n { FastMath.softmax(ws.logits.pointer + r * V, count: V) }
      copy(ws.logits.pointer, n * V, into: &trace.probabilities, at: done * V)
      done += n
    }
    return trace
  }

  private static func copy(_ from: UnsafePointer<Float>, _ count: Int, into array: inout [Float], at offset: Int) {
    array.withUnsafeMutableBufferPointer { ($0.baseAddress! + offset).update(from: from, count: count) }
  }

  /// The names of the series one can look at: `h`, `c` (LSTM), and each gate.
  public static func seriesNames(for cell: CellKind) -> [String] {
    switch cell {
    case .rnn: ["h"]
    case .lstm: ["h", "c", "i", "f", "g", "o"]
    case .gru: ["h", "r", "z", "n"]
    }
  }

  /// The values of unit `unit` of `series` (`h`, `c` or a gate name) in layer `layer` (0-based)
  /// over all T characters, or `nil` when the series does not exist for this cell.
  public func series(_ name: String, layer: Int, unit: Int) -> [Float]? {
    let H = config.hidden
    guard layer >= 0, layer < config.layers, unit >= 0, unit < H else { return nil }
    switch name {
    case "h": return (0..<steps).map { hidden[layer][$0 * H + unit] }
    case "c" where config.cell == .lstm: return (0..<steps).map { cells[layer][$0 * H + unit] }
    default:
      let names = Self.gateNames(for: config.cell)
      guard let g = names.firstIndex(of: name) else { return nil }
      let GH = config.cell.gateCount * H
      return (0..<steps).map { gates[layer][$0 * GH + g * H + unit] }
    }
  }

  /// Gate names in storage order.
  public static func gateNames(for cell: CellKind) -> [String] {
    switch cell {
    case .rnn: ["tanh"]
    case .lstm: ["i", "f", "g", "o"]
    case .gru: ["r", "z", "n"]
    }
  }

  /// The `k` most likely next characters after character `t`, most likely first.
  public func topPredictions(at t: Int, k: Int) -> [(token: Int, probability: Float)] {
    let V = config.vocabSize
    let row = probabilities[(t * V)..<((t + 1) * V)]
    let ranked = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
    return ranked.prefix(k).map { ($0 - t * V, row[$0]) }
  }
}
