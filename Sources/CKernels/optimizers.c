#include <math.h>

#include "ckernels.h"

// Each loop body is written once (always inlined) and compiled twice: for AVX2 (8 lanes) and for
// the baseline (SSE2 on x86-64, NEON on ARM). The arithmetic is the same IEEE operations either
// way (no fused multiply-adds: -ffp-contract=off), so both give the same bits; rnn_cpu_avx2_fma()
// picks the wider one.

#define BODY __attribute__((always_inline)) static inline

BODY void adagrad_body(float *restrict p, const float *restrict g, float *restrict s, long n, float lr, float eps) {
  for (long i = 0; i < n; i++) {
    float sv = s[i] + g[i] * g[i];
    s[i] = sv;
    p[i] = p[i] - lr * g[i] / (sqrtf(sv) + eps);
  }
}

BODY void rmsprop_body(float *restrict p, const float *restrict g, float *restrict v, long n, float lr, float alpha,
                       float eps) {
  for (long i = 0; i < n; i++) {
    float vv = alpha * v[i] + (1 - alpha) * g[i] * g[i];
    v[i] = vv;
    p[i] = p[i] - lr * g[i] / (sqrtf(vv) + eps);
  }
}

BODY void adam_body(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                    float stepSize, float bc2Sqrt, float beta1, float beta2, float eps, float decay) {
  for (long i = 0; i < n; i++) {
    float pv = decay != 1 ? p[i] * decay : p[i];
    float mv = m[i] + (g[i] - m[i]) * (1 - beta1);
    float vv = v[i] * beta2 + (1 - beta2) * g[i] * g[i];
    float denom = sqrtf(vv) / bc2Sqrt + eps;
    m[i] = mv;
    v[i] = vv;
    p[i] = pv - stepSize * mv / denom;
  }
}

#if RNN_BUILD_AVX2
#define AVX2 __attribute__((target("avx2"))) static
AVX2 void adagrad_avx2(float *restrict p, const float *restrict g, float *restrict s, long n, float lr, float eps) {
  adagrad_body(p, g, s, n, lr, eps);
}
AVX2 void rmsprop_avx2(float *restrict p, const float *restrict g, float *restrict v, long n, float lr, float alpha,
                       float eps) {
  rmsprop_body(p, g, v, n, lr, alpha, eps);
}
AVX2 void adam_avx2(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                    float stepSize, float bc2Sqrt, float beta1, float beta2, float eps, float decay) {
  adam_body(p, g, m, v, n, stepSize, bc2Sqrt, beta1, beta2, eps, decay);
}
#endif

void rnn_adagrad(float *restrict p, const float *restrict g, float *restrict s, long n, float lr, float eps) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    adagrad_avx2(p, g, s, n, lr, eps);
    return;
  }
#endif
  adagrad_body(p, g, s, n, lr, eps);
}

void rnn_rmsprop(float *restrict p, const float *restrict g, float *restrict v, long n, float lr, float alpha,
                 float eps) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    rmsprop_avx2(p, g, v, n, lr, alpha, eps);
    return;
  }
#endif
  rmsprop_body(p, g, v, n, lr, alpha, eps);
}

void rnn_adam(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
              float stepSize, float bc2Sqrt, float beta1, float beta2, float eps, float decay) {
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx2_fma()) {
    adam_avx2(p, g, m, v, n, stepSize, bc2Sqrt, beta1, beta2, eps, decay);
    return;
  }
#endif
  adam_body(p, g, m, v, n, stepSize, bc2Sqrt, beta1, beta2, eps, decay);
}
