#ifndef RNN_GATES_H
#define RNN_GATES_H

// The fused element-wise work of one time step for one stream. Each function computes exactly what
// its Swift twin in Sources/RNNModels/Model (LSTMKernel, GRUKernel, TanhRNNKernel, with FastMath's
// sigmoid and tanh) computes, operation for operation, so the results are bit-identical
// (NativeGateKernelTests): on 16 AVX-512 lanes where rnn_cpu_avx512f() (cpu.h) says the CPU has
// them, else on 8 AVX2 lanes where rnn_cpu_avx2_fma() does, else one value at a time in portable C
// (the `_avx2` and `_portable` functions, exported so that tests compare the three paths). The engine calls these only on AVX2 CPUs (`NativeGateKernels.available`): elsewhere
// the Swift kernels, compiled for baseline x86-64 (SSE) or NEON, are faster than scalar C. Gate
// blocks of H units start at multiples of `stride` (= H for a whole row; a part of a row when the
// units are split).

/// LSTM forward, gate order i, f, g, o. In: g = W_ih x + b (4 blocks), r = W_hh h_{t−1},
/// c_prev. Out: g = σ(i), σ(f), tanh(g), σ(o); c = f⊙c_prev + i⊙g; h = o⊙tanh(c). `n` units.
void rnn_lstm_forward(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h);

/// LSTM backward over one row of n = H units: dg (4 blocks) = ∂L/∂(gate pre-activations);
/// dc: in ∂L/∂c_t from step t+1, out ∂L/∂c_{t−1}. tanh(c_t) is recomputed from c.
void rnn_lstm_backward(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                       float *dg);

/// GRU forward, gate order r, z, n (PyTorch's equations): g = W_ih x + b_ih, r = W_hh h + b_hh.
/// Out: g = r, z, n; hn = the n block of r (kept for backward); h = (1 − z)⊙n + z⊙h_prev.
void rnn_gru_forward(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h);

/// Vanilla RNN forward over n values: h = tanh(g + r).
void rnn_tanh_rnn_forward(long n, const float *g, const float *r, float *h);

/// The AVX2 paths of the four functions above (same arguments, same results; the portable path on a
/// CPU without AVX2).
void rnn_lstm_forward_avx2(long n, long stride, float *g, const float *r, const float *c_prev, float *c, float *h);
void rnn_lstm_backward_avx2(long n, const float *dh, float *dc, const float *g, const float *c_prev, const float *c,
                            float *dg);
void rnn_gru_forward_avx2(long n, long stride, float *g, const float *r, const float *h_prev, float *hn, float *h);
void rnn_tanh_rnn_forward_avx2(long n, const float *g, const float *r, float *h);

/// The portable paths of the four functions above (same arguments, same results).
void rnn_lstm_forward_portable(long n, long stride, float *g, const float *r, const float *c_prev, float *c,
                               float *h);
void rnn_lstm_backward_portable(long n, const float *dh, float *dc, const float *g, const float *c_prev,
                                const float *c, float *dg);
void rnn_gru_forward_portable(long n, long stride, float *g, const float *r, const float *h_prev, float *hn,
                              float *h);
void rnn_tanh_rnn_forward_portable(long n, const float *g, const float *r, float *h);

#endif
