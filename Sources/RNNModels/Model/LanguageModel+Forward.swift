import NumericCore

extension LanguageModel {
  /// Runs the model over one chunk: `inputs` `[T·B]` token indices, time-major (index `t·B + b`).
  /// Starts from `state` and leaves in it the state after the last step (the carried state).
  /// Leaves the logits `[T·B, V]` and everything backward needs in `workspace`. With `training`
  /// and dropout > 0, draws dropout masks from `rng`. `inputBias` `[B, G·H]`, when given, adds its
  /// row b to layer 0's input projection at every row of stream b: a conditional generator's label
  /// columns (each stream's label one-hot concatenated to every input, times its columns of
  /// `W_ih0`). With one stream it is folded into the biases; with more, it is added to each row
  /// after the biases and the gather (token table) or before the product. With `workspace.precision`
  /// bf16, the three big products (input projection, recurrent product, decoder) take bf16
  /// operands (`Precision`). Without `decoding`, the logits are not computed (a caller with its own
  /// output layer: the sequence-to-sequence encoder and decoder).
  ///
  /// Per layer: the input projection of all T steps at once (`inputProjection`), the time loop
  /// (`recurrence`), the carried state out, dropout; then the decoder over all `T·B` rows.
  public func forward(
    inputs: UnsafePointer<Int32>, state: inout HiddenState, workspace ws: Workspace,
    training: Bool, rng: inout RandomGenerator, inputBias: UnsafePointer<Float>? = nil, decoding: Bool = true
  ) {
    let B = ws.batch, N = ws.rows, H = config.hidden
    precondition(state.batch == B && state.layers == config.layers && state.hidden == H, "hidden state shape")
    startChunk(inputs: inputs, state: state, workspace: ws)
    let bf16 = ws.bf16Weights(from: parameters.pointer, layout: layout)
    for l in 0..<config.layers {
      let layer = ws.buffers(layer: l)
      inputProjection(layer: l, into: layer.gates, workspace: ws, extraBias: l == 0 ? inputBias : nil, bf16: bf16)
      recurrence(layer: l, layer, workspace: ws, bf16: bf16)
      carryOut(layer, into: &state, layerIndex: l, steps: ws.steps)
      if !ws.dropped.isEmpty {
        Dropout.apply(
          probability: training ? config.dropout : 0, input: layer.outputs, mask: ws.masks[l].pointer,
          output: ws.dropped[l].pointer, count: N * H, rng: &rng)
      }
    }
    if decoding { decode(workspace: ws, bf16: bf16) }
  }

