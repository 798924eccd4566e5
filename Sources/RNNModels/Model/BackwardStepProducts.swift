import NumericCore

/// The two matrix products of one backward step, per share of `nb` streams: ∂L/∂h_{t−1} (+)=
/// dG · W_hh, and (top layer) ∂L/∂h_t from the decoder = dlogits · W_dec. `W_hh` and `W_dec` are
/// packed once per layer where the CPU has `PackedGEMM`.
struct BackwardStepProducts {
  let hidden: Int
  let gateWidth: Int
  let vocab: Int
  let recurrentWeight: UnsafePointer<Float>
  let decoderWeight: UnsafePointer<Float>
  let packedRecurrent: UnsafePointer<Float>
  let packedDecoder: UnsafePointer<Float>
  let usePacked: Bool
  /// The GRU's kernel leaves a term in dh, so its recurrent product accumulates.
  let accumulateRecurrent: Bool

  /// Packs layer `l`'s `W_hh` (and with `packDecoder`, `W_dec`) for the time loop.
  init(model: LanguageModel, layer l: Int, workspace ws: Workspace, packDecoder: Bool) {
    let H = model.config.hidden, V = model.config.vocabSize, GH = model.config.cell.gateCount * H
    hidden = H
    gateWidth = GH
    vocab = V
    recurrentWeight = UnsafePointer(model.parameters.pointer + model.layout.layers[l].weightHH)
    decoderWeight = UnsafePointer(model.parameters.pointer + model.layout.decoderWeight)
    let packed = ws.packingBuffer(layer: l, layout: model.layout, gradients: model.gradients)
    packedRecurrent = UnsafePointer(packed)
    packedDecoder = UnsafePointer(ws.packedDecoder.pointer)
    usePacked = PackedGEMM.isAvailable
    accumulateRecurrent = model.config.cell == .gru
    if usePacked {
      PackedGEMM.pack(b: recurrentWeight, ldb: H, transB: false, k: GH, n: H, into: packed)
      if packDecoder {
        PackedGEMM.pack(b: decoderWeight, ldb: H, transB: false, k: V, n: H, into: ws.packedDecoder.pointer)
      }
    }
  }

  /// dh (+)= dG · W_hh for `nb` rows of `dG` `[nb, G·H]`.
  @inline(__always)
  func recurrent(_ dG: UnsafePointer<Float>, rows nb: Int, into dh: UnsafeMutablePointer<Float>) {
    let H = hidden, GH = gateWidth
    if usePacked {
      PackedGEMM.multiply(
        m: nb, n: H, k: GH, a: dG, lda: GH, packed: packedRecurrent, c: dh, ldc: H, accumulate: accumulateRecurrent)
    } else {
      BLAS.serialGemm(
        m: nb, n: H, k: GH, a: dG, lda: GH, b: recurrentWeight, ldb: H, beta: accumulateRecurrent ? 1 : 0, c: dh,
        ldc: H)
    }
  }

  /// out (+)= dlogits · W_dec for `nb` rows of dlogits `[nb, V]`.
  @inline(__always)
  func decoder(_ dl: UnsafePointer<Float>, rows nb: Int, into o: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let H = hidden, V = vocab
    if usePacked {
      PackedGEMM.multiply(m: nb, n: H, k: V, a: dl, lda: V, packed: packedDecoder, c: o, ldc: H, accumulate: accumulate)
    } else {
      BLAS.serialGemm(
        m: nb, n: H, k: V, a: dl, lda: V, b: decoderWeight, ldb: H, beta: accumulate ? 1 : 0, c: o, ldc: H)
    }
  }
}
