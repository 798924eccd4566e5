#include "cpu.h"

#include <stdatomic.h>

#if RNN_BUILD_AVX2
static int detect(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static int detect(void) { return 0; }
#endif

// -1 until the first call. Relaxed is enough: every thread that races here computes and stores
// the same value, and nothing else is published through it.
static _Atomic int cached = -1;

int rnn_cpu_avx2_fma(void) {
  int known = atomic_load_explicit(&cached, memory_order_relaxed);
  if (known < 0) {
    known = detect();
    atomic_store_explicit(&cached, known, memory_order_relaxed);
  }
  return known;
}
