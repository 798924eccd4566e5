/// A Float32 matrix, row-major and contiguous: element (r, c) is `values[r * cols + c]`.
/// A small value type for APIs, tests and checkpoints; the hot paths work on `FloatBuffer` pointers.
public struct Matrix: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public var values: [Float]

  public init(rows: Int, cols: Int, values: [Float]) {
    precondition(values.count == rows * cols, "Matrix: \(values.count) values for \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    self.init(rows: rows, cols: cols, values: [Float](repeating: value, count: rows * cols))
  }

  public subscript(r: Int, c: Int) -> Float {
    get { values[r * cols + c] }
    set { values[r * cols + c] = newValue }
  }

  /// `self · other` through `BLAS.gemm`.
  public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
    let m = transposeSelf ? cols : rows
    let k = transposeSelf ? rows : cols
    let k2 = transposeOther ? other.cols : other.rows
    let n = transposeOther ? other.rows : other.cols
    precondition(k == k2, "Matrix.matmul: inner sizes \(k) and \(k2) differ")
    var out = Matrix(rows: m, cols: n)
    values.withUnsafeBufferPointer { a in
      other.values.withUnsafeBufferPointer { b in
        out.values.withUnsafeMutableBufferPointer { c in
          BLAS.gemm(
            transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
            a: a.baseAddress!, lda: cols, b: b.baseAddress!, ldb: other.cols,
            c: c.baseAddress!, ldc: n)
        }
      }
    }
    return out
  }
}
