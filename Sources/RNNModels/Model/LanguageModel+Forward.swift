import NumericCore

extension LanguageModel {
  /// Runs the model over one chunk: `inputs` `[T·B]` token indices, time-major (index `t·B + b`).
  /// Starts from `state` and leaves in it the state after the last step (the carried state).
  /// Leaves the logits `[T·B, V]` and everything backward needs in `workspace`. With `training`
  /// and dropout > 0, draws dropout masks from `rng`.
  public func forward(
    inputs: UnsafePointer<Int32>, state: inout HiddenState, workspace ws: Workspace,
    training: Bool, rng: inout RandomGenerator
  ) {
    let B = ws.batch, T = ws.steps, N = ws.rows
    let E = config.embed, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let p = parameters.pointer
    precondition(state.batch == B && state.layers == config.layers && state.hidden == H, "hidden state shape")

    ws.inputTokens.update(from: inputs, count: N)
    if !ws.usesTokenTable {
      // Embedding lookup: row r of `embedded` = encoder.weight[inputs[r]].
      for r in 0..<N {
        (ws.embedded.pointer + r * E).update(from: p + layout.encoder + Int(inputs[r]) * E, count: E)
      }
    }
    state.h.withUnsafeBufferPointer { ws.initialHidden.pointer.update(from: $0.baseAddress!, count: $0.count) }
    if config.cell.hasCellState {
      state.c.withUnsafeBufferPointer { ws.initialCell.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    for l in 0..<config.layers {
      let lay = layout.layers[l]
      let D = lay.inputSize
      let x = ws.layerInput(l)
      let gates = ws.gates[l].pointer
      let out = ws.outputs[l].pointer
      let bias = ws.combinedBias.pointer
      bias.update(from: p + lay.biasIH, count: GH)
      if config.cell != .gru { BLAS.axpy(count: GH, alpha: 1, x: p + lay.biasHH, y: bias) }
      if l == 0 && ws.usesTokenTable {
        // table[v] = W_ih0 · E[v] + biases for every character v, then row r = table[inputs[r]].
        let table = ws.tokenTable.pointer
        for v in 0..<V { (table + v * GH).update(from: bias, count: GH) }
        BLAS.gemm(
          transB: true, m: V, n: GH, k: E, a: p + layout.encoder, lda: E, b: p + lay.weightIH, ldb: E, beta: 1,
          c: table, ldc: GH)
        Parallel.forEachPart(of: N, parts: Parallel.parts(for: N, minimumRows: 64)) { rows in
          for r in rows { (gates + r * GH).update(from: table + Int(inputs[r]) * GH, count: GH) }
        }
      } else {
        for r in 0..<N { (gates + r * GH).update(from: bias, count: GH) }
        // Input projection of all T steps at once: gates[N, GH] += x[N, D] · W_ihᵀ.
        BLAS.gemm(transB: true, m: N, n: GH, k: D, a: x, lda: D, b: p + lay.weightIH, ldb: D, beta: 1, c: gates, ldc: GH)
      }

      let h0 = ws.initialHidden.pointer + l * B * H
      let c0 = ws.initialCell.pointer + l * B * H
      let whh = p + lay.weightHH, bhh = p + lay.biasHH
      let cells = config.cell == .rnn ? out : ws.cells[l].pointer
      let cell = config.cell
      if B == 1 && GH * H * 4 >= 1 << 19 && Parallel.threads > 1 {
        // One stream (evaluation) and a large W_hh: split each step by hidden units instead.
        forwardOneStreamByUnits(
          layer: l, steps: T, gates: gates, out: out, cells: cells, h0: h0, c0: c0,
          recurrent: ws.recurrent.pointer)
      } else {
        let packed = ws.packingBuffer(layer: l, layout: layout, gradients: gradients)
        let usePacked = PackedGEMM.isAvailable
        if usePacked { PackedGEMM.pack(b: whh, ldb: H, transB: true, k: H, n: GH, into: packed) }
        // The time loop: streams are independent, so each core runs all T steps for its share of
        // the B streams (rows b0..<b1 of every step).
        Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { rows in
          let b0 = rows.lowerBound, nb = rows.count
          let rec = ws.recurrent.pointer + b0 * GH
          for t in 0..<T {
            let hPrev = (t == 0 ? h0 : out + (t - 1) * B * H) + b0 * H
            if cell == .gru {
              for b in 0..<nb { (rec + b * GH).update(from: bhh, count: GH) }
            }
            if usePacked {
              PackedGEMM.multiply(
                m: nb, n: GH, k: H, a: hPrev, lda: H, packed: packed, c: rec, ldc: GH, accumulate: cell == .gru)
            } else {
              BLAS.serialGemm(
                transB: true, m: nb, n: GH, k: H, a: hPrev, lda: H, b: whh, ldb: H,
                beta: cell == .gru ? 1 : 0, c: rec, ldc: GH)
            }
            let g = gates + (t * B + b0) * GH, h = out + (t * B + b0) * H
            switch cell {
            case .rnn:
              TanhRNNKernel.forward(batch: nb, hidden: H, gates: g, recurrent: rec, h: h)
            case .lstm:
              let cPrev = (t == 0 ? c0 : cells + (t - 1) * B * H) + b0 * H
              LSTMKernel.forward(
                batch: nb, hidden: H, gates: g, recurrent: rec, cPrev: cPrev, c: cells + (t * B + b0) * H, h: h)
            case .gru:
              GRUKernel.forward(
                batch: nb, hidden: H, gates: g, recurrent: rec, hPrev: hPrev, hn: cells + (t * B + b0) * H, h: h)
            }
          }
        }
      }
      // Carry the last step's state out of the chunk.
      state.h.withUnsafeMutableBufferPointer {
        ($0.baseAddress! + l * B * H).update(from: out + (T - 1) * B * H, count: B * H)
      }
      if config.cell.hasCellState {
        let cells = ws.cells[l].pointer
        state.c.withUnsafeMutableBufferPointer {
          ($0.baseAddress! + l * B * H).update(from: cells + (T - 1) * B * H, count: B * H)
        }
      }
      if !ws.dropped.isEmpty {
        Dropout.apply(
          probability: training ? config.dropout : 0, input: out, mask: ws.masks[l].pointer,
          output: ws.dropped[l].pointer, count: N * H, rng: &rng)
      }
    }

    // Decoder: logits[N, V] = top[N, H] · W_decᵀ + b_dec.
    let top = ws.layerOutputAfterDropout(config.layers - 1)
    let logits = ws.logits.pointer
    for r in 0..<N { (logits + r * V).update(from: p + layout.decoderBias, count: V) }
    BLAS.gemm(transB: true, m: N, n: V, k: H, a: top, lda: H, b: p + layout.decoderWeight, ldb: H, beta: 1, c: logits, ldc: V)
  }

  /// The time loop of layer `l` for a single stream (B = 1), each step split across cores by
  /// hidden units: a core computes the G gate rows of its units (`W_hh` rows `k·H + j`) and their
  /// new `c`, `h`, so each core reads only its share of `W_hh` every step; one join per step.
  private func forwardOneStreamByUnits(
    layer l: Int, steps T: Int, gates: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
    cells: UnsafeMutablePointer<Float>, h0: UnsafePointer<Float>,
    c0: UnsafePointer<Float>, recurrent rec: UnsafeMutablePointer<Float>
  ) {
    let H = config.hidden, G = config.cell.gateCount, GH = G * H
    let cell = config.cell
    let whh = parameters.pointer + layout.layers[l].weightHH, bhh = parameters.pointer + layout.layers[l].biasHH
    let parts = Parallel.parts(for: H, minimumRows: 64)
    for t in 0..<T {
      let hPrev = t == 0 ? h0 : UnsafePointer(out + (t - 1) * H)
      let g = gates + t * GH, h = out + t * H
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
          let cPrev = t == 0 ? c0 : UnsafePointer(cells + (t - 1) * H)
          LSTMKernel.forward(
            units: n, stride: H, gates: g + j0, recurrent: rec + j0, cPrev: cPrev + j0, c: cells + t * H + j0,
            h: h + j0)
        case .gru:
          GRUKernel.forward(
            units: n, stride: H, gates: g + j0, recurrent: rec + j0, hPrev: hPrev + j0, hn: cells + t * H + j0,
            h: h + j0)
        }
      }
    }
  }
}
