import NumericCore

extension Seq2SeqModel {
  /// A source read by the encoder: its top outputs `S` `[Ts, H]`, the keys `S W_aᵀ` (with
  /// attention) and the last state, where decoding starts.
  struct EncodedSource {
    var outputs: [Float]
    var keys: [Float]
    var state: HiddenState
  }

  /// Reads `source` (at least one token) with the encoder, without dropout.
  func encode(_ source: [Int32]) -> EncodedSource {
    let H = hidden, Ts = source.count
    let ws = workspace(.init(batch: 1, sourceSteps: Ts, targetSteps: 1)).encoder
    var state = HiddenState(config: encoder.config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    source.withUnsafeBufferPointer {
      encoder.forward(inputs: $0.baseAddress!, state: &state, workspace: ws, training: false, rng: &rng, decoding: false)
    }
    let outputs = Array(UnsafeBufferPointer(start: ws.layerOutputAfterDropout(layers - 1), count: Ts * H))
    var keys: [Float] = []
    if usesAttention {
      keys = [Float](repeating: 0, count: Ts * H)
      keys.withUnsafeMutableBufferPointer {
        BLAS.gemm(transB: true, m: Ts, n: H, k: H, a: outputs, lda: H, b: scoreWeight, ldb: H, c: $0.baseAddress!, ldc: H)
      }
    }
    return EncodedSource(outputs: outputs, keys: keys, state: state)
  }

  /// One decoder step for K hypotheses side by side: reads `tokens` `[K]` from `state`
  /// `[L, K, H]` (advanced in place) and returns the log-probabilities `[K, Vt]` of the next token.
  func step(_ tokens: [Int32], state: inout HiddenState, source: EncodedSource) -> [Float] {
    let H = hidden, K = tokens.count, V = targetTokenCount, Ts = source.outputs.count / H
    let ws = workspace(.init(batch: K, sourceSteps: 1, targetSteps: 1)).decoder
    var rng = RandomGenerator(seed: 0)
    tokens.withUnsafeBufferPointer {
      decoder.forward(
        inputs: $0.baseAddress!, state: &state, workspace: ws, training: false, rng: &rng, decoding: !usesAttention)
    }
    var logits = Array(UnsafeBufferPointer(start: ws.logits.pointer, count: K * V))
    if usesAttention {
      let q = ws.layerOutputAfterDropout(layers - 1)
      var x = [Float](repeating: 0, count: K * 2 * H), scores = [Float](repeating: 0, count: K * Ts)
      var h = [Float](repeating: 0, count: K * H)
      BLAS.gemm(transB: true, m: K, n: Ts, k: H, a: q, lda: H, b: source.keys, ldb: H, c: &scores, ldc: Ts)
      scores.withUnsafeMutableBufferPointer { for k in 0..<K { FastMath.softmax($0.baseAddress! + k * Ts, count: Ts) } }
      BLAS.gemm(m: K, n: H, k: Ts, a: scores, lda: Ts, b: source.outputs, ldb: H, c: &x, ldc: 2 * H)
      for k in 0..<K { for j in 0..<H { x[k * 2 * H + H + j] = q[k * H + j] } }
      BLAS.gemm(transB: true, m: K, n: H, k: 2 * H, a: x, lda: 2 * H, b: combineWeight, ldb: 2 * H, c: &h, ldc: H)
      h.withUnsafeMutableBufferPointer { FastMath.tanh($0.baseAddress!, into: $0.baseAddress!, count: K * H) }
      for k in 0..<K { for v in 0..<V { logits[k * V + v] = outputBias[v] } }
      BLAS.gemm(transB: true, m: K, n: V, k: H, a: h, lda: H, b: outputWeight, ldb: H, beta: 1, c: &logits, ldc: V)
    }
    logits.withUnsafeMutableBufferPointer {
      for k in 0..<K {
        let row = $0.baseAddress! + k * V
        let logZ = CrossEntropy.logPartition(row, count: V)
        for v in 0..<V { row[v] -= logZ }
      }
    }
    return logits
  }

  /// The most likely target for `source` by beam search with `beam` hypotheses (1: greedy):
  /// each step extends every live hypothesis by every token and keeps the `beam` best by total
  /// log-probability; one that emits the end marker is finished and leaves the beam, which
  /// narrows by one. Stops when `beam` hypotheses have finished or after `maxLength` characters (a
  /// hypothesis at the limit may only end). The finished ones are ranked by the language model's
  /// length-normalised score, `Σ log p / n^lengthPenalty` with n = the target's characters + 1
  /// (the end marker is scored too; ``BeamOptions/score(logProbability:tokens:lengthPenalty:)``);
  /// 0 ranks by plain log-probability, which favours short targets. Ties go to the one that
  /// finished first. Nothing is pruned when `beam` is at least the number of candidates of every
  /// step (Σ_{l ≤ maxLength} Vt·(Vt−1)^l), so the result is then the exact argmax of the score.
  /// Returns the target (text and tokens, without the marker), its log-probability and score.
  public func translate(_ source: [Int32], beam: Int = 1, maxLength: Int, lengthPenalty: Double = 1) -> BeamResult {
    precondition(!source.isEmpty && beam >= 1 && maxLength >= 1 && lengthPenalty >= 0)
    let encoded = encode(source)
    let V = targetTokenCount
    var live: [(tokens: [Int32], logp: Double)] = [([], 0)]
    var finished: [(tokens: [Int32], logp: Double)] = []
    var state = encoded.state
    for length in 0...maxLength {
      let logp = step(live.map { $0.tokens.last ?? 0 }, state: &state, source: encoded)
      var candidates: [(parent: Int, token: Int32, logp: Double)] = []
      for (k, h) in live.enumerated() {
        // An unfinished hypothesis at the length limit may only end.
        for v in (length == maxLength ? 0..<1 : 0..<V) { candidates.append((k, Int32(v), h.logp + Double(logp[k * V + v]))) }
      }
      candidates.sort { $0.logp > $1.logp || ($0.logp == $1.logp && ($0.parent, $0.token) < ($1.parent, $1.token)) }
      var next: [(tokens: [Int32], logp: Double)] = [], parents: [Int] = []
      for c in candidates.prefix(beam - finished.count) {
        if c.token == 0 {
          finished.append((live[c.parent].tokens, c.logp))
        } else {
          next.append((live[c.parent].tokens + [c.token], c.logp))
          parents.append(c.parent)
        }
      }
      if finished.count >= beam || next.isEmpty { break }
      state = Self.gather(state, parents)
      live = next
    }
    func score(_ h: (tokens: [Int32], logp: Double)) -> Double {
      BeamOptions.score(logProbability: h.logp, tokens: h.tokens.count + 1, lengthPenalty: lengthPenalty)
    }
    let best = finished.max { score($0) < score($1) }!
    return BeamResult(
      text: decodeTarget(best.tokens), tokens: best.tokens, logProbability: best.logp, score: score(best), interrupted: false)
  }

  /// `state` `[L, K, H]` with stream j taken from stream `parents[j]`.
  static func gather(_ state: HiddenState, _ parents: [Int]) -> HiddenState {
    let L = state.layers, H = state.hidden, K = state.batch, J = parents.count
    func pick(_ x: [Float]) -> [Float] {
      guard !x.isEmpty else { return [] }
      var out = [Float](repeating: 0, count: L * J * H)
      for l in 0..<L {
        for (j, p) in parents.enumerated() {
          for i in 0..<H { out[(l * J + j) * H + i] = x[(l * K + p) * H + i] }
        }
      }
      return out
    }
    return HiddenState(layers: L, batch: J, hidden: H, h: pick(state.h), c: pick(state.c))
  }
}
