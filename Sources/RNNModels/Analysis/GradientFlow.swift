import NumericCore

/// How far back in time a loss can reach: the norm of ∂L_t/∂h_{t−k}, the gradient of the loss at
/// step t with respect to the top layer's hidden state k steps earlier, averaged over t.
public struct GradientNorms: Sendable, Equatable {
  /// `[K + 1]`: entry k is the mean over injection steps t of ‖∂L_t/∂h_{t−k}‖₂ (L_t in nats).
  public var norms: [Double]
  /// How many injection steps t each entry averages.
  public var samples: Int
}

/// A dedicated backward through time: the loss gradient of *one* step t is injected at the top
/// layer's output h_t and carried back step by step through the recurrence with the cell kernels'
/// own backward math, recording the gradient reaching each earlier h. For the LSTM this is the
/// partial derivative with respect to h_{t−k} with c_{t−k} held fixed (the two are separate
/// state variables); the cell-state path back from t−k is included in the steps after it.
public enum GradientFlow {
  /// Mean ‖∂L_t/∂h_{t−k}‖ for k = 0…`steps` over `tokens` (inputs; each target is the next token),
  /// read as one stream with the state carried (without dropout). The text is cut into windows of
  /// 2·`steps` characters; in each window every t in [steps, 2·steps) is injected once, so every k
  /// averages the same t. `shouldStop` is polled between windows.
  public static func norms(
    model: LanguageModel, tokens: [Int32], steps K: Int, shouldStop: () -> Bool = { false }
  ) throws(ModelError) -> GradientNorms {
    guard K >= 1 else { throw .invalidArgument("steps must be at least 1") }
    let W = 2 * K
    let windows = (tokens.count - 1) / W
    guard windows >= 1 else {
      throw .invalidArgument(
        "the text has \(tokens.count) characters; \(K) steps need at least \(W + 1)")
    }
    var sums = [Double](repeating: 0, count: K + 1)
    var state = HiddenState(config: model.config, batch: 1)
    let scratch = Scratch(config: model.config)
    var samples = 0
    for w in 0..<windows {
      if shouldStop() && samples > 0 { break }
      let ws = forward(model: model, tokens: tokens, from: w * W, count: W, state: &state)
      for t in K..<W {
        travel(model: model, workspace: ws, scratch: scratch, from: t, back: K) { k, dh in
          sums[k] += norm(dh, model.config.hidden)
        }
        samples += 1
      }
    }
    return GradientNorms(norms: sums.map { $0 / Double(samples) }, samples: samples)
  }

  /// The vectors ∂L_t/∂h_{t−k} (top layer, `[H]` each) for k = 0…t, starting from `state` and
  /// reading `tokens[0…t]` with targets `tokens[1…t+1]`. For tests against finite differences.
  public static func hiddenGradients(
    model: LanguageModel, tokens: [Int32], state: HiddenState, at t: Int
  ) -> [[Float]] {
    var state = state
    let ws = forward(model: model, tokens: tokens, from: 0, count: t + 1, state: &state)
    var out: [[Float]] = []
    travel(model: model, workspace: ws, scratch: Scratch(config: model.config), from: t, back: t) { _, dh in
      out.append(Array(UnsafeBufferPointer(start: dh, count: model.config.hidden)))
    }
    return out
  }

  /// Buffers for one injection: `dh`, `dc` `[H]`, gate gradients `[G·H]` (input and recurrent side).
  final class Scratch {
    let dh: FloatBuffer, dc: FloatBuffer, dGates: FloatBuffer, dGatesHH: FloatBuffer
    init(config: ModelConfig) {
      let H = config.hidden, GH = config.cell.gateCount * H
      dh = FloatBuffer(count: H)
      dc = FloatBuffer(count: H)
      dGates = FloatBuffer(count: GH)
      dGatesHH = FloatBuffer(count: GH)
    }
  }

  /// Forward over `count` characters from `start`, then the loss gradient of every step in place
  /// of the logits (`softmax − onehot`, unscaled).
  static func forward(
    model: LanguageModel, tokens: [Int32], from start: Int, count: Int, state: inout HiddenState
  ) -> Workspace {
    let ws = Workspace(config: model.config, batch: 1, steps: count)
    var rng = RandomGenerator(seed: 0)
    tokens.withUnsafeBufferPointer { all in
      model.forward(inputs: all.baseAddress! + start, state: &state, workspace: ws, training: false, rng: &rng)
      _ = CrossEntropy.loss(
        logits: ws.logits.pointer, rows: count, vocab: model.config.vocabSize,
        targets: all.baseAddress! + start + 1, gradientScale: 1)
    }
    return ws
  }

  /// Injects ∂L_t/∂h_t = dlogits_t · W_dec at the top layer and steps back to h_{t−back},
  /// calling `visit(k, dh)` with ∂L_t/∂h_{t−k} for k = 0…back.
  static func travel(
    model: LanguageModel, workspace ws: Workspace, scratch: Scratch, from t: Int, back: Int,
    visit: (Int, UnsafePointer<Float>) -> Void
  ) {
    let c = model.config, H = c.hidden, V = c.vocabSize, GH = c.cell.gateCount * H
    let l = c.layers - 1
    let p = model.parameters.pointer
    let whh = p + model.layout.layers[l].weightHH
    let dh = scratch.dh.pointer, dc = scratch.dc.pointer
    let dG = scratch.dGates.pointer, dGH = scratch.dGatesHH.pointer
    BLAS.gemm(m: 1, n: H, k: V, a: ws.logits.pointer + t * V, lda: V, b: p + model.layout.decoderWeight, ldb: H, c: dh, ldc: H)
    dc.update(repeating: 0, count: H)
    let out = ws.outputs[l].pointer, gates = ws.gates[l].pointer
    for s in stride(from: t, through: t - back, by: -1) {
      visit(t - s, dh)
      if s == t - back { break }
      // dh ← ∂L_t/∂h_{s−1} through step s (s ≥ 1 here, as t − back ≥ 0).
      switch c.cell {
      case .rnn:
        TanhRNNKernel.backward(batch: 1, hidden: H, dh: dh, h: out + s * H, dGates: dG)
        BLAS.gemm(m: 1, n: H, k: GH, a: dG, lda: GH, b: whh, ldb: H, c: dh, ldc: H)
      case .lstm:
        let cells = ws.cells[l].pointer
        LSTMKernel.backward(
          batch: 1, hidden: H, dh: dh, dc: dc, gates: gates + s * GH, cPrev: cells + (s - 1) * H,
          c: cells + s * H, dGates: dG)
        BLAS.gemm(m: 1, n: H, k: GH, a: dG, lda: GH, b: whh, ldb: H, c: dh, ldc: H)
      case .gru:
        GRUKernel.backward(
          batch: 1, hidden: H, dh: dh, gates: gates + s * GH, hn: ws.cells[l].pointer + s * H,
          hPrev: out + (s - 1) * H, dGatesIH: dG, dGatesHH: dGH)
        BLAS.gemm(m: 1, n: H, k: GH, a: dGH, lda: GH, b: whh, ldb: H, beta: 1, c: dh, ldc: H)
      }
    }
  }

  static func norm(_ v: UnsafePointer<Float>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += Double(v[i]) * Double(v[i]) }
    return s.squareRoot()
  }
}
