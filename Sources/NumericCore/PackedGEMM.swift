import CKernels

/// The per-time-step product of a recurrent layer, `C[m×n] (+)= A[m×k] · op(B)`, with the weight
/// matrix `B` packed once per chunk (`CKernels/packedgemm.c`: panels of 16 columns, an AVX2/FMA
/// 4×16 micro-kernel). A step then pays neither OpenBLAS's re-packing of the weights (about a
/// fifth of training time with sgemm) nor a thread hand-off. Where the CPU lacks AVX2/FMA,
/// `isAvailable` is false and callers use `BLAS.serialGemm` (the kernel's portable C path gives
/// the same bits but is slower than OpenBLAS).
public enum PackedGEMM {
  /// Whether the AVX2/FMA micro-kernel runs here (`CPUFeatures.avx2FMA`).
  public static let isAvailable: Bool = CPUFeatures.avx2FMA

  /// Floats a packed `k×n` operand takes.
  public static func size(k: Int, n: Int) -> Int { Int(rnn_packed_size(k, n)) }

  /// Packs `op(B)` (`k×n`; with `transB`, `B` is stored `n×k`) into `packed`
  /// (`size(k:n:)` floats).
  public static func pack(
    b: UnsafePointer<Float>, ldb: Int, transB: Bool, k: Int, n: Int, into packed: UnsafeMutablePointer<Float>
  ) {
    rnn_pack_b(b, ldb, transB ? 1 : 0, k, n, packed)
  }

  /// `C[m×n] = A[m×k] · op(B)`, plus `C` when `accumulate`; `packed` from `pack`.
  @inline(__always)
  public static func multiply(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) {
    guard m > 0, n > 0 else { return }
    rnn_gemm_packed(m, n, k, a, lda, packed, c, ldc, accumulate ? 1 : 0)
  }
}
