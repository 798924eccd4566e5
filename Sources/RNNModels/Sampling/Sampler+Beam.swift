import RNNTokenizers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Sampler {
  /// One partial text of the search.
  private struct Hypothesis {
    var tokens: [Int32] = []
    /// The generated text, cut at the length.
    var text = String.UnicodeScalarView()
    /// For word and BPE models: bytes of a character not yet complete.
    var stream: TokenTextStream<AnyTokenizer>?
    var logProbability = 0.0
    /// The recurrent state after its last token, and the log-probabilities of the next token
    /// (both empty once finished).
    var state: [Float] = []
    var next: [Double] = []

    func score(_ alpha: Double) -> Double {
      BeamOptions.score(logProbability: logProbability, tokens: tokens.count, lengthPenalty: alpha)
    }
  }

  /// The likeliest continuation of `options.prime` found by beam search (see ``BeamOptions``).
  /// `onStep` is called after each step and returns false to stop (the best text so far is
  /// returned, marked interrupted). Without a prime the search starts after "\n" (its token);
  /// a vocabulary without one needs a prime.
  public func beamSearch(_ options: BeamOptions, onStep: () -> Bool = { true }) throws(ModelError) -> BeamResult {
    try options.validate()
    forward.reset()
    for t in try beamStart(options.prime) { forward.step(t) }
    var active = [Hypothesis(stream: tokenizer.map { TokenTextStream($0) }, state: forward.state, next: logSoftmax())]
    var finished: [Hypothesis] = []
    var interrupted = false
    if options.length == 0 { finished = active }
    while !active.isEmpty && options.length > 0 {
      (active, finished) = expand(active, finished: finished, options)
      if !active.isEmpty && !onStep() {
        interrupted = true
        break
      }
    }
    let alpha = options.lengthPenalty
    var best = (finished + active)[0]
    for h in finished + active where h.score(alpha) > best.score(alpha) { best = h }
    return BeamResult(
      text: String(best.text), tokens: best.tokens, logProbability: best.logProbability, score: best.score(alpha),
      interrupted: interrupted)
  }

  /// One step: every extension of every active text, best first (ties: lower parent, then lower
  /// token); finished extensions among the first `width` join `finished`, unfinished ones fill
  /// the next beam up to `width`.
  private func expand(
    _ active: [Hypothesis], finished: [Hypothesis], _ options: BeamOptions
  ) -> (active: [Hypothesis], finished: [Hypothesis]) {
    let V = model.config.vocabSize
    var candidates: [(parent: Int, token: Int, logProbability: Double)] = []
    candidates.reserveCapacity(active.count * V)
    for (i, h) in active.enumerated() {
      for v in 0..<V { candidates.append((i, v, h.logProbability + h.next[v])) }
    }
    candidates.sort {
      $0.logProbability != $1.logProbability
        ? $0.logProbability > $1.logProbability : ($0.parent, $0.token) < ($1.parent, $1.token)
    }
    var beam: [Hypothesis] = [], done = finished
    for (rank, c) in candidates.enumerated() where beam.count < options.width {
      var child = active[c.parent]
      child.tokens.append(Int32(c.token))
      child.logProbability = c.logProbability
      let isDone = append(Int32(c.token), to: &child, options)
      if isDone {
        if rank < options.width {
          child.state = []
          child.next = []
          done.append(child)
        }
        continue
      }
      forward.state = active[c.parent].state
      forward.step(Int32(c.token))
      child.state = forward.state
      child.next = logSoftmax()
      beam.append(child)
    }
    return (beam, done)
  }

  /// Adds the text of `token` to `h` (cut at the length); returns whether `h` is finished.
  private func append(_ token: Int32, to h: inout Hypothesis, _ options: BeamOptions) -> Bool {
    let piece = h.stream != nil ? h.stream!.append(token) : String(vocabulary.scalars[Int(token)])
    for scalar in piece.unicodeScalars where h.text.count < options.length { h.text.append(scalar) }
    if h.text.count >= options.length { return true }
    guard !options.stop.isEmpty else { return false }
    let text = String(h.text)
    return options.stop.contains { text.hasSuffix($0) }
  }

  /// The prime's tokens, or the token of "\n" when there is no prime.
  private func beamStart(_ prime: String) throws(ModelError) -> [Int32] {
    var tokens: [Int32]
    if let tokenizer {
      do throws(TokenizerError) { tokens = try tokenizer.encode(prime.isEmpty ? "\n" : prime) } catch {
        guard case .unknownCharacters(let scalars) = error else { throw .outOfVocabulary(characters: [], context: "the prime text") }
        throw .outOfVocabulary(characters: scalars.map { String($0) }, context: prime.isEmpty ? "\"\\n\"" : "the prime text")
      }
    } else {
      tokens = try vocabulary.encode(prime, context: "the prime text")
      if tokens.isEmpty, let newline = vocabulary.index(of: "\n") { tokens = [Int32(newline)] }
    }
    guard !tokens.isEmpty else {
      throw .invalidArgument("beam search needs a prime: the vocabulary has no newline to start after")
    }
    return tokens
  }

  /// `log softmax` of the current logits, in double precision.
  private func logSoftmax() -> [Double] {
    let V = model.config.vocabSize
    let logits = forward.logits.pointer
    var top = Double(logits[0])
    for i in 1..<V { top = max(top, Double(logits[i])) }
    var total = 0.0
    for i in 0..<V { total += exp(Double(logits[i]) - top) }
    let shift = top + log(total)
    return (0..<V).map { Double(logits[$0]) - shift }
  }
}
