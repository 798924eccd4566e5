import NumericCore

extension LanguageModel {
  /// The mean cross-entropy (nats per character) of the logits left by `forward` against
  /// `targets` `[T·B]` (time-major), with every parameter's gradient of that mean written into
  /// `gradients` (overwritten, not accumulated). Backpropagates through the chunk's T steps only:
  /// the carried state is detached.
  public func backward(targets: UnsafePointer<Int32>, workspace ws: Workspace) -> Float {
    let N = ws.rows, H = config.hidden, V = config.vocabSize
    let p = parameters.pointer, g = gradients.pointer
    let logits = ws.logits.pointer
    let loss = CrossEntropy.loss(logits: logits, rows: N, vocab: V, targets: targets, gradientScale: 1 / Float(N))

    // Decoder: dW = dlogitsᵀ · top, db = Σ_rows dlogits, dtop = dlogits · W.
    let top = ws.layerOutputAfterDropout(config.layers - 1)
    BLAS.gemm(transA: true, m: V, n: H, k: N, a: logits, lda: V, b: top, ldb: H, c: g + layout.decoderWeight, ldc: H)
    BLAS.gemv(trans: true, m: N, n: V, a: logits, lda: V, x: ws.ones.pointer, y: g + layout.decoderBias)
    BLAS.gemm(m: N, n: H, k: V, a: logits, lda: V, b: p + layout.decoderWeight, ldb: H, c: ws.gradientA.pointer, ldc: H)
    backwardRecurrent(dTop: ws.gradientA.pointer, workspace: ws, into: g)
    return Float(loss / Double(N))
  }

