import NumericCore
import RNNModels

/// Measures one configuration: training and sampling speed, memory, FLOP utilisation.
enum Benchmark {
  struct Result: Codable {
    var cell: String
    var hidden: Int
    var layers: Int
    var embed: Int
    var batch: Int
    var seq: Int
    var vocab: Int
    var threads: Int
    var train_chars_per_s: Double
    var sample_chars_per_s: Double
    /// One stream, the state carried (the exact loss; `eval`'s default).
    var eval_chars_per_s: Double
    /// `batch` side-by-side segments (`eval … streams B`, as char-rnn and torch-rnn evaluate).
    var eval_batched_chars_per_s: Double
    var optimizer: String
    var first_char_ms: Double
    var peak_rss_bytes: Int
    var flops_per_char: Double
    /// Against `bf16_gflops` in bf16, else `sgemm_gflops`.
    var utilisation: Double
    var sgemm_gflops: Double
    var precision: String?
    var bf16_gflops: Double?
  }

  /// GFLOP/s of a large square bf16 GEMM (`BF16GEMM`, n×n · n×n, operands packed beforehand) on
  /// `Parallel.threads` cores, best of `repeats`: the limit for FLOP utilisation in bf16.
  static func bf16Ceiling(size n: Int = 2048, repeats: Int = 5) -> Double {
    let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), c = FloatBuffer(count: n * n)
    var rng = RandomGenerator(seed: 1)
    for i in 0..<(n * n) {
      a[i] = rng.uniform(-1, 1)
      b[i] = rng.uniform(-1, 1)
    }
    let packed = BF16Buffer(count: BF16GEMM.packedSize(k: n, n: n))
    BF16GEMM.pack(b: b.pointer, ldb: n, transB: false, k: n, n: n, into: packed.pointer)
    var best = 0.0
    for _ in 0..<repeats {
      let start = ResourceUsage.now()
      BF16GEMM.multiply(m: n, n: n, k: n, a: a.pointer, lda: n, packed: packed.pointer, c: c.pointer, ldc: n, accumulate: false)
      best = max(best, 2 * Double(n * n * n) / (ResourceUsage.now() - start) / 1e9)
    }
    return best
  }

  /// GFLOP/s of a large square sgemm (n×n · n×n, 2n³ FLOPs) with OpenBLAS's own threading over
  /// `BLAS.threads` cores, best of `repeats`: the machine's limit for FLOP utilisation.
  static func sgemmCeiling(size n: Int = 2048, repeats: Int = 5) -> Double {
    let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), c = FloatBuffer(count: n * n)
    var rng = RandomGenerator(seed: 1)
    for i in 0..<(n * n) {
      a[i] = rng.uniform(-1, 1)
      b[i] = rng.uniform(-1, 1)
    }
    var best = 0.0
    for _ in 0..<repeats {
      let start = ResourceUsage.now()
      BLAS.withLibraryThreads(BLAS.threads) {
        BLAS.serialGemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, c: c.pointer, ldc: n)
      }
      best = max(best, 2 * Double(n * n * n) / (ResourceUsage.now() - start) / 1e9)
    }
    return best
  }

  /// Characters in tiny-Shakespeare's validation split (the last 10% of its 1,115,394).
  static let validationSize = 111_540

  /// Trains for about `seconds` on random tokens (after warm-up), then samples 2,000 characters.
  static func run(
    _ c: BenchConfiguration, embed: Int = 64, vocab: Int = 65, seconds: Double, ceiling: Double,
    precision: Precision = .fp32, bf16Ceiling: Double? = nil
  ) throws -> Result {
    let config = ModelConfig(cell: c.cell, vocabSize: vocab, embed: embed, hidden: c.hidden, layers: c.layers)
    let model = try LanguageModel(config: config, seed: 1)
    var rng = RandomGenerator(seed: 2)
    let count = max(c.batch * (c.seq * 64 + 1), validationSize + 1)
    let tokens = TokenSequence(tokens: (0..<count).map { _ in Int32(rng.next() % UInt64(vocab)) }, vocabularySize: vocab)
    var options = c.trainingOptions
    options.precision = precision
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 1))
    _ = try trainer.train(on: tokens, options: options, steps: 3)
    var steps = 0
    let start = ResourceUsage.now()
    while ResourceUsage.now() - start < seconds || steps < 5 {
      _ = try trainer.train(on: tokens, options: options, steps: 1)
      steps += 1
    }
    let trainRate = Double(steps * c.batch * c.seq) / (ResourceUsage.now() - start)
    let peak = ResourceUsage.peakResidentBytes

    let vocabulary = Vocabulary(scalars: (0..<vocab).map { Unicode.Scalar(UInt8(33 + $0)) })
    let length = 2000
    var first = 0.0
    // The first character's latency counts making the sampler (it copies and arranges the weights).
    let sampleStart = ResourceUsage.now()
    let sampler = try Sampler(model: model, vocabulary: vocabulary, precision: precision)
    try sampler.sample(SamplingOptions(length: length, temperature: 0.8, prime: "!", seed: 1)) { _ in
      if first == 0 { first = ResourceUsage.now() - sampleStart }
      return true
    }
    let sampleRate = Double(length) / (ResourceUsage.now() - sampleStart)
    // Evaluation: 20,000 characters as one stream with the state carried, as `eval` reads a
    // validation split, then a text the size of tiny-Shakespeare's validation split as `batch`
    // segments side by side (`eval … streams B`).
    func evaluationRate(characters: Int, streams: Int) throws -> Double {
      let start = ResourceUsage.now()
      let evaluation = try Evaluator.evaluate(
        model: model, tokens: tokens.slice(0..<characters + 1), streams: streams, precision: precision)
      return Double(evaluation.characters) / (ResourceUsage.now() - start)
    }
    let evalRate = try evaluationRate(characters: 20_000, streams: 1)
    let batchedEvalRate = try evaluationRate(characters: validationSize, streams: c.batch)
    let flops = config.trainingFlopsPerCharacter
    return Result(
      cell: c.cell.rawValue, hidden: c.hidden, layers: c.layers, embed: embed, batch: c.batch, seq: c.seq, vocab: vocab,
      threads: BLAS.threads, train_chars_per_s: trainRate, sample_chars_per_s: sampleRate,
      eval_chars_per_s: evalRate, eval_batched_chars_per_s: batchedEvalRate, optimizer: c.adagrad ? "adagrad" : "adam",
      first_char_ms: first * 1000,
      peak_rss_bytes: peak, flops_per_char: flops, utilisation: flops * trainRate / ((bf16Ceiling ?? ceiling) * 1e9),
      sgemm_gflops: ceiling, precision: precision.rawValue, bf16_gflops: bf16Ceiling)
  }
}
