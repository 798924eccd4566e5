import NumericCore

extension LanguageModel {
  /// The mean cross-entropy (nats per character) of the logits left by `forward` against
  /// `targets` `[T·B]` (time-major), with every parameter's gradient of that mean written into
  /// `gradients` (overwritten, not accumulated). Backpropagates through the chunk's T steps only:
  /// the carried state is detached. Spends the workspace: afterwards `ws.outputs` holds
  /// gradients, not outputs. With tied weights the shared block's gradient is the decoder's plus
  /// the embedding's (the decoder's is written first, the embedding's added to it). With
  /// `ws.precision` bf16, the big products (every ∂L/∂x, ∂L/∂h and weight gradient but the token
  /// table's) take bf16 operands and accumulate in fp32 (`BF16GEMM`), into the same
  /// fp32 gradients.
  public func backward(targets: UnsafePointer<Int32>, workspace ws: Workspace) -> Float {
    let N = ws.rows
    let loss = CrossEntropy.loss(
      logits: ws.logits.pointer, rows: N, vocab: config.vocabSize, targets: targets, gradientScale: 1 / Float(N))
    backward(fromLogitGradients: ws)
    return Float(loss / Double(N))
  }

  /// Every parameter's gradient written into `gradients` (overwritten) from ∂L/∂logits `[T·B, V]`
  /// left in `ws.logits` by `CrossEntropy.loss` (a masked row all zero), as ``backward(targets:workspace:)``.
  func backward(fromLogitGradients ws: Workspace) {
    let N = ws.rows, H = config.hidden, V = config.vocabSize
    let g = gradients.pointer
    let logits = ws.logits.pointer
    // Decoder: dW = dlogitsᵀ · top, db = Σ_rows dlogits; dtop = dlogits · W is formed step by
    // step inside the top layer's time loop (no `[N, H]` buffer for it).
    let top = ws.layerOutputAfterDropout(config.layers - 1)
    let bf16 = ws.bf16BackwardWeights(from: parameters.pointer, layout: layout)
    weightGradient(dG: logits, ld: V, rows: V, x: top, width: H, count: N, into: g + layout.decoderWeight, bf16: bf16)
    BLAS.gemv(trans: true, m: N, n: V, a: logits, lda: V, x: ws.ones.pointer, y: g + layout.decoderBias)
    backwardLayers(from: .decoder, workspace: ws, into: g, bf16: bf16)
  }

  /// Backward through the recurrent layers and the embedding only (no decoder): used by the
  /// many-to-one classifier, whose head is not the decoder. In: `dTop` `[N, H]` = ∂L/∂(top layer
  /// output) for the chunk `forward` last ran in `ws` (read, not modified). Out: the gradients of
  /// `encoder.weight` and every `rnn.*` tensor written (overwritten) into `g`, a buffer in this
  /// model's `ParameterLayout`; the decoder's entries are left untouched.
  /// With `state`, the chunk's state is joined to another network (the sequence-to-sequence
  /// encoder hands its last state to the decoder): ∂L/∂(last h, c) from outside is added in, and
  /// ∂L/∂(initial h, c) is written out (see ``StateGradientFlow``).
  func backwardRecurrent(
    dTop: UnsafePointer<Float>, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>,
    state: StateGradientFlow = StateGradientFlow()
  ) {
    let bf16 = ws.bf16BackwardWeights(from: parameters.pointer, layout: layout)
    backwardLayers(from: .rows(dTop), workspace: ws, into: g, bf16: bf16, state: state)
  }

  /// Where a layer's ∂L/∂h_t comes from during its time loop.
  enum GradientFromAbove {
    /// `[N, H]`, row `t·B + b` (before the layer's dropout mask).
    case rows(UnsafePointer<Float>)
    /// The decoder: row r is `dlogits[r] · W_dec`, `ws.logits` holding dlogits; formed for one
    /// step's rows at a time.
    case decoder

    var isDecoder: Bool {
      if case .decoder = self { return true }
      return false
    }
  }

