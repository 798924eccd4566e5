#include "gates.h"

#include <stdint.h>
#include <string.h>

#include "cpu.h"

// Two paths with one arithmetic: that of Sources/NumericCore/FastMath.swift (Cephes expf/tanhf)
// and of the Swift gate kernels, operation for operation and in the same order, with no fused
// multiply-add (this file is built with -ffp-contract=off). The AVX2 path does it on 8 lanes, the
// portable path one value at a time; both are bit-identical to the Swift code (NativeGateKernelTests,
// PortableKernelTests). Each public function takes the AVX2 path when rnn_cpu_avx2_fma() says
// the CPU has it.

// MARK: Portable path

static inline float from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static inline uint32_t to_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/// e^x: Cephes expf with the input clamped to [−88, 88.8], 0 below −87.336…
static inline float exp1(float x) {
  float xc = x > 88.8f ? 88.8f : x;
  xc = xc < -88.0f ? -88.0f : xc;
  float t = xc * 1.44269504088896341f + 12582912.0f;
  float n = t - 12582912.0f;
  int32_t ni = (int32_t)(to_bits(t) - 0x4B400000u);
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float z = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = (p * z + r) + 1.0f;
  int32_t n1 = ni >> 1;  // arithmetic shift, as _mm256_srai_epi32
  int32_t n2 = ni - n1;
  float s1 = from_bits((uint32_t)(n1 + 127) << 23);
  float s2 = from_bits((uint32_t)(n2 + 127) << 23);
  float y = (p * s1) * s2;
  return x < -87.33654022216797f ? 0.0f : y;
}

/// tanh: an odd polynomial below 0.625, 1 − 2/(e^{2|x|} + 1) above, 1 from 9 on; sign restored.
static inline float tanh1(float x) {
  uint32_t sign = to_bits(x) & 0x80000000u;
  float ax = from_bits(to_bits(x) & 0x7FFFFFFFu);
  float z = ax * ax;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  float small = (p * z) * ax + ax;
  float capped = ax > 9.0f ? 9.0f : ax;
  float e = exp1(capped + capped);
  float large = 1.0f - 2.0f / (e + 1.0f);
  float t = ax < 0.625f ? small : large;
  t = ax >= 9.0f ? 1.0f : t;
  return from_bits(to_bits(t) | sign);
}

/// σ(x) = 1/(1 + e^−|x|) for x ≥ 0, e^−|x|/(1 + e^−|x|) below.
static inline float sigmoid1(float x) {
  float ax = from_bits(to_bits(x) & 0x7FFFFFFFu);
  float e = exp1(0.0f - ax);
  float num = x < 0.0f ? e : 1.0f;
  return num / (1.0f + e);
}

void rnn_lstm_forward_portable(long n, long stride, float *g, const float *r, const float *c_prev, float *c,
                               float *h) {
  const long H = stride;
  for (long j = 0; j < n; j++) {
    float i = sigmoid1(g[j] + r[j]);
    float f = sigmoid1(g[H + j] + r[H + j]);
    float gg = tanh1(g[2 * H + j] + r[2 * H + j]);
    float o = sigmoid1(g[3 * H + j] + r[3 * H + j]);
    float c_new = f * c_prev[j] + i * gg;
    float tc = tanh1(c_new);
    g[j] = i;
    g[H + j] = f;
    g[2 * H + j] = gg;
    g[3 * H + j] = o;
    c[j] = c_new;
    h[j] = o * tc;
  }
}

void rnn_lstm_backward_portable(long n, const float *dh, float *dc, const float *g, const float *c_prev,
                                const float *c, float *dg) {
  const long H = n;
  for (long j = 0; j < n; j++) {
    float i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j];
    float tc = tanh1(c[j]);
    float dhv = dh[j];
    float dcv = (dhv * o) * (1.0f - tc * tc) + dc[j];
    dg[j] = ((dcv * gg) * i) * (1.0f - i);
    dg[H + j] = ((dcv * c_prev[j]) * f) * (1.0f - f);
    dg[2 * H + j] = (dcv * i) * (1.0f - gg * gg);
    dg[3 * H + j] = ((dhv * tc) * o) * (1.0f - o);
    dc[j] = dcv * f;
  }
}

void rnn_gru_forward_portable(long n, long stride, float *g, const float *r, const float *h_prev, float *hn,
                              float *h) {
  const long H = stride;
  for (long j = 0; j < n; j++) {
    float rv = sigmoid1(g[j] + r[j]);
    float zv = sigmoid1(g[H + j] + r[H + j]);
    float hnv = r[2 * H + j];
    float nv = tanh1(g[2 * H + j] + rv * hnv);
    float hp = h_prev[j];
    g[j] = rv;
    g[H + j] = zv;
    g[2 * H + j] = nv;
    hn[j] = hnv;
    h[j] = (1.0f - zv) * nv + zv * hp;
  }
}

void rnn_tanh_rnn_forward_portable(long n, const float *g, const float *r, float *h) {
  for (long j = 0; j < n; j++) h[j] = tanh1(g[j] + r[j]);
}

// MARK: AVX2 path

#if RNN_BUILD_AVX2
#include <immintrin.h>

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

TARGET static void lstm_forward_avx2(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {
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

TARGET static void lstm_backward_avx2(long n, const float *dh, float *dc, const float *g, const float *c_prev,
                                      const float *c, float *dg) {
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

TARGET static void gru_forward_avx2(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {
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

TARGET static void tanh_rnn_forward_avx2(long n, const float *g, const float *r, float *h) {
  for (long j = 0; j < n; j += 8) {
    long w = n - j < 8 ? n - j : 8;
    st(tanh8(ADD(ld(g + j, w), ld(r + j, w))), h + j, w);
  }
}

#endif

// MARK: Dispatch

void rnn_lstm_forward(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    lstm_forward_avx2(n, stride, g, r, c_prev, c, h);
    return;
  }
#endif
  rnn_lstm_forward_portable(n, stride, g, r, c_prev, c, h);
}

void rnn_lstm_backward(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                       float *dg) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    lstm_backward_avx2(n, dh, dc, g, c_prev, c, dg);
    return;
  }
#endif
  rnn_lstm_backward_portable(n, dh, dc, g, c_prev, c, dg);
}

void rnn_gru_forward(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    gru_forward_avx2(n, stride, g, r, h_prev, hn, h);
    return;
  }
#endif
  rnn_gru_forward_portable(n, stride, g, r, h_prev, hn, h);
}

void rnn_tanh_rnn_forward(long n, const float *g, const float *r, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    tanh_rnn_forward_avx2(n, g, r, h);
    return;
  }
#endif
  rnn_tanh_rnn_forward_portable(n, g, r, h);
}
