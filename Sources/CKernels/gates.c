#include "gates.h"
#include "packedgemm.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

// The arithmetic of Sources/NumericCore/FastMath.swift (Cephes expf/tanhf, no fused multiply-add:
// this file is built with -ffp-contract=off) and of the Swift gate kernels, operation for
// operation and in the same order, on 8 lanes of AVX2 instead of two SSE halves: every result is
// bit-identical to the Swift code, which stays the path for CPUs without AVX2.

#define TARGET __attribute__((target("avx2,fma")))
#define INLINE TARGET __attribute__((always_inline)) static inline

typedef __m256 v8;

INLINE v8 splat(float x) { return _mm256_set1_ps(x); }
INLINE v8 pick(v8 mask, v8 yes, v8 no) { return _mm256_blendv_ps(no, yes, mask); }

INLINE v8 exp_kernel(v8 x) {
  v8 xc = pick(_mm256_cmp_ps(x, splat(88.8f), _CMP_GT_OQ), splat(88.8f), x);
  xc = pick(_mm256_cmp_ps(xc, splat(-88.0f), _CMP_LT_OQ), splat(-88.0f), xc);
  v8 t = _mm256_add_ps(_mm256_mul_ps(xc, splat(1.44269504088896341f)), splat(12582912.0f));
  v8 n = _mm256_sub_ps(t, splat(12582912.0f));
  __m256i ni = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_set1_epi32(0x4B400000));
  v8 r = _mm256_sub_ps(xc, _mm256_mul_ps(n, splat(0.693359375f)));
  r = _mm256_sub_ps(r, _mm256_mul_ps(n, splat(-2.12194440e-4f)));
  v8 z = _mm256_mul_ps(r, r);
  v8 p = splat(1.9875691500e-4f);
  p = _mm256_add_ps(_mm256_mul_ps(p, r), splat(1.3981999507e-3f));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), splat(8.3334519073e-3f));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), splat(4.1665795894e-2f));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), splat(1.6666665459e-1f));
  p = _mm256_add_ps(_mm256_mul_ps(p, r), splat(5.0000001201e-1f));
  p = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(p, z), r), splat(1.0f));
  __m256i n1 = _mm256_srai_epi32(ni, 1);
  __m256i n2 = _mm256_sub_epi32(ni, n1);
  v8 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, _mm256_set1_epi32(127)), 23));
  v8 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, _mm256_set1_epi32(127)), 23));
  v8 y = _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
  return pick(_mm256_cmp_ps(x, splat(-87.33654022216797f), _CMP_LT_OQ), _mm256_setzero_ps(), y);
}

INLINE v8 tanh8(v8 x) {
  v8 sign = _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u)));
  v8 ax = _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF)));
  v8 z = _mm256_mul_ps(ax, ax);
  v8 p = splat(-5.70498872745e-3f);
  p = _mm256_add_ps(_mm256_mul_ps(p, z), splat(2.06390887954e-2f));
  p = _mm256_sub_ps(_mm256_mul_ps(p, z), splat(5.37397155531e-2f));
  p = _mm256_add_ps(_mm256_mul_ps(p, z), splat(1.33314422036e-1f));
  p = _mm256_sub_ps(_mm256_mul_ps(p, z), splat(3.33332819422e-1f));
  v8 small = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, z), ax), ax);
  v8 capped = pick(_mm256_cmp_ps(ax, splat(9.0f), _CMP_GT_OQ), splat(9.0f), ax);
  v8 e = exp_kernel(_mm256_add_ps(capped, capped));
  v8 large = _mm256_sub_ps(splat(1.0f), _mm256_div_ps(splat(2.0f), _mm256_add_ps(e, splat(1.0f))));
  v8 t = pick(_mm256_cmp_ps(ax, splat(0.625f), _CMP_LT_OQ), small, large);
  t = pick(_mm256_cmp_ps(ax, splat(9.0f), _CMP_GE_OQ), splat(1.0f), t);
  return _mm256_or_ps(t, sign);
}

INLINE v8 sigmoid8(v8 x) {
  v8 ax = _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF)));
  v8 e = exp_kernel(_mm256_sub_ps(_mm256_setzero_ps(), ax));
  v8 num = pick(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ), e, splat(1.0f));
  return _mm256_div_ps(num, _mm256_add_ps(splat(1.0f), e));
}

