import Foundation
import NumericCore
import RNNModels
import SafeTensors
import TestSupport
import XCTest

final class CheckpointTests: XCTestCase {
  var dir: URL!
  static let text = String(repeating: "To be, or not to be, that is the question: ", count: 30)

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func fresh(_ cell: CellKind, _ options: TrainingOptions, corpus: Corpus) throws -> Trainer {
    let config = ModelConfig(cell: cell, vocabSize: corpus.vocabulary.count, embed: 6, hidden: 10, layers: 2, dropout: 0.1)
    let model = try LanguageModel(config: config, seed: 11)
    return Trainer(model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: 11))
  }

  /// Train N + M steps straight, or N steps, save, load in a fresh trainer and train M: the same
  /// parameters and state bit for bit, for every cell, with Adam and RMSProp.
  func testExactResume() throws {
    let corpus = try Corpus(text: Self.text)
    let data = corpus.tokens(of: .train)
    for cell in CellKind.allCases {
      for kind in [OptimizerConfig.Kind.adam, .rmsprop] {
        let options = TrainingOptions(
          batch: 3, seq: 12, learningRate: 0.01, optimizer: OptimizerConfig(kind: kind), schedule: .exponential(gamma: 0.99))
        let straight = try fresh(cell, options, corpus: corpus)
        _ = try straight.train(on: data, options: options, steps: 25)

        let first = try fresh(cell, options, corpus: corpus)
        _ = try first.train(on: data, options: options, steps: 9)
        first.state.validationLosses.append(.init(step: 9, loss: 2.5))
        let path = dir.appendingPathComponent("\(cell)-\(kind).safetensors").path
        try ModelCheckpoint.save(
          CheckpointContents(model: first.model, vocabulary: corpus.vocabulary, trainer: first, options: options, corpus: corpus),
          to: path)
        let loaded = try ModelCheckpoint.load(path: path)
        XCTAssertEqual(loaded.vocabulary, corpus.vocabulary)
        XCTAssertEqual(loaded.options, options)
        XCTAssertEqual(loaded.corpusSplit, corpus.fractions)
        XCTAssertEqual(loaded.training, first.state)
        XCTAssertNil(loaded.corpusWarning(against: corpus))
        let resumed = try loaded.makeTrainer()
        _ = try resumed.train(on: data, options: loaded.options!, steps: 16)
        resumed.state.validationLosses.removeAll()
        XCTAssertEqual(resumed.model.parameters.array, straight.model.parameters.array, "\(cell) \(kind)")
        XCTAssertEqual(resumed.state, straight.state, "\(cell) \(kind)")
      }
    }
  }

  func testFileHasPyTorchNamesAndMetadata() throws {
    let corpus = try Corpus(text: Self.text)
    let options = TrainingOptions(batch: 2, seq: 8)
    let trainer = try fresh(.lstm, options, corpus: corpus)
    let file = try ModelCheckpoint.encode(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus))
    XCTAssertEqual(file["rnn.weight_ih_l1"]?.shape, [40, 10])
    XCTAssertEqual(file["encoder.weight"]?.shape, [corpus.vocabulary.count, 6])
    XCTAssertEqual(file["optimizer.exp_avg.decoder.bias"]?.shape, [corpus.vocabulary.count])
    XCTAssertEqual(file["state.hidden.c"]?.shape, [2, 2, 10])
    XCTAssertEqual(file.metadata["format"], "rnn-playground")
    XCTAssertEqual(file.metadata["format_version"], "1")
    let config = try JSONSerialization.jsonObject(with: Data(file.metadata["config"]!.utf8)) as! [String: Any]
    XCTAssertEqual(config["cell"] as? String, "lstm")
    XCTAssertEqual(config["layers"] as? Int, 2)
    let vocab = try JSONSerialization.jsonObject(with: Data(file.metadata["vocab"]!.utf8)) as! [String]
    XCTAssertEqual(vocab, corpus.vocabulary.scalars.map { String($0) })
  }

  /// A file with only the model tensors and metadata, no checksum (as `safetensors.torch.save_file`
  /// writes it), loads with a fresh optimizer and says so.
  func testModelOnlyFileWithoutChecksumLoads() throws {
    let corpus = try Corpus(text: Self.text)
    let trainer = try fresh(.gru, TrainingOptions(batch: 2, seq: 8), corpus: corpus)
    var file = try ModelCheckpoint.encode(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: nil))
    file.metadata = file.metadata.filter { ["config", "vocab"].contains($0.key) }
    let path = dir.appendingPathComponent("torch.safetensors").path
    try file.write(path: path, checksums: false)
    let loaded = try ModelCheckpoint.load(path: path)
    XCTAssertNil(loaded.training)
    XCTAssertEqual(loaded.parameters, trainer.model.parameters.array)
    XCTAssertTrue(loaded.notes.joined().contains("no checksum"), "\(loaded.notes)")
    XCTAssertTrue(loaded.notes.joined().contains("optimizer starts fresh"), "\(loaded.notes)")
    let other = try Corpus(text: "something else entirely")
    var withPrint = loaded
    withPrint.corpusFingerprint = corpus.fingerprint
    XCTAssertNotNil(withPrint.corpusWarning(against: other))
  }

  /// Mutates a valid checkpoint thousands of ways; every load must fail with an error or, when a
  /// mutation only touched free text in the metadata, give back the same parameters.
  func testCorruptedFilesFailCleanly() throws {
    let corpus = try Corpus(text: Self.text)
    let options = TrainingOptions(batch: 2, seq: 8)
    let trainer = try fresh(.lstm, options, corpus: corpus)
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 2)
    let good = try ModelCheckpoint.encode(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus)
    ).encode()
    let headerLength = Int(good[0]) | Int(good[1]) << 8 | Int(good[2]) << 16
    var rng = RandomGenerator(seed: 99)
    var mutations: [[UInt8]] = []
    for cut in stride(from: 0, to: good.count, by: max(1, good.count / 1500)) { mutations.append(Array(good[0..<cut])) }
    for _ in 0..<3000 {
      var m = good
      let i = Int(rng.next() % UInt64(min(good.count, 8 + headerLength + 64)))
      m[i] ^= UInt8(1) << UInt8(rng.next() % 8)
      mutations.append(m)
    }
    for _ in 0..<1500 {
      var m = good
      let i = 8 + headerLength + Int(rng.next() % UInt64(good.count - 8 - headerLength))
      m[i] ^= UInt8(1) << UInt8(rng.next() % 8)
      mutations.append(m)
    }
    let header = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)
    for (from, to) in [
      ("\"F32\"", "\"F64\""), ("\"lstm\"", "\"gru\""), ("\\\"hidden\\\":10", "\\\"hidden\\\":11"),
      ("\\\"layers\\\":2", "\\\"layers\\\":99999"), ("[40,10]", "[4000000000,10]"), ("\"I64\"", "\"U8\""),
    ] {
      let edited = header.replacingOccurrences(of: from, with: to)
      var m = [UInt8](good[0..<8])
      let bytes = Array(edited.utf8)
      var n = UInt64(bytes.count)
      for k in 0..<8 { m[k] = UInt8(n & 0xff); n >>= 8 }
      mutations.append(m + bytes + good[(8 + headerLength)...])
    }
    var failed = 0, survived = 0
    for (k, bytes) in mutations.enumerated() {
      do {
        let file = try SafeTensorsFile.decode(bytes: bytes)
        let contents = try ModelCheckpoint.decode(file, path: "mutation-\(k)")
        XCTAssertEqual(contents.parameters, trainer.model.parameters.array, "mutation \(k) changed the weights silently")
        survived += 1
      } catch {
        XCTAssertFalse("\(error)".isEmpty)
        failed += 1
      }
    }
    print("checkpoint corruption: \(mutations.count) mutations, \(failed) rejected with an error, \(survived) harmless")
    XCTAssertGreaterThan(mutations.count, 5000)
  }

  func testSaveToMissingDirectoryKeepsNothingAndSaysWhy() throws {
    let corpus = try Corpus(text: Self.text)
    let trainer = try fresh(.rnn, TrainingOptions(batch: 2, seq: 8), corpus: corpus)
    let path = dir.appendingPathComponent("no/such/dir/m.safetensors").path
    XCTAssertThrowsError(
      try ModelCheckpoint.save(
        CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: nil), to: path)
    ) { error in
      XCTAssertTrue("\(error)".contains("no/such/dir"), "\(error)")
    }
  }
}

