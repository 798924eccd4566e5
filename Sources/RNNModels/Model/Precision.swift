import NumericCore

/// How a model's big matrix products run: forward, the input projection of a chunk, the recurrent
/// product of every step and the decoder; backward, their data gradients (∂L/∂x = dGx·W_ih, the
/// per-step ∂L/∂h_{t−1} = dG·W_hh, ∂L/∂h = dlogits·W_dec) and the weight gradients
/// (dW = dGᵀ·X). `fp32` is the engine as it always was. `bf16` rounds both operands of those
/// products to bfloat16 (8 significant bits) and accumulates in fp32 (`BF16GEMM`), the weight
/// gradients into the fp32 gradient buffers; everything else stays fp32: the gates'
/// non-linearities, the cell state, the loss and its gradient, the bias gradients, layer 0's
/// token-table products (V rows), the optimizer and its state, and the master weights, which are
/// rounded to bf16 copies once per forward pass and once per backward pass. Checkpoints hold the
/// fp32 weights either way.
public enum Precision: String, Sendable, Equatable, CaseIterable {
  case fp32, bf16

  /// For a user about to run `self`: where bf16 runs on the portable C path (no AVX-512 BF16 here,
  /// or `RNN_BF16_PORTABLE` set), a one-line note that says so; nil otherwise.
  public var portableNote: String? {
    guard self == .bf16, !BF16GEMM.isNative else { return nil }
    return
      "this CPU lacks AVX-512 BF16 (avx512_bf16, VDPBF16PS), or RNN_BF16_PORTABLE is set: precision bf16 runs on the "
      + "portable C path (same results, much slower than fp32)"
  }
}
