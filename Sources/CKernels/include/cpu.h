#ifndef RNN_CPU_H
#define RNN_CPU_H

// The one CPU-feature check of the engine. The C kernels (gates.c, matvec.c, packedgemm.c) each
// have an AVX2/FMA path and a portable C path that computes the same results; every kernel picks
// its path with this function, and Swift asks the same question through
// NumericCore's `CPUFeatures.avx2FMA` (to prefer OpenBLAS or the Swift gate kernels, which are
// faster than scalar C, on a CPU without AVX2).

/// 1 when this CPU runs the AVX2/FMA kernels (x86-64 with AVX2 and FMA), else 0. Checked once per
/// process (CPUID), then cached.
int rnn_cpu_avx2_fma(void);

/// 1 when this CPU and OS run AVX-512 F code (the gate kernels' 16-lane path: AVX-512 F and XSAVE
/// state for the zmm and opmask registers), else 0. Checked once per process, then cached.
int rnn_cpu_avx512f(void);

/// 1 when this CPU and OS run the AVX-512 BF16 kernels of bf16gemm.h (VDPBF16PS: AVX-512 F, BW,
/// VL and BF16, and XSAVE state for the zmm and opmask registers), else 0. Checked once per
/// process, then cached. The environment variable RNN_BF16_PORTABLE (set, not "0") makes it 0, so
/// that the portable path can be run and tested on any CPU.
int rnn_cpu_avx512_bf16(void);

/// 1 when this build compiles the AVX2/FMA paths (x86-64 with GCC or Clang), else 0: elsewhere
/// only the portable paths exist and rnn_cpu_avx2_fma() is 0.
#if defined(__x86_64__) && defined(__GNUC__)
#define RNN_BUILD_AVX2 1
#else
#define RNN_BUILD_AVX2 0
#endif

#endif