  /// Backward through the recurrent layers and the embedding only (no decoder): used by
  /// `backward` after the decoder, and by the many-to-one classifier, whose head is not the
  /// decoder. In: `dTop` `[N, H]` = ∂L/∂(top layer output) for the chunk `forward` last ran in `ws`. Out: the gradients of
  /// `encoder.weight` and every `rnn.*` tensor written (overwritten) into `g`, a buffer in this
  /// model's `ParameterLayout`; the decoder's entries are left untouched.
  func backwardRecurrent(dTop: UnsafePointer<Float>, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>) {
    let B = ws.batch, T = ws.steps, N = ws.rows
    let E = config.embed, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let p = parameters.pointer
    var dOut = ws.gradientA.pointer, dIn = ws.gradientB.pointer
    if dTop != UnsafePointer(dOut) { dOut.update(from: dTop, count: N * H) }
    for l in stride(from: config.layers - 1, through: 0, by: -1) {
      let lay = layout.layers[l]
      let D = lay.inputSize
      if !ws.masks.isEmpty {
        let mask = ws.masks[l].pointer
        for i in 0..<(N * H) { dOut[i] *= mask[i] }
      }
      backwardThroughTime(layer: l, dOut: dOut, workspace: ws)
      let dGx = ws.gates[l].pointer  // the gate gradients overwrite the activations, step by step
      let dGh = config.cell == .gru ? ws.recurrentGateGradients.pointer : dGx
      let x = ws.layerInput(l), out = ws.outputs[l].pointer
      let h0 = ws.initialHidden.pointer + l * B * H
      let byToken = l == 0 && ws.usesTokenTable
      if byToken {
        // S[v] = Σ over rows r reading character v of dGx[r]; then ∂W_ih0 = Sᵀ·E, ∂b_ih0 = Σ_v S[v],
        // ∂E = S·W_ih0: V rows instead of N.
        let S = ws.tokenTable.pointer
        Parallel.forEachPart(of: GH, parts: Parallel.parts(for: GH, minimumRows: 64)) { cols in
          for v in 0..<V { (S + v * GH + cols.lowerBound).update(repeating: 0, count: cols.count) }
          for r in 0..<N {
            let dst = S + Int(ws.inputTokens[r]) * GH + cols.lowerBound, src = dGx + r * GH + cols.lowerBound
            var j = 0
            while j < cols.count {
              let n = min(8, cols.count - j)
              store(load(dst + j, n) + load(src + j, n), dst + j, n)
              j += 8
            }
          }
        }
        BLAS.gemm(transA: true, m: GH, n: E, k: V, a: S, lda: GH, b: p + layout.encoder, ldb: E, c: g + lay.weightIH, ldc: E)
        BLAS.gemv(trans: true, m: V, n: GH, a: S, lda: GH, x: ws.ones.pointer, y: g + lay.biasIH)
      } else {
        BLAS.gemm(transA: true, m: GH, n: D, k: N, a: dGx, lda: GH, b: x, ldb: D, c: g + lay.weightIH, ldc: D)
        BLAS.gemv(trans: true, m: N, n: GH, a: dGx, lda: GH, x: ws.ones.pointer, y: g + lay.biasIH)
      }
      if T > 1 {
        BLAS.gemm(
          transA: true, m: GH, n: H, k: (T - 1) * B, a: dGh + B * GH, lda: GH, b: out, ldb: H,
          c: g + lay.weightHH, ldc: H)
      }
      BLAS.gemm(
        transA: true, m: GH, n: H, k: B, a: dGh, lda: GH, b: h0, ldb: H, beta: T > 1 ? 1 : 0,
        c: g + lay.weightHH, ldc: H)
      if byToken && config.cell != .gru {
        (g + lay.biasHH).update(from: g + lay.biasIH, count: GH)  // the same gradient: dGh = dGx
      } else {
        BLAS.gemv(trans: true, m: N, n: GH, a: dGh, lda: GH, x: ws.ones.pointer, y: g + lay.biasHH)
      }
      if byToken {
        BLAS.gemm(
          m: V, n: E, k: GH, a: ws.tokenTable.pointer, lda: GH, b: p + lay.weightIH, ldb: E, c: g + layout.encoder,
          ldc: E)
        return
      }
      BLAS.gemm(m: N, n: D, k: GH, a: dGx, lda: GH, b: p + lay.weightIH, ldb: D, c: dIn, ldc: D)
      swap(&dOut, &dIn)
    }
    let dEnc = g + layout.encoder
    dEnc.update(repeating: 0, count: V * E)
    for r in 0..<N {
      let row = dEnc + Int(ws.inputTokens[r]) * E
      let src = dOut + r * E
      for j in 0..<E { row[j] += src[j] }
    }
  }
  /// Backpropagation through the T steps of layer `l`: fills the gate gradients `[N, G·H]`
  /// (and for the GRU the recurrent-side ones) from `dOut` `[N, H]` = ∂L/∂h_t from above. The
  /// gradients of step t are written over step t's activated gates in `ws.gates[l]` (read first
  /// by the kernel, never again afterwards), so no second `[N, G·H]` buffer is needed.
  private func backwardThroughTime(layer l: Int, dOut: UnsafePointer<Float>, workspace ws: Workspace) {
    let B = ws.batch, T = ws.steps, H = config.hidden
    let GH = config.cell.gateCount * H
    let whh = parameters.pointer + layout.layers[l].weightHH
    let gates = ws.gates[l].pointer, out = ws.outputs[l].pointer
    let dGx = gates, dGhAll = ws.recurrentGateGradients.pointer
    let cells = config.cell == .rnn ? out : ws.cells[l].pointer
    let tanhCells = config.cell == .lstm ? ws.tanhCells[l].pointer : out
    let h0 = ws.initialHidden.pointer + l * B * H, c0 = ws.initialCell.pointer + l * B * H
    let cell = config.cell
    let packed = ws.packedWeights.pointer, usePacked = PackedGEMM.isAvailable
    if usePacked { PackedGEMM.pack(b: whh, ldb: H, transB: false, k: GH, n: H, into: packed) }
    /// dh (+)= dG · W_hh for this part's rows (accumulating for the GRU, whose kernel leaves a term in dh).
    func recurrentGradient(_ dG: UnsafePointer<Float>, rows nb: Int, into dh: UnsafeMutablePointer<Float>) {
      if usePacked {
        PackedGEMM.multiply(m: nb, n: H, k: GH, a: dG, lda: GH, packed: packed, c: dh, ldc: H, accumulate: cell == .gru)
      } else {
        BLAS.serialGemm(m: nb, n: H, k: GH, a: dG, lda: GH, b: whh, ldb: H, beta: cell == .gru ? 1 : 0, c: dh, ldc: H)
      }
    }
    // Streams are independent through time: each core takes a share of the B streams.
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { rows in
      let b0 = rows.lowerBound, nb = rows.count
      let dh = ws.hiddenGradient.pointer + b0 * H, dc = ws.cellGradient.pointer + b0 * H
      dh.update(repeating: 0, count: nb * H)
      dc.update(repeating: 0, count: nb * H)
      for t in stride(from: T - 1, through: 0, by: -1) {
        // dh_t = ∂L/∂h_t from above + from step t+1.
        let above = dOut + (t * B + b0) * H
        for i in 0..<(nb * H) { dh[i] += above[i] }
        let gt = gates + (t * B + b0) * GH, dgt = dGx + (t * B + b0) * GH
        let row = (t * B + b0) * H
        switch cell {
        case .rnn:
          TanhRNNKernel.backward(batch: nb, hidden: H, dh: dh, h: out + row, dGates: dgt)
          if t > 0 { recurrentGradient(dgt, rows: nb, into: dh) }
        case .lstm:
          let cPrev = (t == 0 ? c0 : cells + (t - 1) * B * H) + b0 * H
          LSTMKernel.backward(
            batch: nb, hidden: H, dh: dh, dc: dc, gates: gt, cPrev: cPrev, tanhC: tanhCells + row, dGates: dgt)
          if t > 0 { recurrentGradient(dgt, rows: nb, into: dh) }
        case .gru:
          let hPrev = (t == 0 ? h0 : out + (t - 1) * B * H) + b0 * H
          let dght = dGhAll + (t * B + b0) * GH
          GRUKernel.backward(
            batch: nb, hidden: H, dh: dh, gates: gt, hn: cells + row, hPrev: hPrev, dGatesIH: dgt, dGatesHH: dght)
          if t > 0 { recurrentGradient(dght, rows: nb, into: dh) }
        }
      }
    }
  }
}
