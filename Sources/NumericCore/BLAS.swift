import COpenBLAS

/// The one place that talks to CBLAS. Every matrix is Float32, row-major, contiguous in its rows
/// (`ld*` is the row stride in elements). Sizes are converted to CBLAS's `Int32` here and nowhere else.
public enum BLAS {
  /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `m×k` and `op(B)` is `k×n`.
  /// With `transA`, `A` is stored `k×m`; with `transB`, `B` is stored `n×k`.
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
    if m == 1 && !transA {
      // One row: a matrix–vector product. OpenBLAS's sgemm would pack B first; sgemv streams it
      // once, which is what batch-1 sampling and evaluation need (memory-bandwidth bound).
      if transB {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, 1, beta, c, 1)
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
    beta: Float = 0, y: UnsafeMutablePointer<Float>
  ) {
    guard m > 0, n > 0 else { return }
    cblas_sgemv(
      CblasRowMajor, trans ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
  }

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

  /// The number of threads OpenBLAS uses for one call.
  public static var threads: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(1, newValue))) }
  }
}
