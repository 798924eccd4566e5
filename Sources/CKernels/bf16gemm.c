#include "bf16gemm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

#define NR 16
// k is taken in slices of KC values (even). A is converted to bf16 in chunks of rows, once per
// chunk and slice: MC rows of a row-major A (32 KB), MCT rows of a transposed A (64 KB, wider
// because each of its k rows is read MCT floats at a time). Row-major A goes chunk by chunk with
// every slice of k inside, so the chunk's rows of C stay in cache while its slices add up; a
// transposed A goes slice by slice, reading A's rows in order. Chosen by measurement on Zen 4
// (scripts/bf16-gemm-shapes.sh): against KC = 256, MC = 64, slice-outer for both, the LSTM's
// shapes gain 10–25% (H=1024's recurrence 32×4096×1024: 178 → 218 GFLOP per CPU-second).
#define KC 512
#define MC 32
#define MCT 64
#define MR 8

// MARK: Conversion and packing

uint16_t rnn_bf16_from_float(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  // Branch-free, so that loops of it vectorise: NaN → quiet NaN with its sign and upper payload;
  // else round to nearest, ties to even (a carry moves into the exponent, up to ∞ past the range).
  uint32_t quiet = (u >> 16) | 0x40u, rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
  return (uint16_t)((u & 0x7fffffffu) > 0x7f800000u ? quiet : rounded);
}

float rnn_bf16_to_float(uint16_t x) {
  uint32_t u = (uint32_t)x << 16;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

void rnn_bf16_convert(const float *x, uint16_t *y, long n) {
  for (long i = 0; i < n; i++) y[i] = rnn_bf16_from_float(x[i]);
}

static long even(long k) { return (k + 1) & ~1L; }

long rnn_bf16_packed_size(long k, long n) { return ((n + NR - 1) / NR) * NR * even(k); }

/// Rows k0 and k0+1 of a stored matrix (`r0` at row k0, the next `ld` further) as bf16 pair words:
/// dst[c] = bf16(r0[c]) | bf16(r1[c]) << 16 for c < width, row k0+1 read as zeros when it is past
/// k and both when k0 is; zeros from width to `padded`. Rows are read contiguously, so the
/// conversion vectorises (inlined, with the caller's target).
__attribute__((always_inline)) static inline void pair_words(const float *r0, long ld, long k0, long k, long width,
                                                             long padded, uint32_t *dst) {
  const float *r1 = r0 + ld;
  if (k0 + 1 < k)
    for (long c = 0; c < width; c++) dst[c] = (uint32_t)rnn_bf16_from_float(r0[c]) | (uint32_t)rnn_bf16_from_float(r1[c]) << 16;
  else if (k0 < k)
    for (long c = 0; c < width; c++) dst[c] = rnn_bf16_from_float(r0[c]);
  else
    for (long c = 0; c < width; c++) dst[c] = 0;
  for (long c = width; c < padded; c++) dst[c] = 0;
}

/// One panel of an untransposed B (columns j0 … j0+width of the stored k×n matrix, `b` at column
/// j0): pair row q, word c = bf16(B[2q][c]) | bf16(B[2q+1][c]) << 16; zeros past `width` and
/// past k.
static void pack_panel(const float *b, long ldb, long k, long width, uint32_t *dst) {
  for (long q = 0; q < (k + 1) / 2; q++) pair_words(b + 2 * q * ldb, ldb, 2 * q, k, width, NR, dst + q * NR);
}

/// One panel of a transposed B (rows j0 … j0+width of the stored n×k matrix) in two passes: each
/// row converted to bf16 pairs into `words` (contiguous, so the conversion vectorises), then the
/// 16 rows' words interleaved into the panel (pair row q: word c = row c's pair q).
static void pack_panel_transposed(const float *b, long ldb, long k, long width, uint32_t *dst, uint32_t *words) {
  long pairs = (k + 1) / 2;
  for (long c = 0; c < NR; c++) {
    uint32_t *w = words + c * pairs;
    if (c >= width) {
      memset(w, 0, (size_t)pairs * sizeof *w);
      continue;
    }
    const float *row = b + c * ldb;
    for (long q = 0; q < k / 2; q++)
      w[q] = (uint32_t)rnn_bf16_from_float(row[2 * q]) | (uint32_t)rnn_bf16_from_float(row[2 * q + 1]) << 16;
    if (k & 1) w[pairs - 1] = rnn_bf16_from_float(row[k - 1]);
  }
  for (long q = 0; q < pairs; q++)
    for (long c = 0; c < NR; c++) dst[q * NR + c] = words[c * pairs + q];
}

void rnn_bf16_pack_b(const float *b, long ldb, int trans_b, long k, long n, uint16_t *packed) {
  long panels = (n + NR - 1) / NR, kp = even(k);
  uint32_t *words = trans_b ? malloc((size_t)(NR * kp / 2) * sizeof *words + 1) : 0;
  if (trans_b && !words) abort();
  for (long p = 0; p < panels; p++) {
    // Pair row q of the panel: 16 32-bit words, word c = op(B)[2q][j] | op(B)[2q+1][j] << 16.
    uint32_t *dst = (uint32_t *)(packed + p * NR * kp);
    long j0 = p * NR, width = n - j0 < NR ? n - j0 : NR;
    if (trans_b) {
      pack_panel_transposed(b + j0 * ldb, ldb, k, width, dst, words);
      continue;
    }
    pack_panel(b + j0, ldb, k, width, dst);
  }
  free(words);
}

/// k = 0: C = 0 (or C unchanged when accumulating); returns whether that was the case.
static int empty_k(long m, long n, long k, float *c, long ldc, int accumulate) {
  if (k > 0) return 0;
  if (!accumulate)
    for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof *c);
  return 1;
}

