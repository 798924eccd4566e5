#include "ckernels.h"
#include <math.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define RNN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RNN_CLONES
#endif

RNN_CLONES
void rnn_adagrad(float *restrict p, const float *restrict g, float *restrict s, long n, float lr, float eps) {
  for (long i = 0; i < n; i++) {
    float sv = s[i] + g[i] * g[i];
    s[i] = sv;
    p[i] = p[i] - lr * g[i] / (sqrtf(sv) + eps);
  }
}

RNN_CLONES
void rnn_rmsprop(float *restrict p, const float *restrict g, float *restrict v, long n, float lr, float alpha,
                 float eps) {
  for (long i = 0; i < n; i++) {
    float vv = alpha * v[i] + (1 - alpha) * g[i] * g[i];
    v[i] = vv;
    p[i] = p[i] - lr * g[i] / (sqrtf(vv) + eps);
  }
}

RNN_CLONES
void rnn_adam(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
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
