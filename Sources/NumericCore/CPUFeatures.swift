import CKernels

/// What the CPU offers the C kernels: the engine's one CPU-feature check (`rnn_cpu_avx2_fma` in
/// `CKernels/cpu.c`, made once per process). Every C kernel picks its own path with the same
/// check; Swift asks it to choose between those kernels and the alternatives that beat scalar C
/// on a CPU without AVX2 (OpenBLAS for the packed GEMM and matvec, the Swift gate kernels).
public enum CPUFeatures {
  /// Whether this CPU runs the AVX2/FMA kernels (x86-64 with AVX2 and FMA).
  public static let avx2FMA: Bool = rnn_cpu_avx2_fma() != 0
}
