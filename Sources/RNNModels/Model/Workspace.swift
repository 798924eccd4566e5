import NumericCore

/// Every buffer one forward/backward pass over a chunk of `T` steps × `B` streams needs, allocated
/// once so that a training step allocates nothing. Rows are time-major: row `t·B + b` holds step
/// `t` of stream `b`; `N = T·B` rows in all.
///
/// Per-step cache (what backward needs), in floats per stream per step:
/// per layer `G·H` (activated gates, later their gradients) + `H` (outputs) + `2H` for the LSTM
/// (`c`, `tanh c`) or `H` for the GRU (`W_hn h + b_hn`) + `2H` per layer when dropout is on
/// (mask and dropped output) + `V` (logits/probabilities) + `E` (embeddings) only without the
/// token table. Backward's scratch: `max(E, H)` (`2·max(E, H)` with more than one layer or without
/// the token table), `G·H` more for the GRU, and 2 (token index, a ones vector). Times 4 bytes.
public final class Workspace {
  public let config: ModelConfig
  public let batch: Int
  public let steps: Int
  public var rows: Int { batch * steps }

  /// `[N]` the chunk's input tokens (kept for the embedding gradient).
  let inputTokens: UnsafeMutablePointer<Int32>
  /// `[N, E]` embedded inputs of layer 0.
  let embedded: FloatBuffer
  /// Per layer `[N, G·H]`: the input projection, then (in place) the activated gates, then in
  /// backward (in place, step by step) the gradients of the gate pre-activations.
  let gates: [FloatBuffer]
  /// Per layer `[N, H]`: the layer's output `h_t`.
  let outputs: [FloatBuffer]
  /// Per layer `[N, H]`: LSTM `c_t`, or GRU `W_hn h_{t−1} + b_hn`; empty for RNN.
  let cells: [FloatBuffer]
  /// Per layer `[N, H]`: LSTM `tanh(c_t)`; empty otherwise.
  let tanhCells: [FloatBuffer]
  /// Per layer `[N, H]`: dropout masks (0 or 1/(1−p)) and dropped outputs; empty when p = 0.
  let masks: [FloatBuffer]
  let dropped: [FloatBuffer]
  /// `[B, G·H]`: the recurrent projection `W_hh h_{t−1} (+ b_hh for the GRU)` of one step.
  let recurrent: FloatBuffer
  /// `[G·H]`: `b_ih + b_hh` (RNN, LSTM) or `b_ih` (GRU), broadcast into every gate row.
  let combinedBias: FloatBuffer
  /// `[N, V]`: logits, then (in place) probabilities, then the loss gradient.
  let logits: FloatBuffer
  /// Backward: two `[N, max(E, H)]` buffers for the gradient flowing down between layers (the
  /// second only when some layer below the top needs one: more than one layer, or layer 0 without
  /// the token table).
  let gradientA: FloatBuffer
  let gradientB: FloatBuffer
  /// Backward: the GRU's `[N, G·H]` recurrent-side gate gradients (the input side is written over
  /// `gates`); empty for RNN and LSTM.
  let recurrentGateGradients: FloatBuffer
  /// Backward: `[B, H]` gradient reaching `h_{t−1}` (and `c_{t−1}`) from step t.
  let hiddenGradient: FloatBuffer
  let cellGradient: FloatBuffer
  /// `[N]` ones, for column sums through GEMV.
  let ones: FloatBuffer
  /// `[V, G·H]`: forward, layer 0's input projection of every vocabulary character
  /// (`E · W_ih0ᵀ + biases`); backward, the gate gradients summed per input character. Used when
  /// `usesTokenTable` (empty otherwise).
  let tokenTable: FloatBuffer
  /// Whether layer 0 works per vocabulary character instead of per row: when `V < T·B`, the
  /// `[N, E]·[E, G·H]` input projection becomes a `[V, E]·[E, G·H]` table and a gather, and its
  /// two backward products (`∂W_ih0`, `∂E`) shrink from N rows to V the same way.
  public var usesTokenTable: Bool { config.vocabSize < rows }
  /// One layer's `W_hh` packed for `PackedGEMM` (`W_hhᵀ` in forward, `W_hh` in backward), repacked
  /// per layer per pass; empty where the CPU has no packed kernel.
  let packedWeights: FloatBuffer
  /// `[L, B, H]`: the state the chunk started from (`h_{−1}`, `c_{−1}`), kept for backward.
  let initialHidden: FloatBuffer
  let initialCell: FloatBuffer

