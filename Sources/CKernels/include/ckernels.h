#ifndef RNN_CKERNELS_H
#define RNN_CKERNELS_H

// The engine's C: the one CPU-feature check (cpu.h), the fused gate non-linearities of a time step
// (gates.h), the batch-1 matrix–vector product (matvec.h), the packed recurrent GEMM
// (packedgemm.h), the fork–join team of threads (team.h), and below, the optimizer loops. Each
// kernel with an AVX2/FMA path also has a portable C path with the same results.
#include "bf16gemm.h"
#include "cpu.h"
#include "gates.h"
#include "matvec.h"
#include "packedgemm.h"
#include "team.h"

// Element-wise optimizer updates over n parameters, in C so that the square roots compile to
// vector instructions (Swift's Float.squareRoot keeps errno semantics and stays scalar;
// optimizers.c compiles each loop for AVX2 and for the baseline, the same arithmetic, and picks
// with rnn_cpu_avx2_fma()). They are the only implementation (RNNModels' Optimizer.swift splits
// the parameters across cores and calls them) and follow PyTorch's single-tensor updates in their
// order of operations, built with -ffp-contract=off (no fused multiply-adds); OptimizerTests
// compares them with torch.optim.

/// Adagrad: s += g²; p -= lr·g / (√s + eps).
void rnn_adagrad(float *p, const float *g, float *s, long n, float lr, float eps);

/// RMSprop: v = α·v + (1−α)·g²; p -= lr·g / (√v + eps).
void rnn_rmsprop(float *p, const float *g, float *v, long n, float lr, float alpha, float eps);

/// Adam / AdamW: p *= decay; m += (g − m)(1−β1); v = β2·v + (1−β2)·g²;
/// p -= stepSize·m / (√v / bc2Sqrt + eps).
void rnn_adam(float *p, const float *g, float *m, float *v, long n, float stepSize, float bc2Sqrt,
              float beta1, float beta2, float eps, float decay);

#endif
