#include "matvec.h"

#include <math.h>

#include "cpu.h"

// Both paths compute each y[i] the same way, so they agree bit for bit: 16 partial sums (two
// vectors of 8 lanes) take columns j ≡ l (mod 16) with one fused multiply-add each over the
// multiples of 16; a last block of 8 columns goes to the first 8; then the two vectors are added,
// the 8 lanes reduced pairwise (l + l+4, then (0+2) + (1+3)), and the last n % 8 columns added one
// plain product at a time (this file is built with -ffp-contract=off).

// MARK: Portable path

static float row_dot_portable(long n, const float *a, const float *x) {
  float s0[8] = {0}, s1[8] = {0};
  long j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 8; l++) {
      s0[l] = fmaf(a[j + l], x[j + l], s0[l]);
      s1[l] = fmaf(a[j + 8 + l], x[j + 8 + l], s1[l]);
    }
  if (j + 8 <= n) {
    for (int l = 0; l < 8; l++) s0[l] = fmaf(a[j + l], x[j + l], s0[l]);
    j += 8;
  }
  float v[8], q[4];
  for (int l = 0; l < 8; l++) v[l] = s0[l] + s1[l];
  for (int l = 0; l < 4; l++) q[l] = v[l] + v[l + 4];
  float s = (q[0] + q[2]) + (q[1] + q[3]);
  for (; j < n; j++) s += a[j] * x[j];
  return s;
}

void rnn_matvec_portable(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate,
                         int prefetch) {
  (void)prefetch;
  for (long i = 0; i < m; i++) {
    float s = row_dot_portable(n, a + i * lda, x);
    y[i] = accumulate ? y[i] + s : s;
  }
}

// MARK: AVX2 path

#if RNN_BUILD_AVX2
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define INLINE TARGET __attribute__((always_inline)) static inline

/// The sum of the 8 lanes: (l + l+4) for l < 4, then (0 + 2) + (1 + 3).
INLINE float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/// `rows` (1 or 4: a compile-time constant at each call, so the loops over rows unroll and the
/// sums stay in registers) consecutive rows of A against x. With `prefetch`, the same columns of
/// the next `rows` rows are prefetched into L1 as the loop goes.
INLINE void rows_avx2(int rows, long n, const float *a, long lda, const float *x, float *y, int accumulate,
                      int prefetch) {
  __m256 s0[4], s1[4];
  for (int r = 0; r < rows; r++) s0[r] = s1[r] = _mm256_setzero_ps();
  long j = 0;
  for (; j + 16 <= n; j += 16) {
    if (prefetch)
      for (int r = 0; r < rows; r++) _mm_prefetch((const char *)(a + (rows + r) * lda + j), _MM_HINT_T0);
    __m256 x0 = _mm256_loadu_ps(x + j), x1 = _mm256_loadu_ps(x + j + 8);
    for (int r = 0; r < rows; r++) {
      s0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j), x0, s0[r]);
      s1[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j + 8), x1, s1[r]);
    }
  }
  if (j + 8 <= n) {
    __m256 x0 = _mm256_loadu_ps(x + j);
    for (int r = 0; r < rows; r++) s0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j), x0, s0[r]);
    j += 8;
  }
  for (int r = 0; r < rows; r++) {
    float s = hsum(_mm256_add_ps(s0[r], s1[r]));
    for (long q = j; q < n; q++) s += a[r * lda + q] * x[q];
    y[r] = accumulate ? y[r] + s : s;
  }
}

// Kept out of line, as separate functions (one body per row count).
TARGET __attribute__((noinline)) static void rows1(long n, const float *a, long lda, const float *x, float *y, int accumulate) {
  rows_avx2(1, n, a, lda, x, y, accumulate, 0);
}

TARGET __attribute__((noinline)) static void rows4(long n, const float *a, long lda, const float *x, float *y, int accumulate, int prefetch) {
  rows_avx2(4, n, a, lda, x, y, accumulate, prefetch);
}

/// Four rows at a time (prefetching the next four while there are at least four more), then the
/// last m % 4 one by one.
TARGET static void matvec_avx2(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate,
                               int prefetch) {
  long i = 0;
  for (; i + 8 <= m; i += 4) rows4(n, a + i * lda, lda, x, y + i, accumulate, prefetch);
  for (; i + 4 <= m; i += 4) rows4(n, a + i * lda, lda, x, y + i, accumulate, 0);
  for (; i < m; i++) rows1(n, a + i * lda, lda, x, y + i, accumulate);
}
#endif

// MARK: Dispatch

void rnn_matvec(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate, int prefetch) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    matvec_avx2(m, n, a, lda, x, y, accumulate, prefetch);
    return;
  }
#endif
  rnn_matvec_portable(m, n, a, lda, x, y, accumulate, prefetch);
}
