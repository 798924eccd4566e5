import NumericCore

/// The forward pass for one stream, one character at a time, as sampling runs it: the same
/// equations as `LanguageModel.forward` with batch 1, rearranged so that each character reads
/// every weight once, in as few BLAS calls as possible.
///
/// - Layer 0: the input projection of a character is a row of a table `[V, G·H]` =
///   `E · W_ih0ᵀ + b_ih0 (+ b_hh0)`, computed once, so only `W_hh0 · h` remains per character.
/// - Layers ≥ 1 (RNN, LSTM) under 4 MiB: `[W_ih | W_hh]` is kept as one `[G·H, D + H]` matrix and
///   multiplied by the stacked `[x; h]` in one GEMV (one call instead of two where calls cost more
///   than reading). Larger layers read `W_ih` and `W_hh` in place: copying them would cost more
///   than the call it saves, and would delay the first character (8 MiB of fresh pages for a
///   2×512 LSTM took ~5 ms). The GRU keeps the two products apart (its candidate gate needs
///   `W_hn h + b_hn` on its own).
/// - With several cores and large layers, each core computes the gates of its own share of the
///   hidden units (all G gate rows of those units) and their new state; the layers follow one
///   another, so there is one join per layer per character.
///
/// The fused matrices and the table are made from the weights when the value is made (the other
/// weights are read in place): a model trained afterwards needs a new one.
///
/// With `precision` bf16 every matrix–vector product (`W_hh` or `[W_ih | W_hh]`, `W_ih`, the
/// decoder) reads a bf16 copy of its matrix made here (half the bytes of fp32: sampling is
/// memory-bound) with the input rounded to bf16 and fp32 accumulation (`BF16GEMM.matvec`); layer
/// 0's input table, the gates and the state stay fp32.
final class SingleStepForward {
  let config: ModelConfig
  /// Keeps the parameters read in place alive.
  private let model: LanguageModel
  /// `[V, G·H]` layer 0's input projection of every character, biases included.
  private let inputTable: FloatBuffer
  /// Per layer: `[W_ih | W_hh]` `[G·H, D+H]` (in `fused`) where `isFused[l]`, otherwise `W_hh`
  /// (in the model's parameters).
  private let weights: [UnsafePointer<Float>]
  private let fused: [FloatBuffer]
  private let isFused: [Bool]
  /// Per layer: `W_ih` `[G·H, D]` (in the model's parameters).
  private let inputWeights: [UnsafePointer<Float>]
  /// Per layer `[G·H]`: the bias added before the gates (`b_ih + b_hh`, or `b_ih` for the GRU).
  private let biases: [FloatBuffer]
  /// Per layer `[G·H]`: the GRU's `b_hh` (empty otherwise).
  private let recurrentBiases: [FloatBuffer]
  private let decoderWeight: FloatBuffer
  private let decoderBias: FloatBuffer
  /// Per layer `[D + H]`: the layer's input followed by its hidden state `h` (the state lives here).
  private let stacked: [FloatBuffer]
  /// Per layer `[H]`: the LSTM cell state.
  private let cells: [FloatBuffer]
  /// Scratch `[G·H]` ×2 and `[H]` (the GRU's `h_n`).
  private let gates: FloatBuffer
  private let recurrent: FloatBuffer
  private let scratch: FloatBuffer
  /// `[H]` the layer's new `h`, copied into `stacked` once every part is done (the parts read
  /// all of the old `h` while they run).
  private let newHidden: FloatBuffer
  /// `[V]` the logits of the next character after `step`.
  let logits: FloatBuffer
  /// Cores to split a layer across (1 when the layer is too small to gain from it).
  private let parts: Int
  /// Whether the matrix–vector products prefetch the next rows as they go (see `init`).
  private let prefetch: Bool
  /// bf16: per layer, `weights[l]` as bf16 (same row stride); `inputWeights[l]` as bf16 (layers
  /// ≥ 1 that are not fused); the decoder `[V, H]` as bf16. Empty in fp32.
  private let weights16: [BF16Buffer]
  private let inputWeights16: [BF16Buffer]
  private let decoder16: [BF16Buffer]