// MARK: Portable path

/// bf16 → fp32 with denormals as zero, as VDPBF16PS reads its operands.
static inline float daz(uint16_t x) { return rnn_bf16_to_float((x & 0x7f80u) == 0 ? (uint16_t)(x & 0x8000u) : x); }

/// A denormal sum flushed to (signed) zero, as VDPBF16PS writes its results.
static inline float ftz(float s) { return fabsf(s) < FLT_MIN ? copysignf(0.0f, s) : s; }

/// One VDPBF16PS lane: s + a1·b1 + a0·b0, in that order, each product exact.
static inline float dot_pair(float s, const uint16_t *a, const uint16_t *b) {
  s = ftz(s + daz(a[1]) * daz(b[1]));
  return ftz(s + daz(a[0]) * daz(b[0]));
}

/// Row i of op(A) (A stored m×k, or k×m with `trans_a`) as bf16 into `row` (k values).
static void convert_row(const float *a, long lda, int trans_a, long i, long k, uint16_t *row) {
  if (!trans_a) return rnn_bf16_convert(a + i * lda, row, k);
  for (long q = 0; q < k; q++) row[q] = rnn_bf16_from_float(a[q * lda + i]);
}

static void gemm_bf16_portable(long m, long n, long k, const float *a, long lda, int trans_a, const uint16_t *packed,
                               float *c, long ldc, int accumulate) {
  if (empty_k(m, n, k, c, ldc, accumulate)) return;
  long kp = even(k);
  uint16_t *row = calloc((size_t)kp, sizeof *row);
  if (!row) abort();
  for (long i = 0; i < m; i++) {
    convert_row(a, lda, trans_a, i, k, row);
    for (long j = 0; j < n; j++) {
      const uint16_t *column = packed + (j / NR) * NR * kp + 2 * (j % NR);
      float *out = c + i * ldc + j;
      for (long q0 = 0; q0 < kp; q0 += KC) {
        long end = kp - q0 < KC ? kp : q0 + KC;
        float s = 0;
        for (long q = q0; q < end; q += 2) s = dot_pair(s, row + q, column + q * NR);
        *out = accumulate || q0 > 0 ? *out + s : s;
      }
    }
  }
  free(row);
}

void rnn_gemm_bf16_portable(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c,
                            long ldc, int accumulate) {
  gemm_bf16_portable(m, n, k, a, lda, 0, packed, c, ldc, accumulate);
}

