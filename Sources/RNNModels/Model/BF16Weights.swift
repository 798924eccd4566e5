import NumericCore

/// A model's big matrices as bf16, packed for `BF16GEMM` (`op(B) = Wᵀ`): per layer `W_ih`
/// (`k = D`, `n = G·H`) and `W_hh` (`k = H`, `n = G·H`), and the decoder's `W_dec` (`k = H`,
/// `n = V`). Refreshed from the fp32 master weights at every forward pass in bf16 (once per
/// optimizer step in training); the fp32 weights stay the model's parameters.
final class BF16Weights {
  let inputWeights: [BF16Buffer]
  let recurrentWeights: [BF16Buffer]
  let decoder: BF16Buffer

  init(config: ModelConfig, layout: ParameterLayout) {
    let H = config.hidden, GH = config.cell.gateCount * H
    inputWeights = layout.layers.map { BF16Buffer(count: BF16GEMM.packedSize(k: $0.inputSize, n: GH)) }
    recurrentWeights = layout.layers.map { _ in BF16Buffer(count: BF16GEMM.packedSize(k: H, n: GH)) }
    decoder = BF16Buffer(count: BF16GEMM.packedSize(k: H, n: config.vocabSize))
  }

  /// Rounds and packs every matrix from the fp32 parameters `p` (layout `layout`).
  func refresh(from p: UnsafePointer<Float>, config: ModelConfig, layout: ParameterLayout) {
    let H = config.hidden, GH = config.cell.gateCount * H
    for (l, lay) in layout.layers.enumerated() {
      Self.pack(p + lay.weightIH, rows: GH, columns: lay.inputSize, into: inputWeights[l].pointer)
      Self.pack(p + lay.weightHH, rows: GH, columns: H, into: recurrentWeights[l].pointer)
    }
    Self.pack(p + layout.decoderWeight, rows: config.vocabSize, columns: H, into: decoder.pointer)
  }

  /// Packs `Wᵀ` for a row-major `W` `[rows, columns]`, split across cores by panels of 16 rows.
  private static func pack(_ w: UnsafePointer<Float>, rows: Int, columns: Int, into packed: UnsafeMutablePointer<UInt16>) {
    let panels = (rows + 15) / 16, stride = BF16GEMM.packedSize(k: columns, n: 16)
    let parts = rows * columns >= 1 << 16 ? Parallel.parts(for: panels, minimumRows: 4) : 1
    Parallel.forEachPart(of: panels, parts: parts) { part in
      let r0 = part.lowerBound * 16
      BF16GEMM.pack(
        b: w + r0 * columns, ldb: columns, transB: true, k: columns, n: min(rows, part.upperBound * 16) - r0,
        into: packed + part.lowerBound * stride)
    }
  }
}
