import CKernels
import COpenBLAS

/// The one place that talks to CBLAS. Every matrix is Float32, row-major, contiguous in its rows
/// (`ld*` is the row stride in elements). Sizes are converted to CBLAS's `Int32` here and nowhere else.
public enum BLAS {
  /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `m×k` and `op(B)` is `k×n`.
  /// With `transA`, `A` is stored `k×m`; with `transB`, `B` is stored `n×k`. Large products are
  /// split by rows (or, when `m` is small, columns) of `C` across `Parallel.threads` cores, each
  /// part one single-threaded OpenBLAS call; call `serialGemm` from code already running in parallel.
  @inlinable
  public static func gemm(
    transA: Bool = false, transB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    let threads = Parallel.threads
    if threads > 1 && m * n * k >= parallelWork {
      if m >= 2 * minimumPartSize {
        Parallel.forEachPart(of: m, parts: Parallel.parts(for: m, minimumRows: minimumPartSize)) { rows in
          serialGemm(
            transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: alpha,
            a: transA ? a + rows.lowerBound : a + rows.lowerBound * lda, lda: lda, b: b, ldb: ldb,
            beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
        }
        return
      }
      if n >= 2 * minimumPartSize {
        Parallel.forEachPart(of: n, parts: Parallel.parts(for: n, minimumRows: minimumPartSize)) { cols in
          serialGemm(
            transA: transA, transB: transB, m: m, n: cols.count, k: k, alpha: alpha, a: a, lda: lda,
            b: transB ? b + cols.lowerBound * ldb : b + cols.lowerBound, ldb: ldb,
            beta: beta, c: c + cols.lowerBound, ldc: ldc)
        }
        return
      }
    }
    serialGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }

  /// Multiply–adds (`m·n·k`) from which `gemm` splits a product across cores.
  @usableFromInline static let parallelWork = 1 << 18
  /// The fewest rows (or columns) of `C` one part gets.
  @usableFromInline static let minimumPartSize = 16

  /// `gemm` on the calling thread only.
  @inlinable
  public static func serialGemm(
    transA: Bool = false, transB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    if m == 1 && !transA {
      // One row: a matrix–vector product. OpenBLAS's sgemm would pack B first; sgemv streams it
      // once, which is what batch-1 sampling and evaluation need (memory-bandwidth bound).
      if transB {
        gemv(m: n, n: k, alpha: alpha, a: b, lda: ldb, x: a, beta: beta, y: c)
      } else {
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb), a, 1, beta, c, 1)
      }
      return
    }
    cblas_sgemm(
      CblasRowMajor,
      transA ? CblasTrans : CblasNoTrans,
      transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k),
      alpha, a, Int32(lda), b, Int32(ldb),
      beta, c, Int32(ldc))
  }

  /// `y[m] = alpha · A[m×n] · x[n] + beta · y`, or with `trans`, `y[n] = alpha · Aᵀ · x[m] + beta · y`.
  @inlinable
  public static func gemv(
    trans: Bool = false, m: Int, n: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
    beta: Float = 0, y: UnsafeMutablePointer<Float>, prefetch: Bool = false
  ) {
    guard m > 0, n > 0 else { return }
    if !trans && alpha == 1 && (beta == 0 || beta == 1) && matvecAvailable {
      // The batch-1 products (sampling, one-stream evaluation): CKernels' AVX2 matvec, which
      // skips sgemv's per-call lock, buffer and scaling of y (sampling a 1×128 LSTM: about +15%).
      rnn_matvec(m, n, a, lda, x, y, beta == 1 ? 1 : 0, prefetch ? 1 : 0)
      return
    }
    cblas_sgemv(
      CblasRowMajor, trans ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
  }

  /// Whether `gemv` without transpose runs `rnn_matvec` (on AVX2 and FMA; its portable path is
  /// slower than sgemv).
  @usableFromInline static let matvecAvailable = CPUFeatures.avx2FMA

  /// `y += alpha · x` over `count` elements.
  @inlinable
  public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    guard count > 0 else { return }
    cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
  }

  /// Σ xᵢ·yᵢ over `count` elements.
  @inlinable
  public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    guard count > 0 else { return 0 }
    return cblas_sdot(Int32(count), x, 1, y, 1)
  }

  /// The number of cores the engine uses (`Parallel.threads`). OpenBLAS itself stays
  /// single-threaded; the engine splits work across cores (see `Parallel`).
  public static var threads: Int {
    get { Parallel.threads }
    set { Parallel.threads = newValue }
  }

  /// Runs `body` with OpenBLAS's own thread pool at `count` threads (for measuring the machine's
  /// sgemm ceiling with the library's own threading), then returns it to one thread.
  public static func withLibraryThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
    _ = Parallel.threads
    openblas_set_num_threads(Int32(max(1, count)))
    defer { openblas_set_num_threads(1) }
    return try body()
  }
}
