import NumericCore

extension LanguageModel {
  /// The mean cross-entropy (nats per character) of the logits left by `forward` against
  /// `targets` `[T·B]` (time-major), with every parameter's gradient of that mean written into
  /// `gradients` (overwritten, not accumulated). Backpropagates through the chunk's T steps only:
  /// the carried state is detached. Spends the workspace: afterwards `ws.outputs` holds
  /// gradients, not outputs.
  public func backward(targets: UnsafePointer<Int32>, workspace ws: Workspace) -> Float {
    let N = ws.rows, H = config.hidden, V = config.vocabSize
    let g = gradients.pointer
    let logits = ws.logits.pointer
    let loss = CrossEntropy.loss(logits: logits, rows: N, vocab: V, targets: targets, gradientScale: 1 / Float(N))

    // Decoder: dW = dlogitsᵀ · top, db = Σ_rows dlogits; dtop = dlogits · W is formed step by
    // step inside the top layer's time loop (no `[N, H]` buffer for it).
    let top = ws.layerOutputAfterDropout(config.layers - 1)
    BLAS.gemm(transA: true, m: V, n: H, k: N, a: logits, lda: V, b: top, ldb: H, c: g + layout.decoderWeight, ldc: H)
    BLAS.gemv(trans: true, m: N, n: V, a: logits, lda: V, x: ws.ones.pointer, y: g + layout.decoderBias)
    backwardLayers(from: .decoder, workspace: ws, into: g)
    return Float(loss / Double(N))
  }

  /// Backward through the recurrent layers and the embedding only (no decoder): used by the
  /// many-to-one classifier, whose head is not the decoder. In: `dTop` `[N, H]` = ∂L/∂(top layer
  /// output) for the chunk `forward` last ran in `ws` (read, not modified). Out: the gradients of
  /// `encoder.weight` and every `rnn.*` tensor written (overwritten) into `g`, a buffer in this
  /// model's `ParameterLayout`; the decoder's entries are left untouched.
  func backwardRecurrent(dTop: UnsafePointer<Float>, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>) {
    backwardLayers(from: .rows(dTop), workspace: ws, into: g)
  }

  /// Where a layer's ∂L/∂h_t comes from during its time loop.
  enum GradientFromAbove {
    /// `[N, H]`, row `t·B + b` (before the layer's dropout mask).
    case rows(UnsafePointer<Float>)
    /// The decoder: row r is `dlogits[r] · W_dec`, `ws.logits` holding dlogits; formed for one
    /// step's rows at a time.
    case decoder
  }