  /// From the top layer down: backpropagation through time, the layer's input-side and
  /// recurrent-side weight gradients, then ∂L/∂(its input) for the layer below; last, the
  /// embedding's gradient (or, with the token table, layer 0 and the embedding in one pass).
  private func backwardLayers(
    from top: GradientFromAbove, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>, bf16: BF16Weights?,
    state: StateGradientFlow = StateGradientFlow()
  ) {
    var above = top
    for l in stride(from: config.layers - 1, through: 0, by: -1) {
      let layer = ws.buffers(layer: l)
      backwardThroughTime(layer: l, layer, above: above, workspace: ws, bf16: bf16, state: state)
      if l == 0 && ws.usesTokenTable {
        tokenTableGradients(layer, workspace: ws, into: g, bf16: bf16)
        return
      }
      inputWeightGradients(layer: l, layer, workspace: ws, into: g, bf16: bf16)
      recurrentWeightGradients(layer: l, layer, workspace: ws, into: g, bf16: bf16)
      above = .rows(inputGradient(layer: l, layer, workspace: ws, bf16: bf16))
    }
    guard case .rows(let dEmbedded) = above else { return }
    embeddingGradient(dEmbedded, workspace: ws, into: g)
  }

  /// ∂W_ih = dGxᵀ · x `[G·H, D]` and ∂b_ih = Σ_rows dGx over the chunk's N rows, `dGx` `[N, G·H]`
  /// being the gate gradients left in `gates` by `backwardThroughTime`.
  private func inputWeightGradients(
    layer l: Int, _ layer: LayerBuffers, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>,
    bf16: BF16Weights?
  ) {
    let N = ws.rows, GH = config.cell.gateCount * config.hidden
    let lay = layout.layers[l], D = lay.inputSize
    weightGradient(dG: layer.gates, ld: GH, rows: GH, x: ws.layerInput(l), width: D, count: N, into: g + lay.weightIH, bf16: bf16)
    BLAS.gemv(trans: true, m: N, n: GH, a: layer.gates, lda: GH, x: ws.ones.pointer, y: g + lay.biasIH)
  }

  /// Layer 0 with the token table: S[v] = Σ over rows r reading character v of dGx[r] `[V, G·H]`
  /// (in `tokenTable`); then ∂W_ih0 = Sᵀ·E, ∂b_ih0 = Σ_v S[v], and ∂E = S·W_ih0: V rows
  /// instead of N. Also writes layer 0's recurrent-side gradients.
  private func tokenTableGradients(
    _ layer: LayerBuffers, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>, bf16: BF16Weights?
  ) {
    let N = ws.rows, E = config.embed, V = config.vocabSize, GH = config.cell.gateCount * config.hidden
    let p = parameters.pointer, lay = layout.layers[0]
    let S = ws.tokenTable.pointer, dGx = layer.gates, tokens = ws.inputTokens
    Parallel.forEachPart(of: GH, parts: Parallel.parts(for: GH, minimumRows: 64)) { cols in
      for v in 0..<V { (S + v * GH + cols.lowerBound).update(repeating: 0, count: cols.count) }
      for r in 0..<N {
        let dst = S + Int(tokens[r]) * GH + cols.lowerBound, src = dGx + r * GH + cols.lowerBound
        var j = 0
        while j < cols.count {
          let n = min(8, cols.count - j)
          store(load(dst + j, n) + load(src + j, n), dst + j, n)
          j += 8
        }
      }
    }
    BLAS.gemm(
      transA: true, m: GH, n: E, k: V, a: S, lda: GH, b: p + layout.encoder, ldb: E, c: g + lay.weightIH, ldc: E)
    BLAS.gemv(trans: true, m: V, n: GH, a: S, lda: GH, x: ws.ones.pointer, y: g + lay.biasIH)
    recurrentWeightGradients(layer: 0, layer, workspace: ws, into: g, bf16: bf16)
    BLAS.gemm(
      m: V, n: E, k: GH, a: S, lda: GH, b: p + lay.weightIH, ldb: E, beta: layout.tied ? 1 : 0, c: g + layout.encoder,
      ldc: E)
  }

