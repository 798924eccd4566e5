#include "gates.h"

#include <stdint.h>
#include <string.h>

#include "cpu.h"

// Three paths with one arithmetic: that of Sources/NumericCore/FastMath.swift (Cephes expf/tanhf)
// and of the Swift gate kernels, operation for operation and in the same order, with no fused
// multiply-add (this file is built with -ffp-contract=off). The vector paths (gates_vector.h) do
// it on 16 AVX-512 lanes or 8 AVX2 lanes, the portable path one value at a time; all are
// bit-identical to the Swift code (NativeGateKernelTests, PortableKernelTests). Each public
// function takes the widest path the CPU runs (rnn_cpu_avx512f(), else rnn_cpu_avx2_fma(), else
// portable); the `_avx2` functions take the AVX2 path where the CPU has it, so that tests compare
// all three on an AVX-512 CPU.

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

// MARK: Vector paths

#if RNN_BUILD_AVX2
#include <immintrin.h>

// AVX2 and FMA (FMA only for the CPU check: nothing here fuses), 8 lanes.
#define V __m256
#define VI __m256i
#define SUFFIX _avx2_v
#define TARGET_V __attribute__((target("avx2,fma")))
#define V_LANES 8
#define V_SPLAT _mm256_set1_ps
#define V_ADD _mm256_add_ps
#define V_SUB _mm256_sub_ps
#define V_MUL _mm256_mul_ps
#define V_DIV _mm256_div_ps
#define V_MIN _mm256_min_ps
#define V_MAX _mm256_max_ps
#define V_OR _mm256_or_ps
#define V_AND_BITS(v, mask) _mm256_and_ps(v, _mm256_castsi256_ps(_mm256_set1_epi32(mask)))
#define V_ZERO _mm256_setzero_ps()
#define V_SEL_LT(a, b, yes, no) _mm256_blendv_ps(no, yes, _mm256_cmp_ps(a, b, _CMP_LT_OQ))
#define V_SEL_GE(a, b, yes, no) _mm256_blendv_ps(no, yes, _mm256_cmp_ps(a, b, _CMP_GE_OQ))
#define VI_SPLAT _mm256_set1_epi32
#define VI_ADD _mm256_add_epi32
#define VI_SUB _mm256_sub_epi32
#define VI_SRAI _mm256_srai_epi32
#define VI_SLLI _mm256_slli_epi32
#define V_AS_INT _mm256_castps_si256
#define INT_AS_V _mm256_castsi256_ps
#define V_LD ld8
#define V_ST st8

// Loads and stores of w ≤ 8 lanes (the tail of a row reads zeros, as the Swift `load` does).
TARGET_V __attribute__((always_inline)) static inline __m256 ld8(const float *p, long w) {
  if (w >= 8) return _mm256_loadu_ps(p);
  float t[8] = {0};
  for (long i = 0; i < w; i++) t[i] = p[i];
  return _mm256_loadu_ps(t);
}
TARGET_V __attribute__((always_inline)) static inline void st8(__m256 v, float *p, long w) {
  if (w >= 8) {
    _mm256_storeu_ps(p, v);
    return;
  }
  float t[8];
  _mm256_storeu_ps(t, v);
  for (long i = 0; i < w; i++) p[i] = t[i];
}

#include "gates_vector.h"

#undef V
#undef VI
#undef SUFFIX
#undef TARGET_V
#undef V_LANES
#undef V_SPLAT
#undef V_ADD
#undef V_SUB
#undef V_MUL
#undef V_DIV
#undef V_MIN
#undef V_MAX
#undef V_OR
#undef V_AND_BITS
#undef V_ZERO
#undef V_SEL_LT
#undef V_SEL_GE
#undef VI_SPLAT
#undef VI_ADD
#undef VI_SUB
#undef VI_SRAI
#undef VI_SLLI
#undef V_AS_INT
#undef INT_AS_V
#undef V_LD
#undef V_ST

// AVX-512 F, 16 lanes: the same arithmetic with half the instructions (1.6× the AVX2 path's
// LSTM forward per CPU-second on Zen 4, which splits each 512-bit operation in two but decodes
// it once).
#define V __m512
#define VI __m512i
#define SUFFIX _avx512_v
#define TARGET_V __attribute__((target("avx512f")))
#define V_LANES 16
#define V_SPLAT _mm512_set1_ps
#define V_ADD _mm512_add_ps
#define V_SUB _mm512_sub_ps
#define V_MUL _mm512_mul_ps
#define V_DIV _mm512_div_ps
#define V_MIN _mm512_min_ps
#define V_MAX _mm512_max_ps
#define V_OR(a, b) _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)))
#define V_AND_BITS(v, mask) _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(mask)))
#define V_ZERO _mm512_setzero_ps()
#define V_SEL_LT(a, b, yes, no) _mm512_mask_mov_ps(no, _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), yes)
#define V_SEL_GE(a, b, yes, no) _mm512_mask_mov_ps(no, _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ), yes)
#define VI_SPLAT _mm512_set1_epi32
#define VI_ADD _mm512_add_epi32
#define VI_SUB _mm512_sub_epi32
#define VI_SRAI _mm512_srai_epi32
#define VI_SLLI _mm512_slli_epi32
#define V_AS_INT _mm512_castps_si512
#define INT_AS_V _mm512_castsi512_ps
#define V_LD(p, w) _mm512_maskz_loadu_ps(lanes16(w), p)
#define V_ST(v, p, w) _mm512_mask_storeu_ps(p, lanes16(w), v)

/// The mask of the first w ≤ 16 lanes.
static inline __mmask16 lanes16(long w) { return w >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << w) - 1); }

#include "gates_vector.h"

#endif

// MARK: Dispatch

void rnn_lstm_forward_avx2(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) return lstm_forward_avx2_v(n, stride, g, r, c_prev, c, h);
#endif
  rnn_lstm_forward_portable(n, stride, g, r, c_prev, c, h);
}

void rnn_lstm_backward_avx2(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                            float *dg) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) return lstm_backward_avx2_v(n, dh, dc, g, c_prev, c, dg);
#endif
  rnn_lstm_backward_portable(n, dh, dc, g, c_prev, c, dg);
}

void rnn_gru_forward_avx2(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) return gru_forward_avx2_v(n, stride, g, r, h_prev, hn, h);
#endif
  rnn_gru_forward_portable(n, stride, g, r, h_prev, hn, h);
}

void rnn_tanh_rnn_forward_avx2(long n, const float *g, const float *r, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) return tanh_rnn_forward_avx2_v(n, g, r, h);
#endif
  rnn_tanh_rnn_forward_portable(n, g, r, h);
}

void rnn_lstm_forward(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512f()) return lstm_forward_avx512_v(n, stride, g, r, c_prev, c, h);
#endif
  rnn_lstm_forward_avx2(n, stride, g, r, c_prev, c, h);
}

void rnn_lstm_backward(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                       float *dg) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512f()) return lstm_backward_avx512_v(n, dh, dc, g, c_prev, c, dg);
#endif
  rnn_lstm_backward_avx2(n, dh, dc, g, c_prev, c, dg);
}

void rnn_gru_forward(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512f()) return gru_forward_avx512_v(n, stride, g, r, h_prev, hn, h);
#endif
  rnn_gru_forward_avx2(n, stride, g, r, h_prev, hn, h);
}

void rnn_tanh_rnn_forward(long n, const float *g, const float *r, float *h) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512f()) return tanh_rnn_forward_avx512_v(n, g, r, h);
#endif
  rnn_tanh_rnn_forward_avx2(n, g, r, h);
}
