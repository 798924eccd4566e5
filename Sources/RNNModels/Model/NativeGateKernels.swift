import CKernels
import NumericCore

/// Whether the gate kernels run their AVX2 twins in C (`Sources/CKernels/gates.c`): the same
/// operations in the same order on 8-wide vectors, so the same bits as the Swift code, which is
/// compiled for baseline x86-64 (two SSE halves per `SIMD8`) and stays the path on CPUs without
/// AVX2 and FMA (faster there than the C kernels' portable path). The engine's one CPU check.
enum NativeGateKernels {
  static let available = CPUFeatures.avx2FMA
}