  /// ∂W_hh = Σ_t dG_tᵀ · h_{t−1} and ∂b_hh = Σ_t dG_t, `dG` the recurrent-side gate gradients:
  /// for the RNN and LSTM the input side's `dGx`, so ∂b_hh = ∂b_ih, copied (∂b_ih is summed
  /// first); for the GRU, rows r, z likewise (summed again) and rows n from ∂L/∂h_n.
  private func recurrentWeightGradients(
    layer l: Int, _ layer: LayerBuffers, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>,
    bf16: BF16Weights?
  ) {
    let H = config.hidden, GH = config.cell.gateCount * H
    if config.cell == .gru {
      recurrentWeightGradientRows(
        layer: l, layer, ws, layer.gates, ld: GH, rows: 2 * H, from: 0, sumBias: true, into: g, bf16: bf16)
      recurrentWeightGradientRows(
        layer: l, layer, ws, ws.candidateGradients.pointer, ld: H, rows: H, from: 2 * H, sumBias: true, into: g,
        bf16: bf16)
    } else {
      let lay = layout.layers[l]
      recurrentWeightGradientRows(
        layer: l, layer, ws, layer.gates, ld: GH, rows: GH, from: 0, sumBias: false, into: g, bf16: bf16)
      (g + lay.biasHH).update(from: g + lay.biasIH, count: GH)
    }
  }

  /// ∂W_hh rows `[r0, r0 + rows)` = Σ_t dG_tᵀ · h_{t−1} (`h_{−1}` the chunk's initial state) and,
  /// with `sumBias`, ∂b_hh = Σ_t dG_t, from gate gradients `dG` (`[N, rows]`, leading dimension `ld`).
  private func recurrentWeightGradientRows(
    layer l: Int, _ layer: LayerBuffers, _ ws: Workspace, _ dG: UnsafePointer<Float>, ld: Int, rows: Int,
    from r0: Int, sumBias: Bool, into g: UnsafeMutablePointer<Float>, bf16: BF16Weights?
  ) {
    let B = ws.batch, T = ws.steps, N = ws.rows, H = config.hidden
    let lay = layout.layers[l]
    let dW = g + lay.weightHH + r0 * H
    if T > 1 {
      weightGradient(dG: dG + B * ld, ld: ld, rows: rows, x: layer.outputs, width: H, count: (T - 1) * B, into: dW, bf16: bf16)
    }
    weightGradient(
      dG: dG, ld: ld, rows: rows, x: layer.initialHidden, width: H, count: B, into: dW, accumulate: T > 1, bf16: bf16)
    if sumBias { BLAS.gemv(trans: true, m: N, n: rows, a: dG, lda: ld, x: ws.ones.pointer, y: g + lay.biasHH + r0) }
  }

  /// ∂L/∂(layer l's input) `[N, D]` = dGx · W_ih, written over this layer's outputs, which nothing
  /// reads any more (or, for embeddings wider than H, into `inputGradient`). Returns where.
  private func inputGradient(
    layer l: Int, _ layer: LayerBuffers, workspace ws: Workspace, bf16: BF16Weights?
  ) -> UnsafePointer<Float> {
    let N = ws.rows, H = config.hidden, GH = config.cell.gateCount * H
    let lay = layout.layers[l], D = lay.inputSize
    let dIn = D <= H ? layer.outputs : ws.inputGradient.pointer
    if let bf16 {
      BF16GEMM.multiply(
        m: N, n: D, k: GH, a: layer.gates, lda: GH, packed: bf16.inputWeightsBackward[l].pointer, c: dIn, ldc: D,
        accumulate: false)
    } else {
      BLAS.gemm(m: N, n: D, k: GH, a: layer.gates, lda: GH, b: parameters.pointer + lay.weightIH, ldb: D, c: dIn, ldc: D)
    }
    return UnsafePointer(dIn)
  }