// Loads and stores of w ≤ 8 lanes (the tail of a row reads zeros, as the Swift `load` does).
INLINE v8 ld(const float *p, long w) {
  if (w >= 8) return _mm256_loadu_ps(p);
  float t[8] = {0};
  for (long i = 0; i < w; i++) t[i] = p[i];
  return _mm256_loadu_ps(t);
}
INLINE void st(v8 v, float *p, long w) {
  if (w >= 8) {
    _mm256_storeu_ps(p, v);
    return;
  }
  float t[8];
  _mm256_storeu_ps(t, v);
  for (long i = 0; i < w; i++) p[i] = t[i];
}

#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define MUL _mm256_mul_ps

TARGET void rnn_lstm_forward(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {
  const long H = stride;
  for (long j = 0; j < n; j += 8) {
    long w = n - j < 8 ? n - j : 8;
    v8 i = sigmoid8(ADD(ld(g + j, w), ld(r + j, w)));
    v8 f = sigmoid8(ADD(ld(g + H + j, w), ld(r + H + j, w)));
    v8 gg = tanh8(ADD(ld(g + 2 * H + j, w), ld(r + 2 * H + j, w)));
    v8 o = sigmoid8(ADD(ld(g + 3 * H + j, w), ld(r + 3 * H + j, w)));
    v8 c_new = ADD(MUL(f, ld(c_prev + j, w)), MUL(i, gg));
    v8 tc = tanh8(c_new);
    st(i, g + j, w);
    st(f, g + H + j, w);
    st(gg, g + 2 * H + j, w);
    st(o, g + 3 * H + j, w);
    st(c_new, c + j, w);
    st(MUL(o, tc), h + j, w);
  }
}

TARGET void rnn_lstm_backward(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                              float *dg) {
  const long H = n;
  const v8 one = splat(1.0f);
  for (long j = 0; j < n; j += 8) {
    long w = n - j < 8 ? n - j : 8;
    v8 i = ld(g + j, w), f = ld(g + H + j, w), gg = ld(g + 2 * H + j, w), o = ld(g + 3 * H + j, w);
    v8 tc = tanh8(ld(c + j, w));
    v8 dhv = ld(dh + j, w);
    v8 dcv = ADD(MUL(MUL(dhv, o), SUB(one, MUL(tc, tc))), ld(dc + j, w));
    st(MUL(MUL(MUL(dcv, gg), i), SUB(one, i)), dg + j, w);
    st(MUL(MUL(MUL(dcv, ld(c_prev + j, w)), f), SUB(one, f)), dg + H + j, w);
    st(MUL(MUL(dcv, i), SUB(one, MUL(gg, gg))), dg + 2 * H + j, w);
    st(MUL(MUL(MUL(dhv, tc), o), SUB(one, o)), dg + 3 * H + j, w);
    st(MUL(dcv, f), dc + j, w);
  }
}

TARGET void rnn_gru_forward(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {
  const long H = stride;
  const v8 one = splat(1.0f);
  for (long j = 0; j < n; j += 8) {
    long w = n - j < 8 ? n - j : 8;
    v8 rv = sigmoid8(ADD(ld(g + j, w), ld(r + j, w)));
    v8 zv = sigmoid8(ADD(ld(g + H + j, w), ld(r + H + j, w)));
    v8 hnv = ld(r + 2 * H + j, w);
    v8 nv = tanh8(ADD(ld(g + 2 * H + j, w), MUL(rv, hnv)));
    v8 hp = ld(h_prev + j, w);
    st(rv, g + j, w);
    st(zv, g + H + j, w);
    st(nv, g + 2 * H + j, w);
    st(hnv, hn + j, w);
    st(ADD(MUL(SUB(one, zv), nv), MUL(zv, hp)), h + j, w);
  }
}

TARGET void rnn_tanh_rnn_forward(long n, const float *g, const float *r, float *h) {
  for (long j = 0; j < n; j += 8) {
    long w = n - j < 8 ? n - j : 8;
    st(tanh8(ADD(ld(g + j, w), ld(r + j, w))), h + j, w);
  }
}

// The same CPU test as the packed GEMM's (AVX2 and FMA).
int rnn_gates_available(void) { return rnn_packed_available(); }

#else

// Without x86-64 the Swift kernels run (rnn_gates_available() is 0); these are never called.
int rnn_gates_available(void) { return 0; }
void rnn_lstm_forward(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {}
void rnn_lstm_backward(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                       float *dg) {}
void rnn_gru_forward(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {}
void rnn_tanh_rnn_forward(long n, const float *g, const float *r, float *h) {}

#endif
