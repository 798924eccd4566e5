import NumericCore

extension Seq2SeqModel {
  /// Teacher-forced pass over `batch`: the mean cross-entropy (nats per target token, padding
  /// masked, end markers counted) and, with `gradients`, every parameter's gradient of that mean
  /// written (overwritten) into `encoder.gradients` (its body), `decoder.gradients` (all of it)
  /// and `attentionGradients`. With `training`, dropout masks are drawn from `rng`.
  public func pass(_ batch: Seq2SeqBatch, gradients: Bool, training: Bool, rng: inout RandomGenerator) -> Double {
    let ws = workspace(.init(batch: batch.batch, sourceSteps: batch.sourceSteps, targetSteps: batch.targetSteps))
    forward(batch, ws, training: training, rng: &rng)
    let loss = lossAndLogitGradients(batch, ws, gradients: gradients)
    if gradients { backward(ws) }
    return loss
  }

  /// Encoder over the sources; decoder over ⟨s⟩ y₁ … from the encoder's last state; the output
  /// layer (through the attention when on), the logits `[Nt, Vt]` left in `ws.decoder.logits`.
  func forward(_ batch: Seq2SeqBatch, _ ws: Seq2SeqWorkspace, training: Bool, rng: inout RandomGenerator) {
    var state = HiddenState(config: encoder.config, batch: batch.batch)
    batch.sources.withUnsafeBufferPointer {
      encoder.forward(
        inputs: $0.baseAddress!, state: &state, workspace: ws.encoder, training: training, rng: &rng, decoding: false)
    }
    batch.decoderInputs.withUnsafeBufferPointer {
      decoder.forward(
        inputs: $0.baseAddress!, state: &state, workspace: ws.decoder, training: training, rng: &rng,
        decoding: !usesAttention)
    }
    if usesAttention { attentionForward(ws) }
  }

  /// Σ over the unmasked rows of `−log softmax(logits)[target]` / count; with `gradients`, each
  /// row of logits becomes `(softmax − onehot) / count` and each masked row 0.
  private func lossAndLogitGradients(_ batch: Seq2SeqBatch, _ ws: Seq2SeqWorkspace, gradients: Bool) -> Double {
    let V = targetTokenCount, logits = ws.decoder.logits.pointer
    let scale = 1 / Float(batch.targetCount)
    var total = 0.0
    batch.targets.withUnsafeBufferPointer { targets in
      for r in 0..<targets.count {
        let row = logits + r * V
        if targets[r] < 0 {
          if gradients { row.update(repeating: 0, count: V) }
          continue
        }
        total += CrossEntropy.loss(
          logits: row, rows: 1, vocab: V, targets: targets.baseAddress! + r, gradientScale: gradients ? scale : nil)
      }
    }
    return total / Double(batch.targetCount)
  }

  /// From the logit gradients in `ws.decoder.logits` back to every parameter.
  private func backward(_ ws: Seq2SeqWorkspace) {
    let H = hidden, V = targetTokenCount, Nt = ws.decoder.rows
    let dLogits = ws.decoder.logits.pointer, g = decoder.gradients.pointer
    let top = usesAttention ? ws.combined.pointer : ws.decoder.layerOutputAfterDropout(layers - 1)
    // W_out, b_out; ∂L/∂(what W_out reads) = dlogits · W_out.
    BLAS.gemm(
      transA: true, m: V, n: H, k: Nt, a: dLogits, lda: V, b: top, ldb: H, c: g + decoder.layout.decoderWeight, ldc: H)
    BLAS.gemv(trans: true, m: Nt, n: V, a: dLogits, lda: V, x: ws.decoder.ones.pointer, y: g + decoder.layout.decoderBias)
    let dRead = usesAttention ? ws.combinedGradients.pointer : ws.decoderTopGradients.pointer
    BLAS.gemm(m: Nt, n: H, k: V, a: dLogits, lda: V, b: outputWeight, ldb: H, c: dRead, ldc: H)
    if usesAttention {
      attentionBackward(ws)
    } else {
      ws.encoderTopGradients.zero()
    }
    let cellState = cell.hasCellState
    decoder.backwardRecurrent(
      dTop: ws.decoderTopGradients.pointer, workspace: ws.decoder, into: g,
      state: StateGradientFlow(initialHidden: ws.stateHidden.pointer, initialCell: cellState ? ws.stateCell.pointer : nil))
    encoder.backwardRecurrent(
      dTop: ws.encoderTopGradients.pointer, workspace: ws.encoder, into: encoder.gradients.pointer,
      state: StateGradientFlow(
        lastHidden: ws.stateHidden.pointer, lastCell: cellState ? UnsafePointer(ws.stateCell.pointer) : nil))
  }
}