  /// A weight gradient `dW[rows, width]` (+)= dGᵀ · x over `count` rows: `dG` `[count, rows]`
  /// (leading dimension `ld`), `x` `[count, width]` (contiguous). With `bf16`, `x` is rounded and
  /// packed into its `activations` and the product runs on `BF16GEMM` (transposed A), fp32 sums.
  private func weightGradient(
    dG: UnsafePointer<Float>, ld: Int, rows: Int, x: UnsafePointer<Float>, width: Int, count: Int,
    into dW: UnsafeMutablePointer<Float>, accumulate: Bool = false, bf16: BF16Weights?
  ) {
    guard let bf16 else {
      return BLAS.gemm(
        transA: true, m: rows, n: width, k: count, a: dG, lda: ld, b: x, ldb: width, beta: accumulate ? 1 : 0, c: dW,
        ldc: width)
    }
    let packed = bf16.activations.pointer
    BF16GEMM.parallelPack(b: x, ldb: width, transB: false, k: count, n: width, into: packed)
    BF16GEMM.multiply(
      transA: true, m: rows, n: width, k: count, a: dG, lda: ld, packed: packed, c: dW, ldc: width,
      accumulate: accumulate)
  }

  /// ∂encoder.weight `[V, E]`: row v = Σ over rows r reading character v of ∂L/∂(embedded row r)
  /// (added to the decoder's gradient already there when the weights are tied).
  private func embeddingGradient(
    _ dEmbedded: UnsafePointer<Float>, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>
  ) {
    let N = ws.rows, E = config.embed, V = config.vocabSize
    let dEnc = g + layout.encoder
    if !layout.tied { dEnc.update(repeating: 0, count: V * E) }
    for r in 0..<N {
      let row = dEnc + Int(ws.inputTokens[r]) * E
      let src = dEmbedded + r * E
      for j in 0..<E { row[j] += src[j] }
    }
  }

  /// Backpropagation through the T steps of layer `l`: fills the gate gradients `[N, G·H]`
  /// (and for the GRU ∂L/∂h_n `[N, H]`) from ∂L/∂h_t from above (`above`, through the layer's
  /// dropout mask when it has one). The gradients of step t are written over step t's activated
  /// gates in `ws.gates[l]` (read first by the kernel, never again afterwards), so no second
  /// `[N, G·H]` buffer is needed. Streams are independent through time: each core takes a share
  /// of the B streams and runs every step for it, from t = T−1 down to 0.
  private func backwardThroughTime(
    layer l: Int, _ layer: LayerBuffers, above: GradientFromAbove, workspace ws: Workspace, bf16: BF16Weights?,
    state: StateGradientFlow
  ) {
    let B = ws.batch, T = ws.steps, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let mask: UnsafePointer<Float>? = ws.masks.isEmpty ? nil : UnsafePointer(ws.masks[l].pointer)
    let logits = ws.logits.pointer, cell = config.cell
    let products = BackwardStepProducts(
      model: self, layer: l, workspace: ws, packDecoder: above.isDecoder, bf16: bf16)
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { rows in
      let b0 = rows.lowerBound, nb = rows.count, count = nb * H
      let dh = ws.hiddenGradient.pointer + b0 * H, dc = ws.cellGradient.pointer + b0 * H
      let scratch = ws.recurrent.pointer + b0 * GH  // this part's [nb, G·H] of the forward's scratch
      let at = l * B * H + b0 * H  // this part's rows of layer l in an `[L, B, H]` state
      if let last = state.lastHidden { dh.update(from: last + at, count: count) } else { dh.update(repeating: 0, count: count) }
      if let last = state.lastCell { dc.update(from: last + at, count: count) } else { dc.update(repeating: 0, count: count) }
      for t in stride(from: T - 1, through: 0, by: -1) {
        let r0 = t * B + b0
        // dh_t = ∂L/∂h_t from above (through the dropout mask) + from step t+1. Without a mask the
        // decoder's product accumulates straight into dh; otherwise it goes through the scratch.
        let src: UnsafePointer<Float>?
        switch above {
        case .rows(let dOut):
          src = dOut + r0 * H
        case .decoder:
          products.decoder(logits + r0 * V, rows: nb, into: mask == nil ? dh : scratch, accumulate: mask == nil)
          src = mask == nil ? nil : UnsafePointer(scratch)
        }
        if let src { Self.addGradient(src, through: mask, at: r0 * H, into: dh, count: count) }
        let dG = Self.gateBackward(
          cell, layer, step: t, from: b0, streams: nb, dh: dh, dc: dc, scratch: scratch,
          candidateGradients: ws.candidateGradients.pointer)
        if t > 0 || state.initialHidden != nil { products.recurrent(dG, rows: nb, into: dh) }
      }
      state.initialHidden?.advanced(by: at).update(from: dh, count: count)
      if cell.hasCellState { state.initialCell?.advanced(by: at).update(from: dc, count: count) }
    }
  }

