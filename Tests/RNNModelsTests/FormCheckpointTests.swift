import NumericCore
import RNNModels
import SafeTensors
import XCTest

/// Generator and tagger checkpoints: PyTorch's names and shapes, an exact round trip of the
/// network and the training position, and clear errors for damaged files.
final class FormCheckpointTests: XCTestCase {
  func makeGenerator() throws -> GeneratorContents {
    let g = try ConditionalGenerator(
      cell: .lstm, vocabulary: ConditionalGenerator.vocabulary(of: ["abc", "cab"]), labels: ["x", "y"], embed: 3,
      hidden: 4, layers: 2, seed: 5)
    var trainer = FormTrainer(bodyCount: g.bodyCount, extraCount: g.extra.count, seed: 5)
    for _ in 0..<3 {
      let batch = trainer.nextBatch(count: 2, batch: 1)
      g.zeroGradients()
      let loss = g.accumulate(batch[0] == 0 ? [1, 2, 3] : [3, 1, 2], label: batch[0])
      trainer.update(g, loss: loss, lr: 0.01, clip: 1)
    }
    return GeneratorContents(
      generator: g, trainer: trainer, dataPath: "w.tsv", dataAbsolutePath: "/x/w.tsv", holdout: 0.1, seed: 5, maxLength: 9)
  }

  func testGeneratorRoundTripsWithPyTorchNames() throws {
    let c = try makeGenerator()
    let file = try FormCheckpoint.encode(c)
    XCTAssertEqual(file["rnn.weight_ih_l0"]?.shape, [16, 3 + 2], "the label columns follow the embedding's")
    XCTAssertEqual(file["rnn.weight_ih_l1"]?.shape, [16, 4])
    XCTAssertNotNil(file["decoder.weight"])
    guard case .generator(let back) = try FormCheckpoint.decode(file, path: "g.safetensors") else {
      return XCTFail("a generator")
    }
    for (name, _) in c.generator.tensorShapes {
      XCTAssertEqual(back.generator.tensor(named: name), c.generator.tensor(named: name), name)
    }
    XCTAssertEqual(back.trainer, c.trainer)
    XCTAssertEqual(back.generator.labels, ["x", "y"])
    XCTAssertEqual([back.maxLength, Int(back.seed)], [9, 5])
  }

  func testDamagedFilesAreRejectedWithTheReason() throws {
    let c = try makeGenerator()
    var missing = try FormCheckpoint.encode(c)
    _ = missing.removeTensor(named: "rnn.bias_hh_l1")
    XCTAssertThrowsError(try FormCheckpoint.decode(missing, path: "g.safetensors")) {
      XCTAssertTrue("\($0)".contains("tensor 'rnn.bias_hh_l1' is missing"), "\($0)")
    }
    var extra = try FormCheckpoint.encode(c)
    try extra.append(TensorEntry(name: "head.weight", shape: [1], values: [Float(1)]))
    XCTAssertThrowsError(try FormCheckpoint.decode(extra, path: "g.safetensors")) {
      XCTAssertTrue("\($0)".contains("unexpected tensor 'head.weight'"), "\($0)")
    }
    var nan = try FormCheckpoint.encode(c)
    let shape = nan["decoder.bias"]!.shape
    _ = nan.removeTensor(named: "decoder.bias")
    try nan.append(TensorEntry(name: "decoder.bias", shape: shape, values: [Float](repeating: .nan, count: shape[0])))
    XCTAssertThrowsError(try FormCheckpoint.decode(nan, path: "g.safetensors")) {
      XCTAssertTrue("\($0)".contains("non-finite"), "\($0)")
    }
    var labels = try FormCheckpoint.encode(c)
    labels.metadata["labels"] = "[\"x\", \"x\"]"
    XCTAssertThrowsError(try FormCheckpoint.decode(labels, path: "g.safetensors")) {
      XCTAssertTrue("\($0)".contains("metadata 'labels'"), "\($0)")
    }
  }

  func testTaggerRoundTripsWithItsHead() throws {
    let t = try SequenceTagger(cell: .gru, vocabulary: Vocabulary(of: "ab\"c"), tags: ["0", "1"], embed: 2, hidden: 3, layers: 1, seed: 4)
    let c = TaggerContents(
      tagger: t, trainer: FormTrainer(bodyCount: t.bodyCount, extraCount: t.extra.count, seed: 4), corpusPath: "c.txt",
      corpusAbsolutePath: nil, fractions: SplitFractions(train: 0.8), property: .regex("[a-z]+"), tagFile: nil, length: 10)
    let file = try FormCheckpoint.encode(c)
    XCTAssertNil(file["decoder.weight"], "a tagger has no decoder")
    XCTAssertEqual(file["head.weight"]?.shape, [2, 3])
    guard case .tagger(let back) = try FormCheckpoint.decode(file, path: "t.safetensors") else { return XCTFail("a tagger") }
    XCTAssertEqual(back.property, .regex("[a-z]+"))
    XCTAssertEqual(back.trainer.seed, 4)
    for (name, _) in t.tensorShapes { XCTAssertEqual(back.tagger.tensor(named: name), t.tensor(named: name), name) }
  }
}
