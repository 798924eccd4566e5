import NumericCore

/// A model's big matrices as bf16, packed for `BF16GEMM`. Forward (`op(B) = Wᵀ`): per layer `W_ih`
/// (`k = D`, `n = G·H`) and `W_hh` (`k = H`, `n = G·H`), and the decoder's `W_dec` (`k = H`,
/// `n = V`); refreshed from the fp32 master weights at every forward pass in bf16 (once per
/// optimizer step in training). Backward (`op(B) = W`, made by `refreshBackward` once per
/// backward pass): `W_ih` (`k = G·H`, `n = D`) for ∂L/∂x = dGx·W_ih, `W_hh` (`k = G·H`, `n = H`)
/// for the per-step ∂L/∂h_{t−1} = dG·W_hh, `W_dec` (`k = V`, `n = H`) for ∂L/∂h = dlogits·W_dec;
/// and `activations`, one `[k ≤ N, n ≤ max(D, H)]` operand of a weight gradient (`dW = dGᵀ·X`,
/// `X` packed as it is converted). The fp32 weights stay the model's parameters.
final class BF16Weights {
  let inputWeights: [BF16Buffer]
  let recurrentWeights: [BF16Buffer]
  let decoder: BF16Buffer
  /// The backward copies, allocated at the first backward pass (evaluation never needs them).
  private(set) lazy var inputWeightsBackward: [BF16Buffer] = layout.layers.map {
    BF16Buffer(count: BF16GEMM.packedSize(k: gateWidth, n: $0.inputSize))
  }
  private(set) lazy var recurrentWeightsBackward: [BF16Buffer] = layout.layers.map { _ in
    BF16Buffer(count: BF16GEMM.packedSize(k: gateWidth, n: hidden))
  }
  private(set) lazy var decoderBackward = BF16Buffer(count: BF16GEMM.packedSize(k: vocab, n: hidden))
  private(set) lazy var activations = BF16Buffer(
    count: BF16GEMM.packedSize(k: rows, n: max(hidden, layout.layers.map(\.inputSize).max() ?? hidden)))
  private let layout: ParameterLayout
  private let hidden: Int
  private let gateWidth: Int
  private let vocab: Int
  private let rows: Int

  /// For chunks of `rows` rows (`T·B`).
  init(config: ModelConfig, layout: ParameterLayout, rows: Int) {
    let H = config.hidden, GH = config.cell.gateCount * H, V = config.vocabSize
    inputWeights = layout.layers.map { BF16Buffer(count: BF16GEMM.packedSize(k: $0.inputSize, n: GH)) }
    recurrentWeights = layout.layers.map { _ in BF16Buffer(count: BF16GEMM.packedSize(k: H, n: GH)) }
    decoder = BF16Buffer(count: BF16GEMM.packedSize(k: H, n: V))
    self.layout = layout
    hidden = H
    gateWidth = GH
    vocab = V
    self.rows = rows
  }

  /// Rounds and packs every forward matrix from the fp32 parameters `p` (layout `layout`).
  func refresh(from p: UnsafePointer<Float>, config: ModelConfig, layout: ParameterLayout) {
    packAll(p, config: config, layout: layout, transposed: true, into: (inputWeights, recurrentWeights, decoder))
  }

  /// Rounds and packs every backward matrix from the fp32 parameters `p`: the weights the forward
  /// pass just used (backward runs before the optimizer step).
  func refreshBackward(from p: UnsafePointer<Float>, config: ModelConfig, layout: ParameterLayout) {
    packAll(
      p, config: config, layout: layout, transposed: false,
      into: (inputWeightsBackward, recurrentWeightsBackward, decoderBackward))
  }

  /// Packs every layer's `W_ih`, `W_hh` and the decoder's weight, transposed or not, into `into`.
  private func packAll(
    _ p: UnsafePointer<Float>, config: ModelConfig, layout: ParameterLayout, transposed: Bool,
    into: (input: [BF16Buffer], recurrent: [BF16Buffer], decoder: BF16Buffer)
  ) {
    let H = config.hidden, GH = config.cell.gateCount * H
    for (l, lay) in layout.layers.enumerated() {
      pack(p + lay.weightIH, rows: GH, columns: lay.inputSize, transposed: transposed, into: into.input[l])
      pack(p + lay.weightHH, rows: GH, columns: H, transposed: transposed, into: into.recurrent[l])
    }
    pack(p + layout.decoderWeight, rows: config.vocabSize, columns: H, transposed: transposed, into: into.decoder)
  }

  /// Packs `Wᵀ` (`transposed`) or `W` for a row-major `W` `[rows, columns]`.
  private func pack(
    _ w: UnsafePointer<Float>, rows: Int, columns: Int, transposed: Bool, into packed: BF16Buffer
  ) {
    BF16GEMM.parallelPack(
      b: w, ldb: columns, transB: transposed, k: transposed ? columns : rows, n: transposed ? rows : columns,
      into: packed.pointer)
  }
}
