import NumericCore

/// Luong attention ("general" score, no input feeding) over a batch, per stream b: the decoder's
/// top outputs `Q_b` `[Tt, H]` and the encoder's `S_b` `[Ts, H]` are rows `t·B + b` of their
/// time-major `[T·B, H]` buffers, i.e. matrices with row stride `B·H`.
///
///     K = S W_aᵀ [Ns, H];  α_b = softmax_rows(Q_b K_bᵀ) [Tt, Ts];  C_b = α_b S_b [Tt, H]
///     X = [C; Q] [Nt, 2H];  h̃ = tanh(X W_cᵀ) [Nt, H];  logits = h̃ W_outᵀ + b_out [Nt, Vt]
extension Seq2SeqModel {
  func attentionForward(_ ws: Seq2SeqWorkspace) {
    let H = hidden, B = ws.decoder.batch, Tt = ws.decoder.steps, Ts = ws.encoder.steps, Nt = Tt * B
    let S = ws.encoder.layerOutputAfterDropout(layers - 1), Q = ws.decoder.layerOutputAfterDropout(layers - 1)
    let K = ws.keys.pointer, X = ws.joined.pointer, alpha = ws.weights.pointer
    BLAS.gemm(transB: true, m: Ts * B, n: H, k: H, a: S, lda: H, b: scoreWeight, ldb: H, c: K, ldc: H)
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { streams in
      for b in streams {
        let a = alpha + b * Tt * Ts
        BLAS.serialGemm(transB: true, m: Tt, n: Ts, k: H, a: Q + b * H, lda: B * H, b: K + b * H, ldb: B * H, c: a, ldc: Ts)
        for t in 0..<Tt { FastMath.softmax(a + t * Ts, count: Ts) }
        BLAS.serialGemm(m: Tt, n: H, k: Ts, a: a, lda: Ts, b: S + b * H, ldb: B * H, c: X + b * 2 * H, ldc: B * 2 * H)
      }
    }
    for r in 0..<Nt { (X + r * 2 * H + H).update(from: Q + r * H, count: H) }
    let hT = ws.combined.pointer
    BLAS.gemm(transB: true, m: Nt, n: H, k: 2 * H, a: X, lda: 2 * H, b: combineWeight, ldb: 2 * H, c: hT, ldc: H)
    FastMath.tanh(hT, into: hT, count: Nt * H)
    let V = targetTokenCount, logits = ws.decoder.logits.pointer
    for r in 0..<Nt { (logits + r * V).update(from: outputBias, count: V) }
    BLAS.gemm(transB: true, m: Nt, n: V, k: H, a: hT, lda: H, b: outputWeight, ldb: H, beta: 1, c: logits, ldc: V)
  }

  /// In: ∂L/∂h̃ in `ws.combinedGradients`. Out: ∂W_a, ∂W_c in `attentionGradients`, ∂L/∂Q in
  /// `ws.decoderTopGradients`, ∂L/∂S in `ws.encoderTopGradients`.
  func attentionBackward(_ ws: Seq2SeqWorkspace) {
    let H = hidden, B = ws.decoder.batch, Tt = ws.decoder.steps, Ts = ws.encoder.steps, Nt = Tt * B, Ns = Ts * B
    let S = ws.encoder.layerOutputAfterDropout(layers - 1), Q = ws.decoder.layerOutputAfterDropout(layers - 1)
    let K = ws.keys.pointer, X = ws.joined.pointer, alpha = ws.weights.pointer
    let dPre = ws.combinedGradients.pointer, hT = ws.combined.pointer
    for i in 0..<(Nt * H) { dPre[i] *= 1 - hT[i] * hT[i] }  // through tanh
    let gA = attentionGradients.pointer, gC = gA + H * H
    BLAS.gemm(transA: true, m: H, n: 2 * H, k: Nt, a: dPre, lda: H, b: X, ldb: 2 * H, c: gC, ldc: 2 * H)
    let dX = ws.joinedGradients.pointer, dQ = ws.decoderTopGradients.pointer, dS = ws.encoderTopGradients.pointer
    BLAS.gemm(m: Nt, n: 2 * H, k: H, a: dPre, lda: H, b: combineWeight, ldb: 2 * H, c: dX, ldc: 2 * H)
    for r in 0..<Nt { (dQ + r * H).update(from: dX + r * 2 * H + H, count: H) }
    let dK = ws.keyGradients.pointer, dScores = ws.scoreGradients.pointer
    Parallel.forEachPart(of: B, parts: Parallel.parts(for: B, minimumRows: 4)) { streams in
      for b in streams {
        let a = alpha + b * Tt * Ts, d = dScores + b * Tt * Ts, dC = dX + b * 2 * H
        // dα = dC Sᵀ; dS = αᵀ dC; through the softmax; dQ += dscore K; dK = dscoreᵀ Q.
        BLAS.serialGemm(transB: true, m: Tt, n: Ts, k: H, a: dC, lda: B * 2 * H, b: S + b * H, ldb: B * H, c: d, ldc: Ts)
        BLAS.serialGemm(transA: true, m: Ts, n: H, k: Tt, a: a, lda: Ts, b: dC, ldb: B * 2 * H, c: dS + b * H, ldc: B * H)
        for t in 0..<Tt {
          let ar = a + t * Ts, dr = d + t * Ts
          var dot: Float = 0
          for s in 0..<Ts { dot += ar[s] * dr[s] }
          for s in 0..<Ts { dr[s] = ar[s] * (dr[s] - dot) }
        }
        BLAS.serialGemm(m: Tt, n: H, k: Ts, a: d, lda: Ts, b: K + b * H, ldb: B * H, beta: 1, c: dQ + b * H, ldc: B * H)
        BLAS.serialGemm(transA: true, m: Ts, n: H, k: Tt, a: d, lda: Ts, b: Q + b * H, ldb: B * H, c: dK + b * H, ldc: B * H)
      }
    }
    BLAS.gemm(transA: true, m: H, n: H, k: Ns, a: dK, lda: H, b: S, ldb: H, c: gA, ldc: H)
    BLAS.gemm(m: Ns, n: H, k: H, a: dK, lda: H, b: scoreWeight, ldb: H, beta: 1, c: dS, ldc: H)
  }
}
