import NumericCore

/// Fused softmax + cross-entropy over rows of logits.
enum CrossEntropy {
  /// For each of the `rows` rows of `logits` `[rows, V]` with target `targets[r]`: adds
  /// `−log softmax(logits_r)[target]` (nats) to the returned sum. With `gradient`, overwrites the
  /// row with `(softmax − onehot) · scale`, the gradient of `scale · Σ loss`. A negative target
  /// masks its row (padding): it adds nothing, and with `gradient` the row becomes zero.
  static func loss(
    logits: UnsafeMutablePointer<Float>, rows: Int, vocab: Int, targets: UnsafePointer<Int32>,
    gradientScale scale: Float?
  ) -> Double {
    var total = 0.0
    for r in 0..<rows {
      let row = logits + r * vocab
      let t = Int(targets[r])
      if t < 0 {
        if scale != nil { row.update(repeating: 0, count: vocab) }
        continue
      }
      let target = row[t]
      if let scale {
        let logZ = FastMath.softmax(row, count: vocab)
        total += Double(logZ - target)
        var j = 0
        let s = Lane(repeating: scale)
        while j < vocab {
          let n = min(8, vocab - j)
          store(load(row + j, n) * s, row + j, n)
          j += 8
        }
        row[t] -= scale
      } else {
        total += Double(logPartition(row, count: vocab) - target)
      }
    }
    return total
  }

  /// log Σ exp(x) without modifying `x`.
  static func logPartition(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var m = -Float.infinity
    for i in 0..<count { m = max(m, x[i]) }
    var s: Float = 0
    var j = 0
    let mv = Lane(repeating: m)
    var acc = Lane(repeating: 0)
    while j + 8 <= count {
      acc += FastMath.exp(load(x + j, 8) - mv)
      j += 8
    }
    s = acc.sum()
    while j < count {
      s += FastMath.exp(x[j] - m)
      j += 1
    }
    return m + logf(s)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