  /// `splitBytes`: the size of a layer's weights from which its units are split across cores.
  /// `fuseBytes`: the size of `[W_ih | W_hh]` below which a layer ≥ 1 (RNN, LSTM) gets a fused copy.
  init(model: LanguageModel, precision: Precision = .fp32, splitBytes: Int = 1 << 19, fuseBytes: Int = 1 << 22) {
    let config = model.config, layout = model.layout
    let p = model.parameters.pointer
    let V = config.vocabSize, H = config.hidden
    let GH = config.cell.gateCount * H
    self.config = config
    self.model = model
    (biases, recurrentBiases) = Self.biases(of: model)
    (weights, fused, isFused) = Self.recurrentWeights(of: model, fuseBytes: fuseBytes)
    inputWeights = layout.layers.map { UnsafePointer(p + $0.weightIH) }
    stacked = layout.layers.map { FloatBuffer(count: $0.inputSize + H) }
    inputTable = Self.inputTable(of: model, bias: biases[0])
    decoderWeight = FloatBuffer(count: V * H)
    decoderWeight.pointer.update(from: p + layout.decoderWeight, count: V * H)
    decoderBias = FloatBuffer(count: V)
    decoderBias.pointer.update(from: p + layout.decoderBias, count: V)
    cells = config.cell.hasCellState ? layout.layers.map { _ in FloatBuffer(count: H) } : []
    gates = FloatBuffer(count: GH)
    recurrent = FloatBuffer(count: GH)
    scratch = FloatBuffer(count: H)
    newHidden = FloatBuffer(count: H)
    logits = FloatBuffer(count: V)
    (parts, prefetch) = Self.threading(config, splitBytes: splitBytes)
    let bf16 = precision == .bf16, fusedLayers = isFused, recurrentWeights = weights
    let inputs = inputWeights, inputSizes = layout.layers.map(\.inputSize)
    weights16 =
      bf16
      ? (0..<config.layers).map { l in
        Self.bf16Copy(recurrentWeights[l], count: GH * (fusedLayers[l] ? inputSizes[l] + H : H))
      } : []
    inputWeights16 =
      bf16
      ? (0..<config.layers).map { l in
        Self.bf16Copy(inputs[l], count: l > 0 && !fusedLayers[l] ? GH * inputSizes[l] : 0)
      } : []
    decoder16 = bf16 ? [Self.bf16Copy(decoderWeight.pointer, count: V * H)] : []
  }

  private static func bf16Copy(_ values: UnsafePointer<Float>, count: Int) -> BF16Buffer {
    let copy = BF16Buffer(count: count)
    BF16GEMM.convert(values, into: copy.pointer, count: count)
    return copy
  }

  /// `y[m] (+)= A[m×n] · x`, `A` row-major (row stride `lda`) in fp32 at `a`, or, in bf16, at the
  /// same offset `offset` of `a16`.
  @inline(__always)
  private func product(
    m: Int, n: Int, a: UnsafePointer<Float>, _ a16: [BF16Buffer], _ index: Int, offset: Int, lda: Int,
    x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    if a16.isEmpty {
      BLAS.gemv(m: m, n: n, a: a + offset, lda: lda, x: x, beta: accumulate ? 1 : 0, y: y, prefetch: prefetch)
    } else {
      BF16GEMM.matvec(m: m, n: n, a: a16[index].pointer + offset, lda: lda, x: x, y: y, accumulate: accumulate)
    }
  }

  /// Per layer `[G·H]`: the bias added before the gates (`b_ih + b_hh`, or `b_ih` for the GRU),
  /// and the GRU's `b_hh` (empty for the RNN and LSTM).
  private static func biases(of model: LanguageModel) -> (added: [FloatBuffer], recurrent: [FloatBuffer]) {
    let p = model.parameters.pointer, isGRU = model.config.cell == .gru
    let GH = model.config.cell.gateCount * model.config.hidden
    var added: [FloatBuffer] = [], recurrent: [FloatBuffer] = []
    for lay in model.layout.layers {
      let bias = FloatBuffer(count: GH)
      bias.pointer.update(from: p + lay.biasIH, count: GH)
      if !isGRU { BLAS.axpy(count: GH, alpha: 1, x: p + lay.biasHH, y: bias.pointer) }
      added.append(bias)
      let rb = FloatBuffer(count: isGRU ? GH : 0)
      if isGRU { rb.pointer.update(from: p + lay.biasHH, count: GH) }
      recurrent.append(rb)
    }
    return (added, recurrent)
  }

