// The bf16 GEMM (Sources/CKernels/bf16gemm.c) on the shapes an LSTM's training step runs, single
// threaded, in GFLOP per CPU-second (CLOCK_THREAD_CPUTIME_ID: a busy machine's other processes
// do not count against it). Built and run by scripts/bf16-gemm-shapes.sh, which compares two
// versions of the kernel alternating. Usage: bf16_gemm_shapes ROUNDS, prints "m n k trans gflops"
// per shape per round.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bf16gemm.h"

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/// Best of 5 timings of repeated C = bf16(op(A))·B products (≈ 2 GFLOP each), in GFLOP/s.
static double measure(long m, long n, long k, int trans) {
  float *a = malloc(sizeof(float) * (size_t)(m * k)), *b = malloc(sizeof(float) * (size_t)(k * n));
  float *c = malloc(sizeof(float) * (size_t)(m * n));
  uint16_t *packed = malloc(sizeof(uint16_t) * (size_t)rnn_bf16_packed_size(k, n));
  if (!a || !b || !c || !packed) abort();
  for (long i = 0; i < m * k; i++) a[i] = (float)(i % 7) * 0.1f - 0.3f;
  for (long i = 0; i < k * n; i++) b[i] = (float)(i % 5) * 0.1f - 0.2f;
  rnn_bf16_pack_b(b, n, 0, k, n, packed);
  double flops = 2.0 * (double)m * (double)n * (double)k, best = 1e30;
  int reps = (int)(2e9 / flops) + 1;
  for (int round = 0; round < 5; round++) {
    double t = cpu_seconds();
    for (int i = 0; i < reps; i++) {
      if (trans) rnn_gemm_bf16_at(m, n, k, a, m, packed, c, n, 0);
      else rnn_gemm_bf16(m, n, k, a, k, packed, c, n, 0);
    }
    t = (cpu_seconds() - t) / reps;
    if (t < best) best = t;
  }
  free(a), free(b), free(c), free(packed);
  return flops / best / 1e9;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1;
  // m n k trans: per core (B = 64 split in two) the recurrence h·W_hhᵀ and its backward dG·W_hh,
  // the input projection and ∂x over T·B rows, the weight gradient dGᵀ·X; H = 512 (G·H = 2048,
  // T·B = 4096) and H = 1024 (G·H = 4096, T·B = 6400); and a square 2048³.
  static const long shapes[][4] = {
      {32, 2048, 512, 0},    {32, 512, 2048, 0},    {4096, 2048, 512, 0}, {4096, 512, 2048, 0},
      {2048, 512, 4096, 1},  {32, 4096, 1024, 0},   {32, 1024, 4096, 0},  {4096, 1024, 6400, 1},
      {2048, 2048, 2048, 0},
  };
  for (int r = 0; r < rounds; r++)
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
      const long *x = shapes[s];
      printf("%ld %ld %ld %ld %.1f\n", x[0], x[1], x[2], x[3], measure(x[0], x[1], x[2], (int)x[3]));
      fflush(stdout);
    }
  return 0;
}
