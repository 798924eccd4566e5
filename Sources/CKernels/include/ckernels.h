#ifndef RNN_CKERNELS_H
#define RNN_CKERNELS_H

#include "gates.h"
#include "matvec.h"
#include "packedgemm.h"
#include "team.h"

// Element-wise optimizer updates over n parameters, in C so that the square roots compile to
// vector instructions (Swift's Float.squareRoot keeps errno semantics and stays scalar). Each
// follows the arithmetic of Sources/RNNModels/Training/Optimizer.swift operation for operation
// (built with -ffp-contract=off: no fused multiply-adds), so results are bit-identical to it.

/// Adagrad: s += g²; p -= lr·g / (√s + eps).
void rnn_adagrad(float *p, const float *g, float *s, long n, float lr, float eps);

/// RMSprop: v = α·v + (1−α)·g²; p -= lr·g / (√v + eps).
void rnn_rmsprop(float *p, const float *g, float *v, long n, float lr, float alpha, float eps);

/// Adam / AdamW: p *= decay; m += (g − m)(1−β1); v = β2·v + (1−β2)·g²;
/// p -= stepSize·m / (√v / bc2Sqrt + eps).
void rnn_adam(float *p, const float *g, float *m, float *v, long n, float stepSize, float bc2Sqrt,
              float beta1, float beta2, float eps, float decay);

#endif
