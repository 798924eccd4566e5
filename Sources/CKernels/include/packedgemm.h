#ifndef RNN_PACKEDGEMM_H
#define RNN_PACKEDGEMM_H

// The recurrent product of one time step, C[m×n] (+)= A[m×k] · B[k×n], with B (a weight matrix,
// the same for all T steps of a chunk) packed once per chunk into panels of 16 columns:
// panel p holds, for each of the k rows, the 16 values B[row][16p … 16p+15] (zeros past n).
// The AVX2/FMA micro-kernel computes 4×16 blocks of C with the panel streaming from L1/L2, so a
// step pays neither OpenBLAS's re-packing of the weights nor its thread hand-off. That path runs
// where rnn_cpu_avx2_fma() (cpu.h) says the CPU has AVX2 and FMA; elsewhere portable C computes
// the same results bit for bit, and the engine uses plain sgemm instead (`PackedGEMM.isAvailable`).

/// Floats needed to pack a k×n B.
long rnn_packed_size(long k, long n);

/// Packs op(B) (k×n): with `trans_b`, B is stored n×k (row i of B is column i of op(B)).
/// `ldb` is B's row stride in floats.
void rnn_pack_b(const float *b, long ldb, int trans_b, long k, long n, float *packed);

/// C[m×n] = A[m×k]·op(B) (+ C when `accumulate`), op(B) packed by rnn_pack_b. Row-major, `lda`
/// and `ldc` row strides in floats.
void rnn_gemm_packed(long m, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                     int accumulate);

/// The portable path of rnn_gemm_packed (same arguments, same results).
void rnn_gemm_packed_portable(long m, long n, long k, const float *a, long lda, const float *packed, float *c,
                              long ldc, int accumulate);

#endif