void rnn_gemm_bf16_at_portable(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c,
                               long ldc, int accumulate) {
  gemm_bf16_portable(m, n, k, a, lda, 1, packed, c, ldc, accumulate);
}

static float reduce16_portable(const float *v) {
  float t8[8], t4[4], t2[2];
  for (int l = 0; l < 8; l++) t8[l] = v[l] + v[l + 8];
  for (int l = 0; l < 4; l++) t4[l] = t8[l] + t8[l + 4];
  for (int l = 0; l < 2; l++) t2[l] = t4[l] + t4[l + 2];
  return t2[0] + t2[1];
}

void rnn_matvec_bf16_portable(long m, long n, const uint16_t *a, long lda, const float *x, float *y, int accumulate) {
  long np = (n + 31) / 32 * 32;
  uint16_t *xb = calloc((size_t)np, sizeof *xb);
  if (!xb) abort();
  rnn_bf16_convert(x, xb, n);
  for (long i = 0; i < m; i++) {
    const uint16_t *r = a + i * lda;
    float lanes[16] = {0};
    for (long j = 0; j < np; j += 32)
      for (int l = 0; l < 16; l++) {
        long q = j + 2 * l;
        uint16_t pair[2] = {q < n ? r[q] : 0, q + 1 < n ? r[q + 1] : 0};
        lanes[l] = dot_pair(lanes[l], pair, xb + q);
      }
    float s = reduce16_portable(lanes);
    y[i] = accumulate ? y[i] + s : s;
  }
  free(xb);
}

// MARK: AVX-512 BF16 path

#if RNN_BUILD_AVX2
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512bf16,avx512bw,avx512vl")))
#define INLINE TARGET __attribute__((always_inline)) static inline

/// One block of `mr` rows × `np` panels (16 or 32 columns): acc = Σ over `pairs` pairs of k of
/// A[r][2q…2q+1] · panel[q] (VDPBF16PS), then C = acc (+ C), `width` columns (≤ 16·np).
/// `a`: bf16 pairs as 32-bit words, pair q of row r at a[q·qs + r·rs]; `b`: the first panel's
/// slice, the second `bstride` further.
INLINE void block(int mr, int np, long pairs, const uint32_t *a, long qs, long rs, const uint16_t *b, long bstride,
                  float *c, long ldc, long width, int accumulate) {
  __m512 acc[MR][2];
  for (int r = 0; r < mr; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (long q = 0; q < pairs; q++) {
    __m512bh b0 = (__m512bh)_mm512_loadu_si512(b + q * 2 * NR);
    __m512bh b1 = np > 1 ? (__m512bh)_mm512_loadu_si512(b + bstride + q * 2 * NR) : b0;
    for (int r = 0; r < mr; r++) {
      int32_t pair;
      memcpy(&pair, a + q * qs + r * rs, sizeof pair);
      __m512bh x = (__m512bh)_mm512_set1_epi32(pair);
      acc[r][0] = _mm512_dpbf16_ps(acc[r][0], x, b0);
      if (np > 1) acc[r][1] = _mm512_dpbf16_ps(acc[r][1], x, b1);
    }
  }
  __mmask16 mask[2];
  for (int h = 0; h < 2; h++) {
    long w = width - h * NR;
    mask[h] = w >= NR ? (__mmask16)0xffff : w <= 0 ? 0 : (__mmask16)((1u << w) - 1);
  }
  for (int r = 0; r < mr; r++)
    for (int h = 0; h < np; h++) {
      float *out = c + r * ldc + h * NR;
      __m512 v = acc[r][h];
      if (accumulate) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask[h], out));
      _mm512_mask_storeu_ps(out, mask[h], v);
    }
}

#define BLOCK_CASE(R)                                                               \
  case R:                                                                           \
    if (np == 2) block(R, 2, pairs, a, qs, rs, b, bstride, c, ldc, width, accumulate); \
    else block(R, 1, pairs, a, qs, rs, b, bstride, c, ldc, width, accumulate);         \
    break;

