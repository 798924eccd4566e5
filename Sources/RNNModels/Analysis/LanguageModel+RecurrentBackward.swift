import NumericCore

extension LanguageModel {
  /// Backward through the recurrent layers and the embedding only (no decoder), for models whose
  /// head is not the language-model decoder (the many-to-one classifier). In: `dTop` `[N, H]` =
  /// ∂L/∂(top layer output) for the chunk `forward` last ran in `ws`. Out: the gradients of
  /// `encoder.weight` and every `rnn.*` tensor written (overwritten) into `g`, a buffer in this
  /// model's `ParameterLayout`; the decoder's entries are left untouched.
  func backwardRecurrent(dTop: UnsafePointer<Float>, workspace ws: Workspace, into g: UnsafeMutablePointer<Float>) {
    let B = ws.batch, T = ws.steps, N = ws.rows
    let E = config.embed, H = config.hidden, V = config.vocabSize
    let GH = config.cell.gateCount * H
    let p = parameters.pointer
    var dOut = ws.gradientA.pointer, dIn = ws.gradientB.pointer
    dOut.update(from: dTop, count: N * H)
    for l in stride(from: config.layers - 1, through: 0, by: -1) {
      let lay = layout.layers[l]
      let D = lay.inputSize
      if !ws.masks.isEmpty {
        let mask = ws.masks[l].pointer
        for i in 0..<(N * H) { dOut[i] *= mask[i] }
      }
      backwardThroughTime(layer: l, dOut: dOut, workspace: ws)
      let dGx = ws.gateGradients.pointer
      let dGh = config.cell == .gru ? ws.recurrentGateGradients.pointer : dGx
      let x = ws.layerInput(l), out = ws.outputs[l].pointer
      let h0 = ws.initialHidden.pointer + l * B * H
      BLAS.gemm(transA: true, m: GH, n: D, k: N, a: dGx, lda: GH, b: x, ldb: D, c: g + lay.weightIH, ldc: D)
      if T > 1 {
        BLAS.gemm(
          transA: true, m: GH, n: H, k: (T - 1) * B, a: dGh + B * GH, lda: GH, b: out, ldb: H,
          c: g + lay.weightHH, ldc: H)
      }
      BLAS.gemm(
        transA: true, m: GH, n: H, k: B, a: dGh, lda: GH, b: h0, ldb: H, beta: T > 1 ? 1 : 0,
        c: g + lay.weightHH, ldc: H)
      BLAS.gemv(trans: true, m: N, n: GH, a: dGx, lda: GH, x: ws.ones.pointer, y: g + lay.biasIH)
      BLAS.gemv(trans: true, m: N, n: GH, a: dGh, lda: GH, x: ws.ones.pointer, y: g + lay.biasHH)
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
}