  /// Per layer, the matrix the recurrent GEMV reads: `[W_ih | W_hh]` `[G·H, D + H]` copied into a
  /// buffer of `fused` for layers ≥ 1 (RNN, LSTM) smaller than `fuseBytes`, else `W_hh` in place.
  private static func recurrentWeights(
    of model: LanguageModel, fuseBytes: Int
  ) -> (weights: [UnsafePointer<Float>], fused: [FloatBuffer], isFused: [Bool]) {
    let p = model.parameters.pointer, H = model.config.hidden
    let GH = model.config.cell.gateCount * H
    var weights: [UnsafePointer<Float>] = [], fused: [FloatBuffer] = [], isFused: [Bool] = []
    for (l, lay) in model.layout.layers.enumerated() {
      let D = lay.inputSize
      isFused.append(l > 0 && model.config.cell != .gru && GH * (D + H) * 4 < fuseBytes)
      guard isFused[l] else {
        weights.append(UnsafePointer(p + lay.weightHH))
        continue
      }
      let w = FloatBuffer(count: GH * (D + H))
      for r in 0..<GH {
        (w.pointer + r * (D + H)).update(from: p + lay.weightIH + r * D, count: D)
        (w.pointer + r * (D + H) + D).update(from: p + lay.weightHH + r * H, count: H)
      }
      fused.append(w)
      weights.append(UnsafePointer(w.pointer))
    }
    return (weights, fused, isFused)
  }

  /// `[V, G·H]`: `inputTable[v] = W_ih0 · E[v] + bias0`, for every character v at once.
  private static func inputTable(of model: LanguageModel, bias: FloatBuffer) -> FloatBuffer {
    let p = model.parameters.pointer, layout = model.layout
    let V = model.config.vocabSize, E = model.config.embed
    let GH = model.config.cell.gateCount * model.config.hidden
    let table = FloatBuffer(count: V * GH)
    for v in 0..<V { (table.pointer + v * GH).update(from: bias.pointer, count: GH) }
    BLAS.gemm(
      transB: true, m: V, n: GH, k: E, a: p + layout.encoder, lda: E, b: p + layout.layers[0].weightIH, ldb: E,
      beta: 1, c: table.pointer, ldc: GH)
    return table
  }

  /// How many cores to split each layer across, and whether the GEMVs prefetch.
  private static func threading(_ config: ModelConfig, splitBytes: Int) -> (parts: Int, prefetch: Bool) {
    let H = config.hidden, GH = config.cell.gateCount * H
    // Splitting pays once a layer's weights no longer fit one core's L2 cache (512 KB here).
    let bytesPerLayer = GH * (H + config.embed) * 4
    let parts = bytesPerLayer >= splitBytes ? Parallel.parts(for: H, minimumRows: 64) : 1
    // Software prefetch pays when a core's weights for one character overflow its L2 but the
    // hardware prefetchers, which lose each row block's short stream, leave L3 bandwidth unused
    // (2×256 LSTM, 1.5 MB a core: about +8%); from L2 or with many MB it costs.
    let perCharacter = (0..<config.layers).reduce(0) { $0 + GH * ($1 == 0 ? H : 2 * H) * 4 }
    let perCore = perCharacter / parts
    return (parts, perCore > 1 << 19 && perCore <= 1 << 22)
  }

  /// Sets the state back to zeros (a fresh stream).
  func reset() {
    for (l, s) in stacked.enumerated() {
      let D = layerInputSize(l)
      (s.pointer + D).update(repeating: 0, count: config.hidden)
    }
    for c in cells { c.pointer.update(repeating: 0, count: config.hidden) }
  }

  private func layerInputSize(_ l: Int) -> Int { l == 0 ? 0 : config.hidden }

