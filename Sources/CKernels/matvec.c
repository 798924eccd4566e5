#include "matvec.h"
#include "packedgemm.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

// The same CPU test as the packed GEMM's (AVX2 and FMA).
int rnn_matvec_available(void) { return rnn_packed_available(); }

__attribute__((target("avx2,fma"), always_inline)) static inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// R rows (1 or 4) against x: two accumulators per row over 16 columns a step, then 8, then
// scalars for the last n % 8.
#define ROWS(R)                                                                                       \
  __attribute__((target("avx2,fma"))) static void rows##R(long n, const float *a, long lda, const float *x, \
                                                         float *y, int accumulate, int prefetch) {    \
    __m256 s0[R], s1[R];                                                                             \
    for (int r = 0; r < R; r++) s0[r] = s1[r] = _mm256_setzero_ps();                                 \
    long j = 0;                                                                                      \
    for (; j + 16 <= n; j += 16) {                                                                   \
      if (prefetch)                                                                                  \
        for (int r = 0; r < R; r++) _mm_prefetch((const char *)(a + (R + r) * lda + j), _MM_HINT_T0); \
      __m256 x0 = _mm256_loadu_ps(x + j), x1 = _mm256_loadu_ps(x + j + 8);                           \
      for (int r = 0; r < R; r++) {                                                                  \
        s0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j), x0, s0[r]);                         \
        s1[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j + 8), x1, s1[r]);                     \
      }                                                                                              \
    }                                                                                                \
    if (j + 8 <= n) {                                                                                \
      __m256 x0 = _mm256_loadu_ps(x + j);                                                            \
      for (int r = 0; r < R; r++) s0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(a + r * lda + j), x0, s0[r]); \
      j += 8;                                                                                        \
    }                                                                                                \
    for (int r = 0; r < R; r++) {                                                                    \
      float s = hsum(_mm256_add_ps(s0[r], s1[r]));                                                   \
      for (long q = j; q < n; q++) s += a[r * lda + q] * x[q];                                       \
      y[r] = accumulate ? y[r] + s : s;                                                              \
    }                                                                                                \
  }
ROWS(1)
ROWS(4)

void rnn_matvec(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate, int prefetch) {
  long i = 0;
  for (; i + 8 <= m; i += 4) rows4(n, a + i * lda, lda, x, y + i, accumulate, prefetch);
  for (; i + 4 <= m; i += 4) rows4(n, a + i * lda, lda, x, y + i, accumulate, 0);
  for (; i < m; i++) rows1(n, a + i * lda, lda, x, y + i, accumulate, 0);
}

#else

int rnn_matvec_available(void) { return 0; }

void rnn_matvec(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate, int prefetch) {
  for (long i = 0; i < m; i++) {
    float s = 0;
    for (long j = 0; j < n; j++) s += a[i * lda + j] * x[j];
    y[i] = accumulate ? y[i] + s : s;
  }
}

#endif