TARGET static void block_any(int mr, int np, long pairs, const uint32_t *a, long qs, long rs, const uint16_t *b,
                             long bstride, float *c, long ldc, long width, int accumulate) {
  switch (mr) {
    BLOCK_CASE(1)
    BLOCK_CASE(2)
    BLOCK_CASE(3)
    BLOCK_CASE(4)
    BLOCK_CASE(5)
    BLOCK_CASE(6)
    BLOCK_CASE(7)
    BLOCK_CASE(8)
    default: break;
  }
}

/// Rows i0 … i0+mc of a row-major A (`a` at row i0), columns q0 … q0+kc (kc even) as bf16 into
/// `buf` (row stride kc), zeros past k.
TARGET static void convert_chunk(const float *a, long lda, long mc, long q0, long kc, long k, uint16_t *buf) {
  long valid = k - q0 < kc ? k - q0 : kc;
  for (long r = 0; r < mc; r++) {
    const float *src = a + r * lda + q0;
    uint16_t *dst = buf + r * kc;
    for (long q = 0; q < valid; q++) dst[q] = rnn_bf16_from_float(src[q]);
    for (long q = valid; q < kc; q++) dst[q] = 0;
  }
}

/// Rows i0 … i0+mc of op(A) = Aᵀ, A stored k×m (`a` at column i0), pairs of k from q0 (kc/2 of
/// them) as 32-bit words, pair-major: word (q, r) = bf16(A[q0+2q][r]) | bf16(A[q0+2q+1][r]) << 16
/// at buf[q·mcp + r] (mcp = mc rounded up to MR), so that both A's rows and the words are read in
/// order (the conversion vectorises); zeros past k and past mc.
TARGET static void convert_chunk_transposed(const float *a, long lda, long mc, long mcp, long q0, long kc, long k,
                                            uint32_t *buf) {
  for (long q = 0; q < kc / 2; q++) {
    long k0 = q0 + 2 * q;
    pair_words(a + k0 * lda, lda, k0, k, mc, mcp, buf + q * mcp);
  }
}

/// Every pair of panels over the rows of one chunk and one slice of k (kc/2 pairs), in blocks
/// of MR rows; the chunk's words as `block` reads them (block i's first word at `a + i·rs`).
TARGET static void chunk_times_panels(long mc, long n, long kp, long q0, long kc, const uint32_t *a, long qs, long rs,
                                      const uint16_t *packed, float *c, long ldc, int accumulate) {
  long panels = (n + NR - 1) / NR;
  for (long p = 0; p < panels; p += 2) {
    int np = panels - p >= 2 ? 2 : 1;
    long j0 = p * NR, width = n - j0 < np * NR ? n - j0 : np * NR;
    const uint16_t *b = packed + p * NR * kp + q0 * NR;
    for (long i = 0; i < mc; i += MR) {
      int mr = mc - i < MR ? (int)(mc - i) : MR;
      block_any(mr, np, kc / 2, a + i * rs, qs, rs, b, NR * kp, c + i * ldc + j0, ldc, width, accumulate);
    }
  }
}

TARGET static void gemm_bf16_avx512(long m, long n, long k, const float *a, long lda, int trans_a,
                                    const uint16_t *packed, float *c, long ldc, int accumulate) {
  long kp = even(k);
  _Alignas(64) uint32_t buf[MCT * KC / 2];
  if (trans_a) {
    for (long q0 = 0; q0 < kp; q0 += KC) {
      long kc = kp - q0 < KC ? kp - q0 : KC;
      for (long i0 = 0; i0 < m; i0 += MCT) {
        long mc = m - i0 < MCT ? m - i0 : MCT, mcp = (mc + MR - 1) / MR * MR;
        convert_chunk_transposed(a + i0, lda, mc, mcp, q0, kc, k, buf);
        chunk_times_panels(mc, n, kp, q0, kc, buf, mcp, 1, packed, c + i0 * ldc, ldc, accumulate || q0 > 0);
      }
    }
    return;
  }
  for (long i0 = 0; i0 < m; i0 += MC) {
    long mc = m - i0 < MC ? m - i0 : MC;
    for (long q0 = 0; q0 < kp; q0 += KC) {
      long kc = kp - q0 < KC ? kp - q0 : KC;
      convert_chunk(a + i0 * lda, lda, mc, q0, kc, k, (uint16_t *)buf);
      chunk_times_panels(mc, n, kp, q0, kc, buf, 1, kc / 2, packed, c + i0 * ldc, ldc, accumulate || q0 > 0);
    }
  }
}