  /// `dh[i] += src[i] · mask[offset + i]` (or `+= src[i]` without a mask) for `count` elements.
  @inline(__always)
  private static func addGradient(
    _ src: UnsafePointer<Float>, through mask: UnsafePointer<Float>?, at offset: Int,
    into dh: UnsafeMutablePointer<Float>, count: Int
  ) {
    if let mask {
      let m = mask + offset
      for i in 0..<count { dh[i] += src[i] * m[i] }
    } else {
      for i in 0..<count { dh[i] += src[i] }
    }
  }

  /// The fused backward gate kernel of `cell` for step t of streams `b0 ..< b0 + nb`: in, `dh`
  /// `[nb, H]` = ∂L/∂h_t (and `dc` = ∂L/∂c_t from step t+1 for the LSTM); out, the gate gradients
  /// `[nb, G·H]` over step t's activated gates, `dc` = ∂L/∂c_{t−1}. Returns the recurrent-side
  /// gate gradients `[nb, G·H]` that carry ∂L/∂h_{t−1}: the same rows for the RNN and LSTM; for
  /// the GRU `[r | z | n·r]` in `scratch`, whose n block is also kept in `candidateGradients`.
  /// Gate blocks in PyTorch's order: LSTM i, f, g, o; GRU r, z, n.
  @inline(__always)
  private static func gateBackward(
    _ cell: CellKind, _ layer: LayerBuffers, step t: Int, from b0: Int, streams nb: Int,
    dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    candidateGradients dHn: UnsafeMutablePointer<Float>
  ) -> UnsafePointer<Float> {
    let H = layer.hidden, GH = cell.gateCount * H, r0 = t * layer.batch + b0, row = r0 * H
    let gt = layer.gates + r0 * GH  // the activations in, their gradients out
    switch cell {
    case .rnn:
      TanhRNNKernel.backward(batch: nb, hidden: H, dh: dh, h: layer.outputs + row, dGates: gt)
      return UnsafePointer(gt)
    case .lstm:
      LSTMKernel.backward(
        batch: nb, hidden: H, dh: dh, dc: dc, gates: gt, cPrev: layer.previousCell(step: t, from: b0),
        c: layer.cells + row, dGates: gt)
      return UnsafePointer(gt)
    case .gru:
      GRUKernel.backward(
        batch: nb, hidden: H, dh: dh, gates: gt, hn: layer.cells + row, hPrev: layer.previousHidden(step: t, from: b0),
        dGatesIH: gt, dGatesHH: scratch)
      for b in 0..<nb { (dHn + row + b * H).update(from: scratch + b * GH + 2 * H, count: H) }
      return UnsafePointer(scratch)
    }
  }
}

/// Gradients through a chunk's carried state, all `[L, B, H]` (layer-major, as ``HiddenState``):
/// ∂L/∂(the last step's h and c) arriving from outside the chunk (nil: none), and where to write
/// ∂L/∂(the initial h and c) (nil: not computed). The cell pointers matter for the LSTM only.
struct StateGradientFlow {
  var lastHidden: UnsafePointer<Float>? = nil
  var lastCell: UnsafePointer<Float>? = nil
  var initialHidden: UnsafeMutablePointer<Float>? = nil
  var initialCell: UnsafeMutablePointer<Float>? = nil
}
