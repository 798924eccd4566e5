import NumericCore

/// Every buffer one forward/backward pass over a chunk of `T` steps × `B` streams needs, allocated
/// once so that a training step allocates nothing. Rows are time-major: row `t·B + b` holds step
/// `t` of stream `b`; `N = T·B` rows in all.
///
/// Per-step cache (what backward needs), in floats per stream per step:
/// per layer `G·H` (activated gates, later their gradients) + `H` (outputs, later the gradient
/// passed down) + `H` for the LSTM (`c`) or the GRU (`W_hn h + b_hn`) + `2H` per layer when
/// dropout is on (mask and dropped output) + `V` (logits/probabilities) + `E` (embeddings) only
/// without the token table. Backward's scratch: `H` for the GRU (`∂L/∂h_n`), `E` when layer 0
/// has no token table and `E > H`, and 2 (token index, a ones vector). Times 4 bytes. Per chunk,
/// not per step: `W_hh` packed for the time loop lives in the gradient slot of `W_hh` (free
/// until backward writes it after the loop), or in `packedWeights` when padding makes it larger.
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
  /// Per layer `[N, H]`: the layer's output `h_t`; after the layer's backward (when nothing reads
  /// it any more), the gradient it passes down: ∂L/∂(its input) `[N, D]` for `D ≤ H`.
  let outputs: [FloatBuffer]
  /// Per layer `[N, H]`: LSTM `c_t`, or GRU `W_hn h_{t−1} + b_hn`; empty for RNN.
  let cells: [FloatBuffer]
  /// Per layer `[N, H]`: dropout masks (0 or 1/(1−p)) and dropped outputs; empty when p = 0.
  let masks: [FloatBuffer]
  let dropped: [FloatBuffer]
  /// `[B, G·H]`: forward, the recurrent projection `W_hh h_{t−1} (+ b_hh for the GRU)` of one
  /// step; backward, per-step scratch (the GRU's recurrent-side gate gradients, the decoder's
  /// gradient before a dropout mask).
  let recurrent: FloatBuffer
  /// `[G·H]`: `b_ih + b_hh` (RNN, LSTM) or `b_ih` (GRU), broadcast into every gate row.
  let combinedBias: FloatBuffer
  /// `[N, V]`: logits, then (in place) probabilities, then the loss gradient.
  let logits: FloatBuffer
  /// Backward: `[N, E]` for ∂L/∂(embedded input) when layer 0 has no token table and `E > H`
  /// (otherwise that gradient, like every gradient passed down, goes into the layer's spent
  /// `outputs`); empty otherwise.
  let inputGradient: FloatBuffer
  /// Backward: the GRU's `[N, H]` ∂L/∂h_n (`h_n = W_hn h + b_hn`), the only block where the
  /// recurrent-side gate gradients differ from the input side's (written over `gates`); empty
  /// for RNN and LSTM.
  let candidateGradients: FloatBuffer
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
  /// per layer per pass, when the packed form does not fit the gradient slot of `W_hh` (`H` not a
  /// multiple of 16); empty where that slot is used or the CPU has no packed kernel.
  let packedWeights: FloatBuffer
  /// `W_dec` `[V, H]` packed, for the top layer's per-step ∂L/∂h_t = dlogits_t · W_dec; empty
  /// where the CPU has no packed kernel.
  let packedDecoder: FloatBuffer
  /// `[L, B, H]`: the state the chunk started from (`h_{−1}`, `c_{−1}`), kept for backward.
  let initialHidden: FloatBuffer
  let initialCell: FloatBuffer
  /// How the forward pass's big products run (`Precision`); fp32 unless a caller says otherwise.
  public var precision: Precision = .fp32
  /// Whether the weights stay the same across this workspace's forward passes (evaluation): the
  /// bf16 copies are then made once instead of at every pass.
  public var weightsFixed = false
  /// The bf16 copies of the weights, made at the first forward pass in bf16.
  private var bf16: BF16Weights?

  public init(config: ModelConfig, batch: Int, steps: Int) {
    self.config = config
    self.batch = batch
    self.steps = steps
    let n = batch * steps
    let h = config.hidden
    let gh = config.cell.gateCount * h
    let layers = 0..<config.layers
    let byToken = config.vocabSize < n  // `usesTokenTable`, before `self` is whole
    inputTokens = .allocate(capacity: max(n, 1))
    inputTokens.initialize(repeating: 0, count: max(n, 1))
    embedded = FloatBuffer(count: byToken ? 0 : n * config.embed)
    gates = layers.map { _ in FloatBuffer(count: n * gh) }
    outputs = layers.map { _ in FloatBuffer(count: n * h) }
    cells = config.cell == .rnn ? [] : layers.map { _ in FloatBuffer(count: n * h) }
    masks = config.dropout > 0 ? layers.map { _ in FloatBuffer(count: n * h) } : []
    dropped = config.dropout > 0 ? layers.map { _ in FloatBuffer(count: n * h) } : []
    recurrent = FloatBuffer(count: batch * gh)
    combinedBias = FloatBuffer(count: gh)
    logits = FloatBuffer(count: n * config.vocabSize)
    inputGradient = FloatBuffer(count: !byToken && config.embed > h ? n * config.embed : 0)
    candidateGradients = FloatBuffer(count: config.cell == .gru ? n * h : 0)
    hiddenGradient = FloatBuffer(count: batch * h)
    cellGradient = FloatBuffer(count: batch * h)
    ones = FloatBuffer([Float](repeating: 1, count: n))
    tokenTable = FloatBuffer(count: byToken ? config.vocabSize * gh : 0)
    let packedSize = max(PackedGEMM.size(k: h, n: gh), PackedGEMM.size(k: gh, n: h))
    packedWeights = FloatBuffer(count: PackedGEMM.isAvailable && packedSize > h * gh ? packedSize : 0)
    packedDecoder = FloatBuffer(count: PackedGEMM.isAvailable ? PackedGEMM.size(k: config.vocabSize, n: h) : 0)
    initialHidden = FloatBuffer(count: config.layers * batch * h)
    initialCell = FloatBuffer(count: config.cell.hasCellState ? config.layers * batch * h : 0)
  }

  /// A workspace for evaluation in `precision`: the weights do not change between its passes.
  public convenience init(config: ModelConfig, batch: Int, steps: Int, precision: Precision) {
    self.init(config: config, batch: batch, steps: steps)
    self.precision = precision
    weightsFixed = true
  }

  deinit { inputTokens.deallocate() }

  /// Whether this workspace fits a chunk of `batch` streams × `steps` steps of `config`.
  public func fits(config: ModelConfig, batch: Int, steps: Int) -> Bool {
    self.config == config && self.batch == batch && self.steps == steps
  }

  /// Bytes of all buffers together.
  public var byteCount: Int {
    let all =
      [
        embedded, recurrent, combinedBias, logits, inputGradient, packedWeights, packedDecoder, tokenTable,
        candidateGradients, hiddenGradient, cellGradient, ones, initialHidden, initialCell,
      ]
      + gates + outputs + cells + masks + dropped
    return all.reduce(0) { $0 + $1.count } * 4
  }

  /// Where layer `layer`'s packed `W_hh` goes during its time loop: `packedWeights`, or else the
  /// gradient slot of `W_hh` in `gradients` (a model's gradients are only defined from backward to
  /// the next forward; backward writes ∂W_hh after the loop).
  func packingBuffer(layer: Int, layout: ParameterLayout, gradients: FloatBuffer) -> UnsafeMutablePointer<Float> {
    packedWeights.count > 0 ? packedWeights.pointer : gradients.pointer + layout.layers[layer].weightHH
  }

  /// The weights as bf16, refreshed from the fp32 parameters `p`: where `precision` is bf16, once
  /// per forward pass; nil in fp32.
  func bf16Weights(from p: UnsafePointer<Float>, layout: ParameterLayout) -> BF16Weights? {
    guard precision == .bf16 else { return nil }
    if weightsFixed, let bf16 { return bf16 }
    let weights = bf16 ?? BF16Weights(config: config, layout: layout, rows: rows)
    bf16 = weights
    weights.refresh(from: p, config: config, layout: layout)
    return weights
  }

  /// The bf16 weights of the forward pass that ran in this workspace, with their backward copies
  /// refreshed from `p` (the same parameters): where `precision` is bf16, once per backward pass;
  /// nil in fp32.
  func bf16BackwardWeights(from p: UnsafePointer<Float>, layout: ParameterLayout) -> BF16Weights? {
    guard precision == .bf16 else { return nil }
    let weights = bf16 ?? BF16Weights(config: config, layout: layout, rows: rows)
    bf16 = weights
    weights.refreshBackward(from: p, config: config, layout: layout)
    return weights
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
