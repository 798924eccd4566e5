#ifndef RNN_MATVEC_H
#define RNN_MATVEC_H

// y[i] (+)= Σ_j A[i][j]·x[j] for i < m, j < n: the matrix–vector products of batch-1 sampling
// and one-stream evaluation, where the weights stream from L3 once per character and a call
// costs more than its arithmetic for the small blocks a core gets (OpenBLAS's sgemv takes a
// lock, allocates a buffer and scales y on every call). AVX2/FMA, four rows at a time, where
// rnn_cpu_avx2_fma() (cpu.h) says the CPU has them, else portable C with the same results bit for
// bit. The engine calls it only on AVX2 CPUs (`BLAS.matvecAvailable`) and sgemv elsewhere.

/// y[m] = A[m×n]·x[n] (+ y when `accumulate`); A row-major with row stride `lda` floats. With
/// `prefetch`, each block of 4 rows prefetches the next into L1 as it goes.
void rnn_matvec(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate, int prefetch);

/// The portable path of rnn_matvec (same arguments, same results; `prefetch` is ignored).
void rnn_matvec_portable(long m, long n, const float *a, long lda, const float *x, float *y, int accumulate,
                         int prefetch);

#endif
