#include "cpu.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if RNN_BUILD_AVX2
#include <cpuid.h>

static int detect(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/// AVX-512 F, BW, VL (CPUID leaf 7 subleaf 0, EBX bits 16, 30, 31) and BF16 (leaf 7 subleaf 1,
/// EAX bit 5), and an OS that saves the opmask and all 32 zmm registers (CPUID.1:ECX.OSXSAVE,
/// then XCR0 bits 1, 2, 5, 6, 7).
static int detect_avx512_bf16(void) {
  const char *portable = getenv("RNN_BF16_PORTABLE");
  if (portable && *portable && strcmp(portable, "0") != 0) return 0;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xe6u) != 0xe6u) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  unsigned needed = (1u << 16) | (1u << 30) | (1u << 31);
  if ((b & needed) != needed || a < 1) return 0;
  __cpuid_count(7, 1, a, b, c, d);
  return (a >> 5) & 1u;
}
#else
static int detect(void) { return 0; }
static int detect_avx512_bf16(void) { return 0; }
#endif

// -1 until the first call. Relaxed is enough: every thread that races here computes and stores
// the same value, and nothing else is published through it.
static _Atomic int cached = -1;
static _Atomic int cached_bf16 = -1;

static int once(_Atomic int *slot, int (*check)(void)) {
  int known = atomic_load_explicit(slot, memory_order_relaxed);
  if (known < 0) {
    known = check();
    atomic_store_explicit(slot, known, memory_order_relaxed);
  }
  return known;
}

int rnn_cpu_avx2_fma(void) { return once(&cached, detect); }

int rnn_cpu_avx512_bf16(void) { return once(&cached_bf16, detect_avx512_bf16); }
