import ArgumentParser
import Foundation
import NumericCore
import RNNModels

/// `rnn demo`: train a character-level model on a corpus and sample from it, printing the loss
/// curve as it goes. The README's first command runs it on the bundled Shakespeare corpus.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Train a model on a text corpus, watch the loss fall, and sample from it.")

  @Option(help: "A UTF-8 text file.")
  var corpus: String = "corpora/shakespeare-tragedies.txt"

  @Option(help: "rnn, lstm or gru.")
  var cell: String = "lstm"

  @Option(help: "Hidden units per layer (H).")
  var hidden: Int = 128

  @Option(help: "Recurrent layers (L).")
  var layers: Int = 2

  @Option(help: "Embedding width (E).")
  var embed: Int = 64

  @Option(help: "Dropout between layers and before the decoder.")
  var dropout: Float = 0

  @Option(help: "Training steps (each B × T characters).")
  var steps: Int = 600

  @Option(help: "Parallel streams (B).")
  var batch: Int = 32

  @Option(help: "Characters backpropagated per step (T).")
  var seq: Int = 64

  @Option(help: "Adam learning rate.")
  var lr: Float = 2e-3

  @Option(help: "Global gradient-norm clip.")
  var clip: Float = 5

  @Option(help: "Fraction of the text used for training; the rest validates.")
  var split: Double = 0.9

  @Option(help: "Evaluate on the whole validation split every this many steps (0: only at the end).")
  var evalEvery: Int = 200

  @Option(help: "Print the training loss every this many steps.")
  var logEvery: Int = 50

  @Option(help: "Seed for initialisation, dropout and sampling.")
  var seed: UInt64 = 1

  @Option(help: "Characters per sample.")
  var sampleLength: Int = 300

  @Option(help: "OpenBLAS threads.")
  var threads: Int = 2

  func run() throws {
    BLAS.threads = threads
    guard let kind = CellKind(rawValue: cell.lowercased()) else {
      throw ValidationError("--cell must be rnn, lstm or gru, got '\(cell)'")
    }
    let text = try Corpus.load(path: corpus, fractions: SplitFractions(train: split))
    let config = ModelConfig(
      cell: kind, vocabSize: text.vocabulary.count, embed: embed, hidden: hidden, layers: layers, dropout: dropout)
    let model = try LanguageModel(config: config, seed: seed)
    let options = TrainingOptions(batch: batch, seq: seq, learningRate: lr, clipping: .norm(clip))
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: seed))
    print(
      "corpus \(corpus): \(text.tokens.count) characters, vocabulary \(text.vocabulary.count), "
        + "train \(text.splits.train.count) / validation \(text.splits.validation.count)")
    print(
      "model \(kind.displayName) H=\(hidden) L=\(layers) E=\(embed): \(model.parameterCount) parameters; "
        + "Adam lr \(lr), clip \(clip), B=\(batch) T=\(seq), \(steps) steps")
    let train = text.tokens(of: .train), validation = text.tokens(of: .validation)
    let start = ResourceUsage.now()
    var window: [Float] = []
    func validate(_ step: Int) throws {
      guard validation.count > 1 else { return }
      let v = try Evaluator.evaluate(model: model, tokens: validation)
      trainer.state.validationLosses.append(.init(step: step, loss: Float(v.loss)))
      print(
        String(
          format: "step %5d  validation %.4f nats/char  %.3f bpc  perplexity %.2f  (%.0f s)",
          step, v.loss, v.bitsPerCharacter, v.perplexity, ResourceUsage.now() - start))
    }
    try validate(0)
    var done = 0
    while done < steps {
      let chunk = min(evalEvery > 0 ? evalEvery - done % evalEvery : steps, steps - done)
      _ = try trainer.train(
        on: train, options: options, steps: chunk,
        onStep: { report in
          window.append(report.loss)
          if report.step % logEvery == 0 {
            let mean = window.reduce(0, +) / Float(window.count)
            let elapsed = ResourceUsage.now() - start
            print(
              String(
                format: "step %5d  train %.4f nats/char  %.3f bpc  %.0f chars/s",
                report.step, mean, mean / log(2), Double(report.step * batch * seq) / elapsed))
            window.removeAll(keepingCapacity: true)
          }
        })
      done += chunk
      if evalEvery > 0 && done % evalEvery == 0 && done < steps { try validate(done) }
    }
    try validate(done)
    print(String(format: "trained %d steps in %.1f s", done, ResourceUsage.now() - start))
    let sampler = try Sampler(model: model, vocabulary: text.vocabulary)
    for temperature: Float in [0.5, 0.8, 1.0] {
      print("\n--- sample, temperature \(temperature) ---")
      var line = ""
      try sampler.sample(SamplingOptions(length: sampleLength, temperature: temperature, seed: seed)) { ch in
        line += ch
        return true
      }
      print(line)
    }
  }
}
