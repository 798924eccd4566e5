import NumericCore
import RNNTokenizers

/// Generates text one character at a time from a model (batch 1), delivering each character
/// through a callback as soon as it exists, so a front end can stream it. The weights are read
/// when the sampler is made (see `SingleStepForward`).
public final class Sampler {
  public let model: LanguageModel
  public let vocabulary: Vocabulary
  /// A word or BPE tokenizer (see `init(model:tokenizer:)`), nil for characters.
  public let tokenizer: AnyTokenizer?
  /// The batch-1 forward pass (also beam search's, `Sampler+Beam.swift`).
  let forward: SingleStepForward
  private var rng: RandomGenerator
  private var order: [Int] = []

  /// With `precision` bf16 the batch-1 products read bf16 weight copies (`SingleStepForward`).
  public init(model: LanguageModel, vocabulary: Vocabulary, precision: Precision = .fp32) throws(ModelError) {
    guard vocabulary.count == model.config.vocabSize else {
      throw .shapeMismatch("vocabulary has \(vocabulary.count) characters but the model expects \(model.config.vocabSize)")
    }
    self.model = model
    self.vocabulary = vocabulary
    self.tokenizer = nil
    forward = SingleStepForward(model: model, precision: precision)
    rng = RandomGenerator(seed: 0)
  }

  /// A sampler for a model of `tokenizer`'s tokens; a char tokenizer samples exactly as
  /// `init(model:vocabulary:)`.
  public init(model: LanguageModel, tokenizer: AnyTokenizer, precision: Precision = .fp32) throws(ModelError) {
    guard tokenizer.vocabularySize == model.config.vocabSize else {
      throw .shapeMismatch("the tokenizer has \(tokenizer.vocabularySize) tokens but the model expects \(model.config.vocabSize)")
    }
    self.model = model
    if case .char(let characters) = tokenizer {
      vocabulary = Vocabulary(scalars: characters.scalars)
      self.tokenizer = nil
    } else {
      vocabulary = Vocabulary(scalars: [])
      self.tokenizer = tokenizer
    }
    forward = SingleStepForward(model: model, precision: precision)
    rng = RandomGenerator(seed: 0)
  }

  /// Samples `options.length` characters after `options.prime`. `onCharacter` receives each
  /// generated character and returns false to stop early. Returns the generated text (without the
  /// prime). A prime with characters outside the vocabulary is an error naming them.
  @discardableResult
  public func sample(_ options: SamplingOptions, onCharacter: (String) -> Bool = { _ in true }) throws(ModelError) -> String {
    try options.validate()
    if let tokenizer { return try sampleTokens(tokenizer, options, onCharacter: onCharacter) }
    var primeTokens = try vocabulary.encode(options.prime, context: "the prime text")
    forward.reset()
    rng = RandomGenerator(seed: options.seed)
    var output = String.UnicodeScalarView()
    var remaining = options.length
    guard remaining > 0 else { return "" }
    if primeTokens.isEmpty {
      // No prime: start after a newline when the vocabulary has one (as if at a line start),
      // otherwise from a uniformly drawn first character, which is part of the output.
      if let newline = vocabulary.index(of: "\n") {
        primeTokens = [Int32(newline)]
      } else {
        let first = Int(rng.next() % UInt64(vocabulary.count))
        primeTokens = [Int32(first)]
        let ch = vocabulary.scalars[first]
        output.append(ch)
        remaining -= 1
        if !onCharacter(String(ch)) || remaining == 0 { return String(output) }
      }
    }
    for t in primeTokens { step(t) }
    let maxStop = options.stop.map { $0.unicodeScalars.count }.max() ?? 0
    while remaining > 0 {
      let next = choose(options)
      let ch = vocabulary.scalars[next]
      output.append(ch)
      remaining -= 1
      if !onCharacter(String(ch)) { break }
      if maxStop > 0, options.stop.contains(where: { String(output).hasSuffix($0) }) { break }
      if remaining > 0 { step(Int32(next)) }
    }
    return String(output)
  }

  /// Sampling word or BPE tokens: `options.length` still counts characters. Each drawn token's
  /// text is given out a character at a time (a BPE piece that ends inside a character waits for
  /// the next piece, `TokenTextStream`); the last token is cut at the length. Without a prime the
  /// model starts after the token of "\n" when there is one, else after a uniformly drawn token.
  private func sampleTokens(
    _ tokenizer: AnyTokenizer, _ options: SamplingOptions, onCharacter: (String) -> Bool
  ) throws(ModelError) -> String {
    var primeTokens: [Int32]
    do throws(TokenizerError) { primeTokens = try tokenizer.encode(options.prime) } catch {
      guard case .unknownCharacters(let scalars) = error else { throw .outOfVocabulary(characters: [], context: "the prime text") }
      throw .outOfVocabulary(characters: scalars.map { String($0) }, context: "the prime text")
    }
    forward.reset()
    rng = RandomGenerator(seed: options.seed)
    var output = String.UnicodeScalarView()
    var remaining = options.length
    guard remaining > 0 else { return "" }
    if primeTokens.isEmpty {
      let newline = try? tokenizer.encode("\n")
      primeTokens = newline?.count == 1 ? newline! : [Int32(rng.next() % UInt64(model.config.vocabSize))]
    }
    for t in primeTokens { step(t) }
    var text = TokenTextStream(tokenizer)
    drawing: while remaining > 0 {
      let next = Int32(choose(options))
      for scalar in text.append(next).unicodeScalars {
        output.append(scalar)
        remaining -= 1
        if !onCharacter(String(scalar)) || remaining == 0 { break drawing }
        if options.stop.contains(where: { String(output).hasSuffix($0) }) { break drawing }
      }
      step(next)
    }
    return String(output)
  }

  /// Feeds one token; leaves the next character's logits in `forward.logits`.
  private func step(_ t: Int32) { forward.step(t) }

  /// Picks the next token from the current logits under temperature, top-k and top-p.
  private func choose(_ options: SamplingOptions) -> Int {
    let V = model.config.vocabSize
    let logits = forward.logits.pointer
    if options.temperature == 0 {
      var best = 0
      for i in 1..<V where logits[i] > logits[best] { best = i }
      return best
    }
    let invT = 1 / options.temperature
    for i in 0..<V { logits[i] *= invT }
    FastMath.softmax(logits, count: V)
    if options.topK != nil || options.topP != nil {
      order = Array(0..<V)
      order.sort { logits[$0] > logits[$1] }
      var keep = min(options.topK ?? V, V)
      if let p = options.topP {
        var cumulative: Float = 0
        for (rank, i) in order.prefix(keep).enumerated() {
          cumulative += logits[i]
          if cumulative >= p {
            keep = rank + 1
            break
          }
        }
      }
      for i in order.dropFirst(keep) { logits[i] = 0 }
    }
    var total: Float = 0
    for i in 0..<V { total += logits[i] }
    var u = rng.nextUniform() * total
    for i in 0..<V {
      u -= logits[i]
      if u < 0 { return i }
    }
    // Rounding left a sliver: return the last character with any probability.
    for i in stride(from: V - 1, through: 0, by: -1) where logits[i] > 0 { return i }
    return 0
  }
}
