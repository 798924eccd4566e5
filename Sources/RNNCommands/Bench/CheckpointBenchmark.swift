import Foundation
import NumericCore
import RNNModels

/// Save and load time and file size of one model's checkpoint (with Adam state, as `save` writes
/// it), median of `repeats`. Compare with `python3 scripts/python/checkpoint_bench.py` (torch.save).
enum CheckpointBenchmark {
  static func run(_ c: BenchConfiguration, embed: Int = 64, vocab: Int = 65, repeats: Int = 7) throws -> String {
    let config = ModelConfig(cell: c.cell, vocabSize: vocab, embed: embed, hidden: c.hidden, layers: c.layers)
    let model = try LanguageModel(config: config, seed: 1)
    let options = TrainingOptions(batch: c.batch, seq: c.seq)
    let trainer = Trainer(
      model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 1))
    var rng = RandomGenerator(seed: 3)
    let tokens = TokenSequence(
      tokens: (0..<(c.batch * (c.seq + 1))).map { _ in Int32(rng.next() % UInt64(vocab)) }, vocabularySize: vocab)
    _ = try trainer.train(on: tokens, options: options, steps: 1)
    let vocabulary = Vocabulary(scalars: (0..<vocab).map { Unicode.Scalar(UInt8(33 + $0)) })
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-ckpt-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("m.safetensors").path
    var saves: [Double] = [], loads: [Double] = []
    for _ in 0..<repeats {
      let start = ResourceUsage.now()
      try ModelCheckpoint.save(
        CheckpointContents(model: model, vocabulary: vocabulary, trainer: trainer, options: options, corpus: nil), to: path)
      saves.append(ResourceUsage.now() - start)
      let loadStart = ResourceUsage.now()
      let loaded = try ModelCheckpoint.load(path: path)
      loads.append(ResourceUsage.now() - loadStart)
      precondition(loaded.parameters.count == model.parameterCount)
    }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
    return String(
      format:
        "checkpoint %@: %d parameters, file %d bytes (model + Adam state), save %.1f ms (incl. fsync), load %.1f ms (validated, CRC-32C checked); median of %d",
      c.description, model.parameterCount, size, median(saves) * 1000, median(loads) * 1000, repeats)
  }
}