/// The 16 lanes reduced as reduce16_portable does: l + l+8, l + l+4, l + l+2, 0 + 1.
INLINE float reduce16(__m512 v) {
  __m256 lo = _mm512_castps512_ps256(v), hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
  __m256 s8 = _mm256_add_ps(lo, hi);
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  __m128 s1 = _mm_add_ss(s2, _mm_movehdup_ps(s2));
  return _mm_cvtss_f32(s1);
}

/// `rows` (1 or 4) rows of y from bf16 x (`xb`, zero-padded to `np`, a multiple of 32).
INLINE void matvec_rows(int rows, long n, long np, const uint16_t *a, long lda, const uint16_t *xb, float *y,
                        int accumulate) {
  __m512 acc[4];
  for (int r = 0; r < rows; r++) acc[r] = _mm512_setzero_ps();
  for (long j = 0; j < np; j += 32) {
    __m512bh x = (__m512bh)_mm512_loadu_si512(xb + j);
    long left = n - j;
    __mmask32 mask = left >= 32 ? (__mmask32)0xffffffffu : (__mmask32)((1u << left) - 1);
    for (int r = 0; r < rows; r++) {
      __m512bh w = (__m512bh)_mm512_maskz_loadu_epi16(mask, a + r * lda + j);
      acc[r] = _mm512_dpbf16_ps(acc[r], w, x);
    }
  }
  for (int r = 0; r < rows; r++) {
    float s = reduce16(acc[r]);
    y[r] = accumulate ? y[r] + s : s;
  }
}

TARGET static void matvec_bf16_avx512(long m, long n, const uint16_t *a, long lda, const float *x, float *y,
                                      int accumulate) {
  long np = (n + 31) / 32 * 32;
  _Alignas(64) uint16_t local[4096];
  uint16_t *xb = np <= 4096 ? local : malloc((size_t)np * sizeof *xb);
  if (!xb) abort();
  rnn_bf16_convert(x, xb, n);
  for (long j = n; j < np; j++) xb[j] = 0;
  long i = 0;
  for (; i + 4 <= m; i += 4) matvec_rows(4, n, np, a + i * lda, lda, xb, y + i, accumulate);
  for (; i < m; i++) matvec_rows(1, n, np, a + i * lda, lda, xb, y + i, accumulate);
  if (xb != local) free(xb);
}

#endif

// MARK: Dispatch

static void gemm_bf16(long m, long n, long k, const float *a, long lda, int trans_a, const uint16_t *packed, float *c,
                      long ldc, int accumulate) {
  if (m <= 0 || n <= 0 || empty_k(m, n, k, c, ldc, accumulate)) return;
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512_bf16()) {
    gemm_bf16_avx512(m, n, k, a, lda, trans_a, packed, c, ldc, accumulate);
    return;
  }
#endif
  gemm_bf16_portable(m, n, k, a, lda, trans_a, packed, c, ldc, accumulate);
}

void rnn_gemm_bf16(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c, long ldc,
                   int accumulate) {
  gemm_bf16(m, n, k, a, lda, 0, packed, c, ldc, accumulate);
}

void rnn_gemm_bf16_at(long m, long n, long k, const float *a, long lda, const uint16_t *packed, float *c, long ldc,
                      int accumulate) {
  gemm_bf16(m, n, k, a, lda, 1, packed, c, ldc, accumulate);
}

void rnn_matvec_bf16(long m, long n, const uint16_t *a, long lda, const float *x, float *y, int accumulate) {
  if (m <= 0) return;
#if RNN_BUILD_AVX2
  if (rnn_cpu_avx512_bf16()) {
    matvec_bf16_avx512(m, n, a, lda, x, y, accumulate);
    return;
  }
#endif
  rnn_matvec_bf16_portable(m, n, a, lda, x, y, accumulate);
}
