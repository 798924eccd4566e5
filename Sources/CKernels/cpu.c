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

/// Whether CPUID leaf 7 subleaf 0 has every bit of `needed` in EBX (AVX-512 F is bit 16, BW 30,
/// VL 31) and the OS saves the opmask and all 32 zmm registers (CPUID.1:ECX.OSXSAVE, then XCR0
/// bits 1, 2, 5, 6, 7); `max_subleaf` gets leaf 7's highest subleaf.
static int has_avx512(unsigned needed, unsigned *max_subleaf) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xe6u) != 0xe6u) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  *max_subleaf = a;
  return (b & needed) == needed;
}

static int detect_avx512f(void) {
  unsigned subleaves;
  return has_avx512(1u << 16, &subleaves);
}

/// AVX-512 F, BW, VL and BF16 (leaf 7 subleaf 1, EAX bit 5).
static int detect_avx512_bf16(void) {
  const char *portable = getenv("RNN_BF16_PORTABLE");
  if (portable && *portable && strcmp(portable, "0") != 0) return 0;
  unsigned subleaves, a, b, c, d;
  if (!has_avx512((1u << 16) | (1u << 30) | (1u << 31), &subleaves) || subleaves < 1) return 0;
  __cpuid_count(7, 1, a, b, c, d);
  return (a >> 5) & 1u;
}
#else
static int detect(void) { return 0; }
static int detect_avx512f(void) { return 0; }
static int detect_avx512_bf16(void) { return 0; }
#endif

// -1 until the first call. Relaxed is enough: every thread that races here computes and stores
// the same value, and nothing else is published through it.
static _Atomic int cached = -1;
static _Atomic int cached_avx512f = -1;
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

int rnn_cpu_avx512f(void) { return once(&cached_avx512f, detect_avx512f); }

int rnn_cpu_avx512_bf16(void) { return once(&cached_bf16, detect_avx512_bf16); }
