import CKernels

/// What the CPU offers the C kernels: the engine's CPU-feature checks (`CKernels/cpu.c`, each made
/// once per process). Every C kernel picks its own path with the same checks; Swift asks them to
/// choose between those kernels and the alternatives that beat scalar C on a CPU without AVX2
/// (OpenBLAS for the packed GEMM and matvec, the Swift gate kernels), and to say which path
/// `precision bf16` runs on.
public enum CPUFeatures {
  /// Whether this CPU runs the AVX2/FMA kernels (x86-64 with AVX2 and FMA).
  public static let avx2FMA: Bool = rnn_cpu_avx2_fma() != 0

  /// Whether this CPU (and OS) runs the AVX-512 BF16 kernels (VDPBF16PS). False when the
  /// environment variable `RNN_BF16_PORTABLE` is set (and not `0`): the portable path then runs.
  public static let avx512BF16: Bool = rnn_cpu_avx512_bf16() != 0
}