  public init(config: ModelConfig, batch: Int, steps: Int) {
    self.config = config
    self.batch = batch
    self.steps = steps
    let n = batch * steps
    let h = config.hidden
    let gh = config.cell.gateCount * h
    let layers = 0..<config.layers
    inputTokens = .allocate(capacity: max(n, 1))
    inputTokens.initialize(repeating: 0, count: max(n, 1))
    embedded = FloatBuffer(count: config.vocabSize < n ? 0 : n * config.embed)
    gates = layers.map { _ in FloatBuffer(count: n * gh) }
    outputs = layers.map { _ in FloatBuffer(count: n * h) }
    cells = config.cell == .rnn ? [] : layers.map { _ in FloatBuffer(count: n * h) }
    tanhCells = config.cell == .lstm ? layers.map { _ in FloatBuffer(count: n * h) } : []
    masks = config.dropout > 0 ? layers.map { _ in FloatBuffer(count: n * h) } : []
    dropped = config.dropout > 0 ? layers.map { _ in FloatBuffer(count: n * h) } : []
    recurrent = FloatBuffer(count: batch * gh)
    combinedBias = FloatBuffer(count: gh)
    logits = FloatBuffer(count: n * config.vocabSize)
    let width = max(config.embed, h)
    gradientA = FloatBuffer(count: n * width)
    gradientB = FloatBuffer(count: config.layers > 1 || config.vocabSize >= n ? n * width : 0)
    recurrentGateGradients = FloatBuffer(count: config.cell == .gru ? n * gh : 0)
    hiddenGradient = FloatBuffer(count: batch * h)
    cellGradient = FloatBuffer(count: batch * h)
    ones = FloatBuffer([Float](repeating: 1, count: n))
    tokenTable = FloatBuffer(count: config.vocabSize < n ? config.vocabSize * gh : 0)
    packedWeights = FloatBuffer(
      count: PackedGEMM.isAvailable ? max(PackedGEMM.size(k: h, n: gh), PackedGEMM.size(k: gh, n: h)) : 0)
    initialHidden = FloatBuffer(count: config.layers * batch * h)
    initialCell = FloatBuffer(count: config.cell.hasCellState ? config.layers * batch * h : 0)
  }

  deinit { inputTokens.deallocate() }

  /// Whether this workspace fits a chunk of `batch` streams × `steps` steps of `config`.
  public func fits(config: ModelConfig, batch: Int, steps: Int) -> Bool {
    self.config == config && self.batch == batch && self.steps == steps
  }

  /// Bytes of all buffers together.
  public var byteCount: Int {
    let all = [embedded, recurrent, combinedBias, logits, gradientA, gradientB, packedWeights, tokenTable,
               recurrentGateGradients, hiddenGradient, cellGradient, ones, initialHidden, initialCell]
      + gates + outputs + cells + tanhCells + masks + dropped
    return all.reduce(0) { $0 + $1.count } * 4
  }

  /// The input of layer `layer` for backward/forward: embeddings, or the (dropped) output below.
  func layerInput(_ layer: Int) -> UnsafeMutablePointer<Float> {
    layer == 0 ? embedded.pointer : layerOutputAfterDropout(layer - 1)
  }

  /// What leaves layer `layer` upward: its output, or the dropped copy when dropout is on.
  func layerOutputAfterDropout(_ layer: Int) -> UnsafeMutablePointer<Float> {
    dropped.isEmpty ? outputs[layer].pointer : dropped[layer].pointer
  }
}