  private func backwardLayers(from top: GradientFromAbove, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>) {
    let B = ws.batch, T = ws.steps, N = ws.rows
    let E = config.embed, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let p = parameters.pointer
    var above = top
    for l in stride(from: config.layers - 1, through: 0, by: -1) {
      let lay = layout.layers[l]
      let D = lay.inputSize
      backwardThroughTime(layer: l, above: above, workspace: ws)
      let dGx = ws.gates[l].pointer  // the gate gradients overwrite the activations, step by step
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
      /// ∂W_hh rows `[r0, r0 + rows)` = Σ_t dG_tᵀ · h_{t−1} and ∂b_hh = Σ_t dG_t, from recurrent-side
      /// gate gradients `dG` (`[N, rows]`, leading dimension `ld`).
      func recurrentGradients(_ dG: UnsafePointer<Float>, ld: Int, rows: Int, from r0: Int, sumBias: Bool) {
        let dW = g + lay.weightHH + r0 * H
        if T > 1 {
          BLAS.gemm(transA: true, m: rows, n: H, k: (T - 1) * B, a: dG + B * ld, lda: ld, b: out, ldb: H, c: dW, ldc: H)
        }
        BLAS.gemm(transA: true, m: rows, n: H, k: B, a: dG, lda: ld, b: h0, ldb: H, beta: T > 1 ? 1 : 0, c: dW, ldc: H)
        if sumBias { BLAS.gemv(trans: true, m: N, n: rows, a: dG, lda: ld, x: ws.ones.pointer, y: g + lay.biasHH + r0) }
      }
      if config.cell == .gru {
        // Rows r, z: the same gate gradients as the input side; rows n: ∂L/∂h_n.
        recurrentGradients(dGx, ld: GH, rows: 2 * H, from: 0, sumBias: true)
        recurrentGradients(ws.candidateGradients.pointer, ld: H, rows: H, from: 2 * H, sumBias: true)
      } else {
        recurrentGradients(dGx, ld: GH, rows: GH, from: 0, sumBias: !byToken)
        if byToken { (g + lay.biasHH).update(from: g + lay.biasIH, count: GH) }  // the same gradient: dGh = dGx
      }
      if byToken {
        BLAS.gemm(
          m: V, n: E, k: GH, a: ws.tokenTable.pointer, lda: GH, b: p + lay.weightIH, ldb: E, c: g + layout.encoder,
          ldc: E)
        return
      }
      // ∂L/∂(this layer's input) `[N, D]` = dGx · W_ih, written over this layer's outputs, which
      // nothing reads any more (or, for embeddings wider than H, into `inputGradient`).
      let dIn = D <= H ? out : ws.inputGradient.pointer
      BLAS.gemm(m: N, n: D, k: GH, a: dGx, lda: GH, b: p + lay.weightIH, ldb: D, c: dIn, ldc: D)
      above = .rows(dIn)
    }
    guard case .rows(let dEmbedded) = above else { return }
    let dEnc = g + layout.encoder
    dEnc.update(repeating: 0, count: V * E)
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
  /// `[N, G·H]` buffer is needed.
  private func backwardThroughTime(layer l: Int, above: GradientFromAbove, workspace ws: Workspace) {
    let B = ws.batch, T = ws.steps, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let whh = parameters.pointer + layout.layers[l].weightHH
    let wdec = parameters.pointer + layout.decoderWeight
    let gates = ws.gates[l].pointer, out = ws.outputs[l].pointer
    let dGx = gates, dHn = ws.candidateGradients.pointer
    let cells = config.cell == .rnn ? out : ws.cells[l].pointer
    let h0 = ws.initialHidden.pointer + l * B * H, c0 = ws.initialCell.pointer + l * B * H
    let mask: UnsafePointer<Float>? = ws.masks.isEmpty ? nil : UnsafePointer(ws.masks[l].pointer)
    let logits = ws.logits.pointer
    let cell = config.cell
    let usePacked = PackedGEMM.isAvailable
    let packed = ws.packingBuffer(layer: l, layout: layout, gradients: gradients)
    if usePacked {
      PackedGEMM.pack(b: whh, ldb: H, transB: false, k: GH, n: H, into: packed)
      if case .decoder = above { PackedGEMM.pack(b: wdec, ldb: H, transB: false, k: V, n: H, into: ws.packedDecoder.pointer) }
    }
    /// dh (+)= dG · W_hh for this part's rows (accumulating for the GRU, whose kernel leaves a term in dh).
    func recurrentGradient(_ dG: UnsafePointer<Float>, rows nb: Int, into dh: UnsafeMutablePointer<Float>) {
      if usePacked {
        PackedGEMM.multiply(m: nb, n: H, k: GH, a: dG, lda: GH, packed: packed, c: dh, ldc: H, accumulate: cell == .gru)
      } else {
        BLAS.serialGemm(m: nb, n: H, k: GH, a: dG, lda: GH, b: whh, ldb: H, beta: cell == .gru ? 1 : 0, c: dh, ldc: H)
      }
    }
    /// out (+)= dlogits · W_dec for `nb` rows of dlogits.
    func decoderGradient(_ dl: UnsafePointer<Float>, rows nb: Int, into o: UnsafeMutablePointer<Float>, accumulate: Bool) {
      if usePacked {
        PackedGEMM.multiply(
          m: nb, n: H, k: V, a: dl, lda: V, packed: ws.packedDecoder.pointer, c: o, ldc: H, accumulate: accumulate)
      } else {
        BLAS.serialGemm(m: nb, n: H, k: V, a: dl, lda: V, b: wdec, ldb: H, beta: accumulate ? 1 : 0, c: o, ldc: H)
      }
    }
    // Streams are independent through time: each core takes a share of the B streams.
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { rows in
      let b0 = rows.lowerBound, nb = rows.count, count = nb * H
      let dh = ws.hiddenGradient.pointer + b0 * H, dc = ws.cellGradient.pointer + b0 * H
      let scratch = ws.recurrent.pointer + b0 * GH  // this part's [nb, G·H] of the forward's scratch
      dh.update(repeating: 0, count: count)
      dc.update(repeating: 0, count: count)
      for t in stride(from: T - 1, through: 0, by: -1) {
        let r0 = t * B + b0, row = r0 * H
        // dh_t = ∂L/∂h_t from above (through the dropout mask) + from step t+1. Without a mask the
        // decoder's product accumulates straight into dh; otherwise it goes through the scratch.
        var src: UnsafePointer<Float>?
        switch above {
        case .rows(let dOut):
          src = dOut + row
        case .decoder:
          decoderGradient(logits + r0 * V, rows: nb, into: mask == nil ? dh : scratch, accumulate: mask == nil)
          if mask != nil { src = UnsafePointer(scratch) }
        }
        if let src {
          if let mask {
            let m = mask + row
            for i in 0..<count { dh[i] += src[i] * m[i] }
          } else {
            for i in 0..<count { dh[i] += src[i] }
          }
        }
        let gt = gates + r0 * GH, dgt = dGx + r0 * GH
        switch cell {
        case .rnn:
          TanhRNNKernel.backward(batch: nb, hidden: H, dh: dh, h: out + row, dGates: dgt)
          if t > 0 { recurrentGradient(dgt, rows: nb, into: dh) }
        case .lstm:
          let cPrev = (t == 0 ? c0 : cells + (t - 1) * B * H) + b0 * H
          LSTMKernel.backward(
            batch: nb, hidden: H, dh: dh, dc: dc, gates: gt, cPrev: cPrev, c: cells + row, dGates: dgt)
          if t > 0 { recurrentGradient(dgt, rows: nb, into: dh) }
        case .gru:
          let hPrev = (t == 0 ? h0 : out + (t - 1) * B * H) + b0 * H
          // The recurrent-side gate gradients [r | z | n·r] of this step, in the scratch; only
          // their n block is kept (the r, z blocks equal the input side's in `gates`).
          GRUKernel.backward(
            batch: nb, hidden: H, dh: dh, gates: gt, hn: cells + row, hPrev: hPrev, dGatesIH: dgt, dGatesHH: scratch)
          for b in 0..<nb { (dHn + row + b * H).update(from: scratch + b * GH + 2 * H, count: H) }
          if t > 0 { recurrentGradient(scratch, rows: nb, into: dh) }
        }
      }
    }
  }
}
