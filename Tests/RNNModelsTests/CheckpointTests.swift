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

  /// What loading a file image gives: the checkpoint, or the error of the first layer that
  /// refused it (the safetensors decoder, or the checkpoint reader).
  enum LoadOutcome {
    case loaded(CheckpointContents)
    case notSafeTensors(SafeTensorsError)
    case notACheckpoint(CheckpointError)
  }

  static func load(_ bytes: [UInt8], path: String) -> LoadOutcome {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile.decode(bytes: bytes) } catch { return .notSafeTensors(error) }
    do { return .loaded(try ModelCheckpoint.decode(file, path: path)) } catch { return .notACheckpoint(error) }
  }

  /// Mutates a valid checkpoint thousands of ways; every load must fail with the error that names
  /// what was broken or, when a mutation only touched free text in the metadata, give back the
  /// same parameters.
  func testCorruptedFilesFailCleanly() throws {
    let corpus = try Corpus(text: Self.text)
    let options = TrainingOptions(batch: 2, seq: 8)
    let trainer = try fresh(.lstm, options, corpus: corpus)
    _ = try trainer.train(on: corpus.tokens(of: .train), options: options, steps: 2)
    let good = try ModelCheckpoint.encode(
      CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus)
    ).encode()
    let headerLength = Int(good[0]) | Int(good[1]) << 8 | Int(good[2]) << 16
    let dataStart = 8 + headerLength
    // Each tensor's byte range in the data buffer (the decoder lists tensors in data order).
    var ranges: [(name: String, bytes: Range<Int>)] = []
    let decoded = try SafeTensorsFile.decode(bytes: good)
    for name in decoded.names {
      let start = ranges.last?.bytes.upperBound ?? 0
      ranges.append((name, start..<(start + decoded[name]!.bytes.count)))
    }
    XCTAssertEqual(ranges.last?.bytes.upperBound, good.count - dataStart)
    var rng = RandomGenerator(seed: 99)
    var count = 0, survived = 0

    // Truncated anywhere: a framing error that states the sizes.
    for cut in stride(from: 0, to: good.count, by: max(1, good.count / 1500)) {
      count += 1
      let expected: SafeTensorsError =
        cut < 8
        ? .fileTooShort(size: cut)
        : cut < dataStart
          ? .headerLengthExceedsFile(declared: UInt64(headerLength), available: cut - 8)
          : .bufferSizeMismatch(declared: UInt64(good.count - dataStart), actual: cut - dataStart)
      guard case .notSafeTensors(let error) = Self.load(Array(good[0..<cut]), path: "cut") else {
        XCTFail("a file cut at \(cut) must not decode")
        continue
      }
      XCTAssertEqual(error, expected, "cut at \(cut)")
    }

    // One bit flipped in the tensor data: the checksum of exactly that tensor fails.
    for _ in 0..<1500 {
      count += 1
      var m = good
      let offset = Int(rng.next() % UInt64(good.count - dataStart))
      m[dataStart + offset] ^= UInt8(1) << UInt8(rng.next() % 8)
      let owner = ranges.first { $0.bytes.contains(offset) }!.name
      guard case .notSafeTensors(.checksumMismatch(let tensor, _, _)) = Self.load(m, path: "flip") else {
        XCTFail("a bit flipped in '\(owner)' must fail its checksum")
        continue
      }
      XCTAssertEqual(tensor, owner, "data byte \(offset)")
    }

    // One bit flipped in the length prefix, the header or the first data bytes: rejected by the
    // decoder, or by the checkpoint reader naming the file, or harmless (free text in metadata).
    for k in 0..<3000 {
      count += 1
      var m = good
      let i = Int(rng.next() % UInt64(min(good.count, dataStart + 64)))
      m[i] ^= UInt8(1) << UInt8(rng.next() % 8)
      switch Self.load(m, path: "mutation-\(k)") {
      case .loaded(let contents):
        XCTAssertEqual(contents.parameters, trainer.model.parameters.array, "mutation \(k) changed the weights silently")
        survived += 1
      case .notSafeTensors(let error):
        if i >= dataStart, case .checksumMismatch = error { break }
        XCTAssertLessThan(i, dataStart, "a flip in the data must fail a checksum, got \(error)")
      case .notACheckpoint(let error):
        guard case .invalid(let path, let reason) = error else { return XCTFail("mutation \(k): \(error)") }
        XCTAssertEqual(path, "mutation-\(k)")
        XCTAssertFalse(reason.isEmpty)
        XCTAssertLessThan(i, dataStart, "a flip in the data must fail a checksum first")
      }
    }

    // Hand edits of the header: each is refused with the error that names it.
    let header = String(decoding: good[8..<dataStart], as: UTF8.self)
    func edit(_ from: String, _ to: String) -> LoadOutcome {
      let edited = header.replacingOccurrences(of: from, with: to)
      XCTAssertNotEqual(edited, header, "'\(from)' is not in the header")
      var m = [UInt8](good[0..<8])
      let bytes = Array(edited.utf8)
      var n = UInt64(bytes.count)
      for k in 0..<8 { m[k] = UInt8(n & 0xff); n >>= 8 }
      count += 1
      return Self.load(m + bytes + good[dataStart...], path: "edited")
    }
    func assertShapeMismatch(_ outcome: LoadOutcome, _ what: String) {
      guard case .notACheckpoint(.invalid("edited", let reason)) = outcome, reason.contains("has shape") else {
        return XCTFail("\(what): expected a tensor shape mismatch, got \(outcome)")
      }
    }
    guard case .notSafeTensors(.byteCountMismatch(_, let expected, _, .f64, let span)) = edit("\"F32\"", "\"F64\"") else {
      return XCTFail("F32 -> F64 must be a byte count mismatch")
    }
    XCTAssertEqual(UInt64(expected), 2 * span)
    assertShapeMismatch(edit("\\\"cell\\\":\\\"lstm\\\"", "\\\"cell\\\":\\\"gru\\\""), "lstm -> gru")
    assertShapeMismatch(edit("\\\"hidden\\\":10", "\\\"hidden\\\":11"), "hidden 10 -> 11")
    guard case .notACheckpoint(.invalid("edited", let layers)) = edit("\\\"layers\\\":2", "\\\"layers\\\":99999") else {
      return XCTFail("layers 99999 must be refused")
    }
    XCTAssertEqual(layers, "'config.layers' must be an integer in 1...64")
    guard
      case .notSafeTensors(.byteCountMismatch(let tensor, 160_000_000_000, [4_000_000_000, 10], .f32, 1600)) = edit(
        "[40,10]", "[4000000000,10]")
    else {
      return XCTFail("a shape of 4e9 × 10 must be a byte count mismatch")
    }
    XCTAssertEqual(decoded[tensor]?.shape, [40, 10])
    guard case .notSafeTensors(.byteCountMismatch(_, let narrow, _, .u8, let wide)) = edit("\"I64\"", "\"U8\"") else {
      return XCTFail("I64 -> U8 must be a byte count mismatch")
    }
    XCTAssertEqual(8 * UInt64(narrow), wide)
    print("checkpoint corruption: \(count) mutations, \(count - survived) rejected with the error naming them, \(survived) harmless")
    XCTAssertGreaterThan(count, 5000)
  }

  func testSaveToMissingDirectoryKeepsNothingAndSaysWhy() throws {
    let corpus = try Corpus(text: Self.text)
    let trainer = try fresh(.rnn, TrainingOptions(batch: 2, seq: 8), corpus: corpus)
    let path = dir.appendingPathComponent("no/such/dir/m.safetensors").path
    XCTAssertThrowsError(
      try ModelCheckpoint.save(
        CheckpointContents(model: trainer.model, vocabulary: corpus.vocabulary, trainer: nil, options: nil, corpus: nil), to: path)
    ) { error in
      guard case .file(path, .fileSystem(let failure))? = error as? CheckpointError else {
        return XCTFail("expected a file-system failure for \(path), got \(error)")
      }
      XCTAssertEqual(failure, FileSystemFailure(step: .createTemporary, path: path, code: ENOENT, related: failure.related))
      XCTAssertEqual(failure.related, dir.appendingPathComponent("no/such/dir").path)
      XCTAssertTrue("\(error)".contains("no/such/dir"), "\(error)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("no").path))
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
