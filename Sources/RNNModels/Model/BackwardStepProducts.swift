import NumericCore

/// The two matrix products of one backward step, per share of `nb` streams: ∂L/∂h_{t−1} (+)=
/// dG · W_hh, and (top layer) ∂L/∂h_t from the decoder = dlogits · W_dec. `W_hh` and `W_dec` are
/// packed once per layer where the CPU has `PackedGEMM`, or come packed as bf16 (`BF16Weights`'
/// backward copies) in `precision bf16`.
struct BackwardStepProducts {
  let hidden: Int
  let gateWidth: Int
  let vocab: Int
  let recurrentWeight: UnsafePointer<Float>
  let decoderWeight: UnsafePointer<Float>
  let packedRecurrent: UnsafePointer<Float>
  let packedDecoder: UnsafePointer<Float>
  let usePacked: Bool
  /// bf16 `W_hh` (`k = G·H`, `n = H`) and `W_dec` (`k = V`, `n = H`), or nil in fp32.
  let bf16Recurrent: UnsafePointer<UInt16>?
  let bf16Decoder: UnsafePointer<UInt16>?
  /// The GRU's kernel leaves a term in dh, so its recurrent product accumulates.
  let accumulateRecurrent: Bool

  /// Packs layer `l`'s `W_hh` (and with `packDecoder`, `W_dec`) for the time loop, unless `bf16`
  /// holds them already.
  init(model: LanguageModel, layer l: Int, workspace ws: Workspace, packDecoder: Bool, bf16: BF16Weights?) {
    let H = model.config.hidden, V = model.config.vocabSize, GH = model.config.cell.gateCount * H
    hidden = H
    gateWidth = GH
    vocab = V
    recurrentWeight = UnsafePointer(model.parameters.pointer + model.layout.layers[l].weightHH)
    decoderWeight = UnsafePointer(model.parameters.pointer + model.layout.decoderWeight)
    let packed = ws.packingBuffer(layer: l, layout: model.layout, gradients: model.gradients)
    packedRecurrent = UnsafePointer(packed)
    packedDecoder = UnsafePointer(ws.packedDecoder.pointer)
    bf16Recurrent = bf16.map { UnsafePointer($0.recurrentWeightsBackward[l].pointer) }
    bf16Decoder = bf16.map { UnsafePointer($0.decoderBackward.pointer) }
    usePacked = PackedGEMM.isAvailable && bf16 == nil
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
    if let bf16Recurrent {
      BF16GEMM.serialMultiply(
        m: nb, n: H, k: GH, a: dG, lda: GH, packed: bf16Recurrent, c: dh, ldc: H, accumulate: accumulateRecurrent)
    } else if usePacked {
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
    if let bf16Decoder {
      BF16GEMM.serialMultiply(
        m: nb, n: H, k: V, a: dl, lda: V, packed: bf16Decoder, c: o, ldc: H, accumulate: accumulate)
    } else if usePacked {
      PackedGEMM.multiply(m: nb, n: H, k: V, a: dl, lda: V, packed: packedDecoder, c: o, ldc: H, accumulate: accumulate)
    } else {
      BLAS.serialGemm(
        m: nb, n: H, k: V, a: dl, lda: V, b: decoderWeight, ldb: H, beta: accumulate ? 1 : 0, c: o, ldc: H)
    }
  }
}
