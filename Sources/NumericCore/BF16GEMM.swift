import CKernels

/// Matrix products with bfloat16 operands and fp32 accumulation (`CKernels/bf16gemm.c`): the
/// arithmetic of `precision bf16`. Operands are rounded fp32 → bf16 to nearest, ties to even (NaN
/// stays NaN); products are exact in fp32 and summed in fp32, so a result differs from the fp32
/// product of the unrounded operands by at most `(2⁻⁷ + 2⁻¹⁶ + 1.02·k·2⁻²⁴) · Σ|a||b|` per element
/// (each operand's relative rounding error is at most 2⁻⁸; `BF16GEMMTests`).
///
/// With AVX-512 BF16 (`CPUFeatures.avx512BF16`) the kernels use VDPBF16PS; elsewhere a portable
/// C path computes the same products in the same order (bit-identical on the CPUs tested), much
/// more slowly.
public enum BF16GEMM {
  /// Whether the AVX-512 BF16 kernels run here (else the portable path does).
  public static var isNative: Bool { CPUFeatures.avx512BF16 }

  /// `UInt16`s a packed `k×n` operand takes.
  public static func packedSize(k: Int, n: Int) -> Int { Int(rnn_bf16_packed_size(k, n)) }

  /// Packs `op(B)` (`k×n`; with `transB`, `B` is stored `n×k`) as bf16 into `packed`
  /// (`packedSize(k:n:)` values).
  public static func pack(
    b: UnsafePointer<Float>, ldb: Int, transB: Bool, k: Int, n: Int, into packed: UnsafeMutablePointer<UInt16>
  ) {
    rnn_bf16_pack_b(b, ldb, transB ? 1 : 0, k, n, packed)
  }

  /// Packs `op(B)` as `pack` does, split across `Parallel.threads` cores by panels of 16 columns
  /// when it is large (the same values either way).
  public static func parallelPack(
    b: UnsafePointer<Float>, ldb: Int, transB: Bool, k: Int, n: Int, into packed: UnsafeMutablePointer<UInt16>
  ) {
    let panels = (n + 15) / 16, stride = packedSize(k: k, n: 16)
    let parts = n * k >= 1 << 16 ? Parallel.parts(for: panels, minimumRows: 4) : 1
    Parallel.forEachPart(of: panels, parts: parts) { part in
      let j0 = part.lowerBound * 16
      pack(
        b: b + (transB ? j0 * ldb : j0), ldb: ldb, transB: transB, k: k, n: min(n, part.upperBound * 16) - j0,
        into: packed + part.lowerBound * stride)
    }
  }

  /// `C[m×n] = bf16(op(A))[m×k] · op(B)`, plus `C` when `accumulate`, on the calling thread;
  /// `op(A)` is `A` stored `m×k`, or with `transA` `Aᵀ` of `A` stored `k×m` (row stride `lda`);
  /// `packed` from `pack`.
  @inline(__always)
  public static func serialMultiply(
    transA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<UInt16>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) {
    guard m > 0, n > 0 else { return }
    if transA {
      rnn_gemm_bf16_at(m, n, k, a, lda, packed, c, ldc, accumulate ? 1 : 0)
    } else {
      rnn_gemm_bf16(m, n, k, a, lda, packed, c, ldc, accumulate ? 1 : 0)
    }
  }

  /// `serialMultiply`, split across `Parallel.threads` cores when the product is large: by rows
  /// of `C`, or by panels of 16 columns when `m` is small.
  public static func multiply(
    transA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<UInt16>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) {
    guard m > 0, n > 0 else { return }
    guard Parallel.threads > 1 && m * n * k >= 1 << 18 else {
      return serialMultiply(
        transA: transA, m: m, n: n, k: k, a: a, lda: lda, packed: packed, c: c, ldc: ldc, accumulate: accumulate)
    }
    if m >= 32 {
      Parallel.forEachPart(of: m, parts: Parallel.parts(for: m, minimumRows: 16)) { rows in
        let i0 = rows.lowerBound
        serialMultiply(
          transA: transA, m: rows.count, n: n, k: k, a: a + (transA ? i0 : i0 * lda), lda: lda, packed: packed,
          c: c + i0 * ldc, ldc: ldc, accumulate: accumulate)
      }
      return
    }
    let panels = (n + 15) / 16, stride = packedSize(k: k, n: 16)
    Parallel.forEachPart(of: panels, parts: Parallel.parts(for: panels, minimumRows: 2)) { part in
      let j0 = part.lowerBound * 16, width = min(n, part.upperBound * 16) - j0
      serialMultiply(
        transA: transA, m: m, n: width, k: k, a: a, lda: lda, packed: packed + part.lowerBound * stride, c: c + j0,
        ldc: ldc, accumulate: accumulate)
    }
  }

  /// `y[m] = A[m×n] · bf16(x)[n]` (+ `y` when `accumulate`), `A` bf16 row-major with row stride
  /// `lda` (converted by `convert`): batch-1 sampling, reading half the bytes of fp32.
  @inline(__always)
  public static func matvec(
    m: Int, n: Int, a: UnsafePointer<UInt16>, lda: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
    accumulate: Bool
  ) {
    rnn_matvec_bf16(m, n, a, lda, x, y, accumulate ? 1 : 0)
  }

  /// `y[i] = bf16(x[i])` for `i < count`.
  public static func convert(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<UInt16>, count: Int) {
    rnn_bf16_convert(x, y, count)
  }
}

/// A fixed-size, 64-byte-aligned, zero-initialised block of bf16 values (`UInt16`): packed or
/// converted weights. Not `Sendable`: mutable shared memory, owned by one object.
public final class BF16Buffer {
  public let count: Int
  public let pointer: UnsafeMutablePointer<UInt16>

  public init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 2, alignment: 64)
    pointer = raw.bindMemory(to: UInt16.self, capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
  }

  deinit { pointer.deallocate() }
}
