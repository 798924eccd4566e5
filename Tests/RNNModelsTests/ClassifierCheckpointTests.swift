import Foundation
import NumericCore
@testable import RNNModels
import SafeTensors
import XCTest

/// A many-to-one classifier saves and loads like a language model: the same outputs and an exact
/// continuation after loading, and every kind of damage is a clear error.
final class ClassifierCheckpointTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-clf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }
  override func tearDown() { try? FileManager.default.removeItem(at: dir) }

  /// A trained 2-layer LSTM classifier, its examples, and its checkpoint contents.
  func trained() throws -> (ClassifierContents, [([Int32], Int)]) {
    let examples = (0..<24).map { i in
      ClassificationData.Example(label: i % 2 == 0 ? "even" : "odd", text: String(repeating: i % 2 == 0 ? "ab" : "ba", count: 1 + i % 4))
    }
    let data = ClassificationData(examples: examples)
    let c = try SequenceClassifier(
      cell: .lstm, vocabulary: data.vocabulary, labels: data.labels, embed: 3, hidden: 5, layers: 2, seed: 4)
    let set = data.examples.map { (try! c.vocabulary.encode($0.text, context: "t"), data.labels.firstIndex(of: $0.label)!) }
    var trainer = ClassifierTrainer(classifier: c, seed: 4)
    trainer.train(c, train: set, holdout: [], epochs: 3, batch: 4, learningRate: 0.01, clip: 5) { _ in }
    return (ClassifierContents(classifier: c, trainer: trainer, dataPath: "data.tsv", holdout: 0.25, seed: 4), set)
  }

  func testRoundTripGivesTheSameOutputsAndContinuesExactly() throws {
    var (original, set) = try trained()
    let path = dir.appendingPathComponent("c.safetensors").path
    try ClassifierCheckpoint.save(original, to: path)
    guard case .classifier(var loaded) = try LoadedCheckpoint.load(path: path) else {
      return XCTFail("a classifier checkpoint loads as a classifier")
    }
    XCTAssertEqual(loaded.classifier.labels, ["even", "odd"])
    XCTAssertEqual(loaded.dataPath, "data.tsv")
    XCTAssertEqual(loaded.holdout, 0.25)
    XCTAssertEqual(loaded.trainer.epochsDone, 3)
    XCTAssertEqual(loaded.trainer.bodyState, original.trainer.bodyState)
    XCTAssertEqual(loaded.trainer.headState, original.trainer.headState)
    XCTAssertEqual(loaded.trainer.rng, original.trainer.rng)
    XCTAssertEqual(loaded.classifier.head.array, original.classifier.head.array)
    XCTAssertEqual(
      Array(loaded.classifier.body.parameters.array[..<original.classifier.bodyCount]),
      Array(original.classifier.body.parameters.array[..<original.classifier.bodyCount]))
    XCTAssertEqual(loaded.classifier.probabilities(set[0].0), original.classifier.probabilities(set[0].0))
    original.trainer.train(original.classifier, train: set, holdout: [], epochs: 2, batch: 4, learningRate: 0.01, clip: 5) { _ in }
    loaded.trainer.train(loaded.classifier, train: set, holdout: [], epochs: 2, batch: 4, learningRate: 0.01, clip: 5) { _ in }
    XCTAssertEqual(loaded.classifier.head.array, original.classifier.head.array)
    XCTAssertEqual(
      Array(loaded.classifier.body.parameters.array[..<original.classifier.bodyCount]),
      Array(original.classifier.body.parameters.array[..<original.classifier.bodyCount]))
  }

  /// Writes `original` changed by `damage`, loads it, and returns the error's text.
  func loadError(_ damage: (inout SafeTensorsFile) throws -> Void) throws -> String {
    var file = try ClassifierCheckpoint.encode(try trained().0)
    try damage(&file)
    let path = dir.appendingPathComponent("bad-\(UUID().uuidString).safetensors").path
    try file.write(path: path)
    do {
      _ = try ClassifierCheckpoint.load(path: path)
      XCTFail("a damaged checkpoint loaded")
      return ""
    } catch {
      XCTAssertTrue(error.description.contains("not a usable checkpoint"), error.description)
      return error.description
    }
  }

  func testDamagedCheckpointsAreClearErrors() throws {
    XCTAssertTrue(try loadError { _ = $0.removeTensor(named: "head.bias") }.contains("tensor 'head.bias' is missing"))
    XCTAssertTrue(
      try loadError { f in
        _ = f.removeTensor(named: "head.weight")
        try f.append(TensorEntry(name: "head.weight", shape: [3, 5], values: [Float](repeating: 0, count: 15)))
      }.contains("tensor 'head.weight' has shape [3, 5], expected [2, 5]"))
    XCTAssertTrue(
      try loadError { f in
        _ = f.removeTensor(named: "head.bias")
        try f.append(TensorEntry(name: "head.bias", shape: [2], values: [Float.nan, 0]))
      }.contains("tensor 'head.bias' holds a non-finite value"))
    XCTAssertTrue(
      try loadError { try $0.append(TensorEntry(name: "decoder.bias", shape: [2], values: [Float](repeating: 0, count: 2))) }
        .contains("unexpected tensor 'decoder.bias'"))
    XCTAssertTrue(try loadError { $0.metadata["labels"] = "[\"only\"]" }.contains("metadata 'labels'"))
    XCTAssertTrue(try loadError { $0.metadata["format_version"] = "9" }.contains("format_version 9 is not supported"))
    XCTAssertTrue(try loadError { $0.metadata["data"] = "{}" }.contains("metadata 'data'"))
    XCTAssertTrue(
      try loadError { $0.metadata["config"] = #"{"cell":"lstm","embed":3,"hidden":6,"layers":2}"# }
        .contains("has shape"))
  }

  func testALanguageModelCheckpointIsNotAClassifier() throws {
    let model = try LanguageModel(config: ModelConfig(cell: .gru, vocabSize: 3, embed: 2, hidden: 3, layers: 1), seed: 1)
    let contents = CheckpointContents(
      model: model, vocabulary: Vocabulary(of: "abc"), trainer: nil, options: nil, corpus: nil)
    let path = dir.appendingPathComponent("lm.safetensors").path
    try ModelCheckpoint.save(contents, to: path)
    guard case .model = try LoadedCheckpoint.load(path: path) else { return XCTFail("a model loads as a model") }
    XCTAssertThrowsError(try ClassifierCheckpoint.load(path: path)) { error in
      XCTAssertTrue("\(error)".contains("expected 'rnn-playground-classifier'"), "\(error)")
    }
    let classifierPath = dir.appendingPathComponent("c.safetensors").path
    try ClassifierCheckpoint.save(try trained().0, to: classifierPath)
    XCTAssertThrowsError(try ModelCheckpoint.load(path: classifierPath)) { error in
      XCTAssertTrue("\(error)".contains("expected 'rnn-playground'"), "\(error)")
    }
  }
}