  /// Copies the chunk's tokens and its starting state (`[L, B, H]`) into `ws`, and looks up the
  /// embeddings `[N, E]` (row r = `encoder.weight[inputs[r]]`) unless layer 0 uses the token table.
  private func startChunk(inputs: UnsafePointer<Int32>, state: HiddenState, workspace ws: Workspace) {
    let N = ws.rows, E = config.embed
    let p = parameters.pointer
    ws.inputTokens.update(from: inputs, count: N)
    if !ws.usesTokenTable {
      for r in 0..<N {
        (ws.embedded.pointer + r * E).update(from: p + layout.encoder + Int(inputs[r]) * E, count: E)
      }
    }
    state.h.withUnsafeBufferPointer { ws.initialHidden.pointer.update(from: $0.baseAddress!, count: $0.count) }
    if config.cell.hasCellState {
      state.c.withUnsafeBufferPointer { ws.initialCell.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }
  }

  /// `gates[N, G·H]` = `x[N, D] · W_ihᵀ` + the biases (`b_ih + b_hh`; the GRU's `b_hh` is added on
  /// the recurrent side, inside `r ⊙ (W_hn h + b_hn)`). Layer 0 with the token table computes
  /// `table[v] = E[v] · W_ih0ᵀ + biases` for the V characters, then gathers row r = `table[inputs[r]]`.
  /// With `bf16`, the products take its packed weights and bf16-rounded inputs.
  private func inputProjection(
    layer l: Int, into gates: UnsafeMutablePointer<Float>, workspace ws: Workspace, extraBias: UnsafePointer<Float>?,
    bf16: BF16Weights?
  ) {
    let N = ws.rows, E = config.embed, V = config.vocabSize
    let GH = config.cell.gateCount * config.hidden
    let p = parameters.pointer, lay = layout.layers[l]
    let bias = ws.combinedBias.pointer
    bias.update(from: p + lay.biasIH, count: GH)
    if config.cell != .gru { BLAS.axpy(count: GH, alpha: 1, x: p + lay.biasHH, y: bias) }
    let B = ws.batch
    if let extraBias, B == 1 { BLAS.axpy(count: GH, alpha: 1, x: extraBias, y: bias) }
    let perStream = B > 1 ? extraBias : nil
    guard l == 0 && ws.usesTokenTable else {
      if let perStream {
        // Stream b's biases, then every row of stream b from them (`recurrent` is free until the time loop).
        let rows = ws.recurrent.pointer
        for b in 0..<B {
          (rows + b * GH).update(from: bias, count: GH)
          BLAS.axpy(count: GH, alpha: 1, x: perStream + b * GH, y: rows + b * GH)
        }
        for r in 0..<N { (gates + r * GH).update(from: rows + (r % B) * GH, count: GH) }
      } else {
        for r in 0..<N { (gates + r * GH).update(from: bias, count: GH) }
      }
      let D = lay.inputSize
      if let bf16 {
        return BF16GEMM.multiply(
          m: N, n: GH, k: D, a: ws.layerInput(l), lda: D, packed: bf16.inputWeights[l].pointer, c: gates, ldc: GH,
          accumulate: true)
      }
      BLAS.gemm(
        transB: true, m: N, n: GH, k: D, a: ws.layerInput(l), lda: D, b: p + lay.weightIH, ldb: D, beta: 1, c: gates,
        ldc: GH)
      return
    }
    let table = ws.tokenTable.pointer, inputs = ws.inputTokens
    for v in 0..<V { (table + v * GH).update(from: bias, count: GH) }
    if let bf16 {
      BF16GEMM.multiply(
        m: V, n: GH, k: E, a: p + layout.encoder, lda: E, packed: bf16.inputWeights[0].pointer, c: table, ldc: GH,
        accumulate: true)
    } else {
      BLAS.gemm(
        transB: true, m: V, n: GH, k: E, a: p + layout.encoder, lda: E, b: p + lay.weightIH, ldb: E, beta: 1,
        c: table, ldc: GH)
    }
    Parallel.forEachPart(of: N, parts: Parallel.parts(for: N, minimumRows: 64)) { rows in
      for r in rows {
        (gates + r * GH).update(from: table + Int(inputs[r]) * GH, count: GH)
        if let perStream { BLAS.axpy(count: GH, alpha: 1, x: perStream + (r % B) * GH, y: gates + r * GH) }
      }
    }
  }

  /// The time loop of layer `l`: for every step t, the recurrent projection `W_hh h_{t−1}` (plus
  /// `b_hh` for the GRU) and the cell's fused gate kernel, leaving the activated gates in
  /// `gates`, `h_t` in `outputs` and `c_t` (LSTM) or `h_n` (GRU) in `cells`.
  /// With `bf16`, every step multiplies by its packed `W_hh` (one stream included: the split by
  /// units reads fp32 rows).
  private func recurrence(layer l: Int, _ layer: LayerBuffers, workspace ws: Workspace, bf16: BF16Weights?) {
    let H = config.hidden, GH = config.cell.gateCount * H
    if bf16 == nil && ws.batch == 1 && GH * H * 4 >= 1 << 19 && Parallel.threads > 1 {
      // One stream (evaluation) and a large W_hh: split each step by hidden units instead.
      forwardOneStreamByUnits(layer: l, layer, steps: ws.steps, recurrent: ws.recurrent.pointer)
    } else {
      forwardByStreams(layer: l, layer, workspace: ws, bf16: bf16?.recurrentWeights[l].pointer)
    }
  }

  /// The time loop of layer `l` over B streams. Streams are independent, so each core runs all T
  /// steps for its share of the B streams (rows `b0..<b1` of every step), with no synchronisation
  /// inside the loop. `W_hh` is packed once per chunk where the CPU has the packed kernel, or comes
  /// packed as bf16 (`bf16`).
  private func forwardByStreams(
    layer l: Int, _ layer: LayerBuffers, workspace ws: Workspace, bf16: UnsafeMutablePointer<UInt16>?
  ) {
    let B = ws.batch, T = ws.steps, H = config.hidden, GH = config.cell.gateCount * H
    let whh = parameters.pointer + layout.layers[l].weightHH, bhh = parameters.pointer + layout.layers[l].biasHH
    let cell = config.cell
    let packed = ws.packingBuffer(layer: l, layout: layout, gradients: gradients)
    let usePacked = PackedGEMM.isAvailable && bf16 == nil
    if usePacked { PackedGEMM.pack(b: whh, ldb: H, transB: true, k: H, n: GH, into: packed) }
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { rows in
      let b0 = rows.lowerBound, nb = rows.count
      let rec = ws.recurrent.pointer + b0 * GH
      for t in 0..<T {
        let hPrev = layer.previousHidden(step: t, from: b0)
        // rec[nb, G·H] = h_{t−1} · W_hhᵀ (+ b_hh for the GRU).
        if cell == .gru {
          for b in 0..<nb { (rec + b * GH).update(from: bhh, count: GH) }
        }
        if let bf16 {
          BF16GEMM.serialMultiply(
            m: nb, n: GH, k: H, a: hPrev, lda: H, packed: bf16, c: rec, ldc: GH, accumulate: cell == .gru)
        } else if usePacked {
          PackedGEMM.multiply(
            m: nb, n: GH, k: H, a: hPrev, lda: H, packed: packed, c: rec, ldc: GH, accumulate: cell == .gru)
        } else {
          BLAS.serialGemm(
            transB: true, m: nb, n: GH, k: H, a: hPrev, lda: H, b: whh, ldb: H,
            beta: cell == .gru ? 1 : 0, c: rec, ldc: GH)
        }
        Self.gateForward(cell, layer, step: t, from: b0, streams: nb, recurrent: rec, previousHidden: hPrev)
      }
    }
  }

  /// The fused gate kernel of `cell` for step `t` of streams `b0 ..< b0 + nb`, `rec` holding their
  /// recurrent projection `[nb, G·H]` and `hPrev` their `h_{t−1}` `[nb, H]`. Gate blocks in
  /// PyTorch's order: LSTM i, f, g, o; GRU r, z, n.
  @inline(__always)
  private static func gateForward(
    _ cell: CellKind, _ layer: LayerBuffers, step t: Int, from b0: Int, streams nb: Int,
    recurrent rec: UnsafeMutablePointer<Float>, previousHidden hPrev: UnsafeMutablePointer<Float>
  ) {
    let H = layer.hidden, GH = cell.gateCount * H, row = t * layer.batch + b0
    let g = layer.gates + row * GH, h = layer.outputs + row * H
    switch cell {
    case .rnn:
      TanhRNNKernel.forward(batch: nb, hidden: H, gates: g, recurrent: rec, h: h)
    case .lstm:
      LSTMKernel.forward(
        batch: nb, hidden: H, gates: g, recurrent: rec, cPrev: layer.previousCell(step: t, from: b0),
        c: layer.cells + row * H, h: h)
    case .gru:
      GRUKernel.forward(
        batch: nb, hidden: H, gates: g, recurrent: rec, hPrev: hPrev, hn: layer.cells + row * H, h: h)
    }
  }

  /// Copies the last step's `h` (and `c`) of layer `l` into `state` `[L, B, H]`: the state the
  /// next chunk starts from.
  private func carryOut(_ layer: LayerBuffers, into state: inout HiddenState, layerIndex l: Int, steps T: Int) {
    let BH = layer.batch * layer.hidden
    state.h.withUnsafeMutableBufferPointer {
      ($0.baseAddress! + l * BH).update(from: layer.outputs + (T - 1) * BH, count: BH)
    }
    if config.cell.hasCellState {
      state.c.withUnsafeMutableBufferPointer {
        ($0.baseAddress! + l * BH).update(from: layer.cells + (T - 1) * BH, count: BH)
      }
    }
  }

  /// Decoder: `logits[N, V] = top[N, H] · W_decᵀ + b_dec`, `top` the top layer's (dropped) output.
  /// With `bf16`, the product takes its packed `W_dec` and bf16-rounded `top`.
  private func decode(workspace ws: Workspace, bf16: BF16Weights?) {
    let N = ws.rows, H = config.hidden, V = config.vocabSize
    let p = parameters.pointer
    let logits = ws.logits.pointer
    for r in 0..<N { (logits + r * V).update(from: p + layout.decoderBias, count: V) }
    if let bf16 {
      return BF16GEMM.multiply(
        m: N, n: V, k: H, a: ws.layerOutputAfterDropout(config.layers - 1), lda: H, packed: bf16.decoder.pointer,
        c: logits, ldc: V, accumulate: true)
    }
    BLAS.gemm(
      transB: true, m: N, n: V, k: H, a: ws.layerOutputAfterDropout(config.layers - 1), lda: H,
      b: p + layout.decoderWeight, ldb: H, beta: 1, c: logits, ldc: V)
  }

  /// The time loop of layer `l` for a single stream (B = 1), each step split across cores by
  /// hidden units: a core computes the G gate rows of its units (`W_hh` rows `k·H + j`) and their
  /// new `c`, `h`, so each core reads only its share of `W_hh` every step; one join per step.
  /// `rec` `[G·H]` is the recurrent projection's scratch.
  private func forwardOneStreamByUnits(
    layer l: Int, _ layer: LayerBuffers, steps T: Int, recurrent rec: UnsafeMutablePointer<Float>
  ) {
    let H = config.hidden, G = config.cell.gateCount, GH = G * H
    let cell = config.cell
    let whh = parameters.pointer + layout.layers[l].weightHH, bhh = parameters.pointer + layout.layers[l].biasHH
    let parts = Parallel.parts(for: H, minimumRows: 64)
    for t in 0..<T {
      let hPrev = UnsafePointer(layer.previousHidden(step: t, from: 0))
      let g = layer.gates + t * GH, h = layer.outputs + t * H
      Parallel.forEachPart(of: H, parts: parts) { units in
        let j0 = units.lowerBound, n = units.count
        for k in 0..<G {
          let row = k * H + j0
          if cell == .gru { (rec + row).update(from: bhh + row, count: n) }
          BLAS.gemv(m: n, n: H, a: whh + row * H, lda: H, x: hPrev, beta: cell == .gru ? 1 : 0, y: rec + row)
        }
        switch cell {
        case .rnn:
          TanhRNNKernel.forward(batch: 1, hidden: n, gates: g + j0, recurrent: rec + j0, h: h + j0)
        case .lstm:
          LSTMKernel.forward(
            units: n, stride: H, gates: g + j0, recurrent: rec + j0, cPrev: layer.previousCell(step: t, from: 0) + j0,
            c: layer.cells + t * H + j0, h: h + j0)
        case .gru:
          GRUKernel.forward(
            units: n, stride: H, gates: g + j0, recurrent: rec + j0, hPrev: hPrev + j0,
            hn: layer.cells + t * H + j0, h: h + j0)
        }
      }
    }
  }
}