  /// The recurrent state, `[L·H]` every layer's `h` in layer order, then (LSTM) `[L·H]` every
  /// layer's `c`: what beam search keeps per hypothesis. Setting it makes `step` continue from it.
  var state: [Float] {
    get {
      let H = config.hidden
      var values: [Float] = []
      values.reserveCapacity(H * (stacked.count + cells.count))
      for (l, s) in stacked.enumerated() {
        values.append(contentsOf: UnsafeBufferPointer(start: s.pointer + layerInputSize(l), count: H))
      }
      for c in cells { values.append(contentsOf: UnsafeBufferPointer(start: c.pointer, count: H)) }
      return values
    }
    set {
      let H = config.hidden
      precondition(newValue.count == H * (stacked.count + cells.count), "state of another model")
      newValue.withUnsafeBufferPointer { v in
        for (l, s) in stacked.enumerated() { (s.pointer + layerInputSize(l)).update(from: v.baseAddress! + l * H, count: H) }
        for (l, c) in cells.enumerated() { c.pointer.update(from: v.baseAddress! + (stacked.count + l) * H, count: H) }
      }
    }
  }

  /// Feeds character `token`; leaves the next character's logits in `logits`.
  func step(_ token: Int32) {
    let H = config.hidden, GH = config.cell.gateCount * H, V = config.vocabSize
    for l in 0..<config.layers {
      let D = layerInputSize(l)
      let s = stacked[l].pointer
      if l > 0 { s.update(from: stacked[l - 1].pointer + layerInputSize(l - 1), count: H) }
      Parallel.forEachPart(of: H, parts: parts) { units in
        self.layer(l, token: token, units: units, inputSize: D, GH: GH)
      }
      (s + D).update(from: newHidden.pointer, count: H)
    }
    let top = stacked[config.layers - 1].pointer + layerInputSize(config.layers - 1)
    logits.pointer.update(from: decoderBias.pointer, count: V)
    if let decoder = decoder16.first {
      BF16GEMM.matvec(m: V, n: H, a: decoder.pointer, lda: H, x: top, y: logits.pointer, accumulate: true)
    } else {
      BLAS.serialGemm(
        transB: true, m: 1, n: V, k: H, a: top, lda: H, b: decoderWeight.pointer, ldb: H, beta: 1, c: logits.pointer,
        ldc: V)
    }
  }

  /// Layer `l`'s gates and new state for hidden units `units` (all G gate rows of each): the new
  /// `h` of those units goes to `newHidden`, the LSTM's `c` is updated in place.
  private func layer(_ l: Int, token: Int32, units: Range<Int>, inputSize D: Int, GH: Int) {
    let H = config.hidden, G = config.cell.gateCount
    let j0 = units.lowerBound, n = units.count
    let s = stacked[l].pointer, h = s + D
    let g = gates.pointer, r = recurrent.pointer
    let isGRU = config.cell == .gru
    for k in 0..<G {
      let row = k * H + j0
      if l == 0 {
        (g + row).update(from: inputTable.pointer + Int(token) * GH + row, count: n)
      } else {
        (g + row).update(from: biases[l].pointer + row, count: n)
      }
      if isFused[l] {
        product(
          m: n, n: D + H, a: weights[l], weights16, l, offset: row * (D + H), lda: D + H, x: s, y: r + row,
          accumulate: false)
      } else {
        // W_ih x into the biased gates (layer 0's came from the table), W_hh h (+ b_hh for the GRU).
        if isGRU { (r + row).update(from: recurrentBiases[l].pointer + row, count: n) }
        if l > 0 {
          product(
            m: n, n: D, a: inputWeights[l], inputWeights16, l, offset: row * D, lda: D, x: s, y: g + row,
            accumulate: true)
        }
        product(
          m: n, n: H, a: weights[l], weights16, l, offset: row * H, lda: H, x: h, y: r + row, accumulate: isGRU)
      }
    }
    // The kernels read one gate row of B = 1 as G blocks of H: hand them this part's columns by
    // giving them a view whose blocks start at j0 (stride H between blocks is kept).
    switch config.cell {
    case .rnn:
      TanhRNNKernel.forward(batch: 1, hidden: n, gates: g + j0, recurrent: r + j0, h: newHidden.pointer + j0)
    case .lstm:
      let c = cells[l].pointer + j0
      LSTMKernel.forward(
        units: n, stride: H, gates: g + j0, recurrent: r + j0, cPrev: c, c: c, h: newHidden.pointer + j0)
    case .gru:
      GRUKernel.forward(
        units: n, stride: H, gates: g + j0, recurrent: r + j0, hPrev: h + j0, hn: scratch.pointer + j0, h: newHidden.pointer + j0)
    }
  }
}
