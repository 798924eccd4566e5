#ifndef RNN_BF16GEMM_H
#define RNN_BF16GEMM_H

#include <stdint.h>

// bfloat16 operands for the big matrix products (`precision bf16`): a bf16 value is the upper 16
// bits of an IEEE fp32 value (8 significant bits, fp32's exponent range). Operands are rounded
// fp32 → bf16 to nearest, ties to even (NaN stays NaN: a quiet NaN with the sign and the upper
// payload bits kept; ±∞ stays ±∞; finite values past the largest bf16 round to ±∞ as RNE does).
// Products of two bf16 values are exact in fp32 and are accumulated in fp32.
//
// The AVX-512 BF16 path (VDPBF16PS, `rnn_cpu_avx512_bf16()`) and the portable C path compute
// the same exact products and add them in the same order as the instruction's definition (per
// 16-lane column, for each pair of k in order: + a[2q+1]·b[2q+1], then + a[2q]·b[2q]; per slice
// of KC = 512 values of k a sum from 0, then added to C); like the instruction, the portable path
// treats bf16 denormals as zero and flushes denormal sums to zero. So they agree bit for bit when
// the CPU follows Intel's definition; the tests hold them to the fp32-summation bound
// |Δ| ≤ 2·k·2⁻²⁴·Σ|â||b̂| (â, b̂ the rounded operands) in any case.

/// fp32 → bf16, round to nearest even, NaN kept NaN (quiet).
uint16_t rnn_bf16_from_float(float x);

/// bf16 → fp32 (exact).
float rnn_bf16_to_float(uint16_t x);

/// y[i] = bf16(x[i]) for i < n.
void rnn_bf16_convert(const float *x, uint16_t *y, long n);

/// uint16 values needed to pack a k×n B: panels of 16 columns, k rounded up to even.
long rnn_bf16_packed_size(long k, long n);

/// Packs op(B) (k×n; with `trans_b`, B is stored n×k) as bf16 in the layout VDPBF16PS reads:
/// panel p (columns 16p … 16p+15) holds for each pair of rows (2q, 2q+1) the 32 values
/// B[2q][16p + c], B[2q+1][16p + c] for c = 0 … 15, interleaved; zeros past n and past k.
void rnn_bf16_pack_b(const float *b, long ldb, int trans_b, long k, long n, uint16_t *packed);

/// C[m×n] = bf16(A)[m×k] · op(B) (+ C when `accumulate`), op(B) packed by rnn_bf16_pack_b, A fp32
/// row-major (row stride `lda`), rounded to bf16 inside. Runs the AVX-512 BF16 path where
/// rnn_cpu_avx512_bf16() (cpu.h) says so, else the portable path.
void rnn_gemm_bf16(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c, long ldc,
                   int accumulate);

/// The portable path of rnn_gemm_bf16 (same arguments, same products; see above for the order).
void rnn_gemm_bf16_portable(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c,
                            long ldc, int accumulate);

/// C[m×n] = bf16(Aᵀ)[m×k] · op(B) (+ C when `accumulate`): rnn_gemm_bf16 with A stored k×m
/// (row stride `lda` ≥ m), as the weight gradients' dW = dGᵀ·X read their gate gradients. The same
/// products in the same order as rnn_gemm_bf16 on the transposed copy of A.
void rnn_gemm_bf16_at(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c, long ldc,
                      int accumulate);

/// The portable path of rnn_gemm_bf16_at.
void rnn_gemm_bf16_at_portable(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c,
                               long ldc, int accumulate);

/// y[m] = A[m×n]·bf16(x)[n] (+ y when `accumulate`), A bf16 row-major (row stride `lda` values,
/// converted once by rnn_bf16_convert): the batch-1 product of sampling, half the bytes of fp32.
/// Per row: 16 lane sums, each over pairs of columns (j ≡ 2l, 2l+1 mod 32) in the instruction's
/// order, reduced (l + l+8, l + l+4, l + l+2, 0 + 1).
void rnn_matvec_bf16(long m, long n, const uint16_t *a, long lda, const float *x, float *y, int accumulate);

/// The portable path of rnn_matvec_bf16 (same arguments, same order of operations).
void rnn_matvec_bf16_portable(long m, long n, const uint16_t *a, long lda, const float *x, float *y, int accumulate);

#endif