extension CheckpointTests {
  func testRotationKeepsLastNAndBestAndListingShowsThem() throws {
    let corpus = try Corpus(text: Self.text)
    let options = TrainingOptions(batch: 2, seq: 8)
    let trainer = try fresh(.gru, options, corpus: corpus)
    let rotation = CheckpointRotation(directory: dir.path, prefix: "run", keepLast: 2, keepBest: true)
    for (step, loss) in [(10, 3.0), (20, 2.0), (30, 2.5), (40, 2.7)] as [(Int, Float)] {
      trainer.state.step = step
      trainer.state.validationLosses.append(.init(step: step, loss: loss))
      try rotation.save(
        CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus),
        step: step)
    }
    _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("broken.safetensors").path, contents: Data([1, 2, 3]))
    let listing = CheckpointDirectory.list(dir.path)
    XCTAssertEqual(
      listing.map { URL(fileURLWithPath: $0.path).lastPathComponent },
      ["broken.safetensors", "run-best.safetensors", "run-step0000030.safetensors", "run-step0000040.safetensors"])
    let best = try listing[1].contents.get()
    XCTAssertEqual(best.step, 20)
    XCTAssertEqual(best.bestValidationLoss, 2.0)
    XCTAssertEqual(try listing[3].contents.get().validationLoss, 2.7)
    guard case .failure = listing[0].contents else { return XCTFail("a broken file must list as unreadable") }
  }
}

extension CheckpointTests {
  func testNaNInWeightsIsRejectedWithTheTensorNamed() throws {
    let corpus = try Corpus(text: Self.text)
    let trainer = try fresh(.lstm, TrainingOptions(batch: 2, seq: 8), corpus: corpus)
    var contents = CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: nil)
    let entry = trainer.model.layout.entry(named: "rnn.weight_hh_l1")!
    contents.parameters[entry.offset + 3] = .nan
    let file = try ModelCheckpoint.encode(contents)
    XCTAssertThrowsError(try ModelCheckpoint.decode(file, path: "nan.safetensors")) { error in
      XCTAssertTrue("\(error)".contains("tensor 'rnn.weight_hh_l1' holds a non-finite value (nan) at element 3"), "\(error)")
    }
  }
}
