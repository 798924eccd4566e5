import Foundation
import RNNInterpreter
import RNNModels
import RNNTokenizers
import XCTest

/// `train m corpus other`: a model carried on to a text with new characters or words keeps every
/// row it had and its optimizer state, gains the new ones, trains on the new text from then on, and
/// resumes bit-exactly from a checkpoint saved before or right after the extension.
final class CarryOnTests: XCTestCase {
  var root: URL!
  /// A text with characters `tinyText` lacks (z, Q, digits, é, —).
  static let otherText = String(repeating: "Quiz: 12 zebras — café, jazz & 3 fox!\nThe night is bright.\n", count: 20)

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-carry-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try tinyText.write(to: root.appendingPathComponent("book.txt"), atomically: true, encoding: .utf8)
    try Self.otherText.write(to: root.appendingPathComponent("other.txt"), atomically: true, encoding: .utf8)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

  private func session(_ script: String, file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, RecordingSink) {
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(interpreter.run(script), sink.transcript, file: file, line: line)
    return (interpreter, sink)
  }

  private static let setup = """
    c = corpus "book.txt"
    o = corpus "other.txt"
    m = gru c hidden 8 embed 4 seed 3

    """

  func testACharacterModelGrowsKeepingEveryRowAndItsOptimizerState() throws {
    let (interpreter, sink) = session(Self.setup + "train m steps 20 batch 2 seq 8")
    let entry = interpreter.session.model("m")!
    let before = entry.model.copy()
    let oldVocabulary = entry.vocabulary
    let oldSlots = entry.trainer.state.optimizer.slots
    let (V, E, H) = (before.config.vocabSize, before.config.embed, before.config.hidden)
    sink.clear()
    XCTAssertTrue(interpreter.run("train m corpus o steps 0"), sink.transcript)

    let entryAfter = interpreter.session.model("m")!
    let new = Vocabulary(of: Self.otherText).scalars.filter { oldVocabulary.index(of: $0) == nil }
    XCTAssertFalse(new.isEmpty)
    XCTAssertEqual(entryAfter.vocabulary.scalars, oldVocabulary.scalars + new)  // old ids kept, new ones by code point
    XCTAssertEqual(entryAfter.config.vocabSize, V + new.count)
    let n = new.count
    XCTAssertTrue(
      sink.transcript.contains("m: vocabulary extended by \(n) characters (\(V) → \(V + n)): \(String(new[0]).debugDescription)"),
      sink.transcript)
    XCTAssertTrue(sink.transcript.contains("m: now trains on corpus 'o', from its start (cursor reset)"), sink.transcript)

    let model = entryAfter.model
    XCTAssertEqual(Array(model.tensor(named: "encoder.weight")!.prefix(V * E)), before.tensor(named: "encoder.weight")!)
    XCTAssertEqual(Array(model.tensor(named: "decoder.weight")!.prefix(V * H)), before.tensor(named: "decoder.weight")!)
    XCTAssertEqual(Array(model.tensor(named: "decoder.bias")!.prefix(V)), before.tensor(named: "decoder.bias")!)
    for entry in before.layout.entries where entry.name.hasPrefix("rnn.") {
      XCTAssertEqual(model.tensor(named: entry.name), before.tensor(named: entry.name), entry.name)
    }
    let bound = 1 / Float(H).squareRoot()
    XCTAssertTrue(model.tensor(named: "decoder.weight")!.suffix(n * H).allSatisfy { abs($0) <= bound })
    XCTAssertTrue(model.tensor(named: "decoder.bias")!.suffix(n).allSatisfy { abs($0) <= bound })
    XCTAssertNotEqual(Set(model.tensor(named: "encoder.weight")!.suffix(n * E)).count, 1)  // drawn, not constant

    // Adam's moments: the old rows' kept, the new rows' zero.
    let layout = model.layout
    for (slot, values) in entryAfter.trainer.state.optimizer.slots {
      for e in layout.entries {
        let old = before.layout.entry(named: e.name)!
        let now = Array(values[e.offset..<(e.offset + e.count)])
        XCTAssertEqual(Array(now.prefix(old.count)), Array(oldSlots[slot]![old.offset..<(old.offset + old.count)]), "\(slot).\(e.name)")
        XCTAssertTrue(now.dropFirst(old.count).allSatisfy { $0 == 0 }, "\(slot).\(e.name)")
      }
    }
    XCTAssertEqual(entryAfter.trainer.state.cursor, 0)
    XCTAssertEqual(entryAfter.step, 20)
    XCTAssertTrue(entryAfter.hasUnsavedTraining)  // quitting now would lose the extension: the REPL asks

    // Later `train m` continues on the new text; eval and sample know the new characters.
    sink.clear()
    XCTAssertTrue(interpreter.run("train m steps 5\neval m\nsample m 20 prime \"zebra\" seed 1"), sink.transcript)
    XCTAssertEqual(entryAfter.step, 25)
    XCTAssertEqual(entryAfter.corpusName, "o")
    let corpus = entryAfter.corpus!.corpus
    XCTAssertEqual(corpus.vocabulary, entryAfter.vocabulary)
    XCTAssertEqual(corpus.vocabulary.decode(corpus.tokens.array), Self.otherText)
    XCTAssertTrue(sink.transcript.contains("m validation split:"), sink.transcript)
  }

  func testTrainExtendTrainResumesBitExactlyFromACheckpointSavedBetween() throws {
    let (first, _) = session(Self.setup + "train m steps 100 batch 2 seq 8\nsave m \"ck/before.safetensors\"\ntrain m corpus o steps 100")
    let (second, sink) = session("m = load \"ck/before.safetensors\"\no = corpus \"other.txt\"\ntrain m corpus o steps 100")
    XCTAssertTrue(sink.transcript.contains("m: vocabulary extended by"), sink.transcript)
    try assertSameTraining(first.session.model("m")!, second.session.model("m")!)
  }

  func testACheckpointSavedRightAfterTheExtensionResumesBitExactly() throws {
    let (first, _) = session(
      Self.setup + "train m steps 100 batch 2 seq 8\ntrain m corpus o steps 0\nsave m \"ck/after.safetensors\"\ntrain m steps 100")
    // The checkpoint's corpus (other.txt) is read again and numbered by the extended vocabulary.
    let (second, sink) = session("m = load \"ck/after.safetensors\"\ntrain m steps 100")
    XCTAssertTrue(sink.transcript.contains("corpus \"other.txt\""), sink.transcript)
    try assertSameTraining(first.session.model("m")!, second.session.model("m")!)
    // And with the corpus in the session, found by its fingerprint.
    let (third, _) = session("o = corpus \"other.txt\"\nm = load \"ck/after.safetensors\"\ntrain m steps 100")
    try assertSameTraining(first.session.model("m")!, third.session.model("m")!)
  }

  func testAWordModelGainsTheNewTextsCharactersAndWordsAndResumesExactly() throws {
    let script = """
      w = corpus "book.txt" tokens word
      w2 = corpus "other.txt" tokens word
      m = gru w hidden 8 embed 4 seed 3
      train m steps 30 batch 2 seq 8
      save m "ck/w.safetensors"
      train m corpus w2 steps 30

      """
    let (first, sink) = session(script)
    let entry = first.session.model("m")!
    guard case .word(let grown)? = entry.tokenizer else { return XCTFail("not a word model") }
    XCTAssertFalse(grown.appended.isEmpty)
    XCTAssertTrue(grown.appended.contains("zebras"), "\(grown.appended)")
    XCTAssertTrue(grown.appended.contains("z"), "\(grown.appended)")
    XCTAssertTrue(sink.transcript.contains("m: vocabulary extended by \(grown.appended.count) tokens"), sink.transcript)
    XCTAssertEqual(entry.config.vocabSize, grown.vocabularySize)
    XCTAssertEqual(try grown.decode(grown.encode(Self.otherText)), Self.otherText)
    // The tokenizer is saved and read back with its appended tokens.
    XCTAssertTrue(first.run("save m \"ck/w2.safetensors\"\nm2 = load \"ck/w2.safetensors\""), sink.transcript)
    XCTAssertEqual(first.session.model("m2")!.tokenizer, entry.tokenizer)
    let (second, _) = session(
      "w2 = corpus \"other.txt\" tokens word\nm = load \"ck/w.safetensors\"\ntrain m corpus w2 steps 30")
    try assertSameTraining(entry, second.session.model("m")!)
    // Saved after the extension: the corpus read again from other.txt is encoded with the grown tokenizer.
    XCTAssertTrue(first.run("train m steps 10"), sink.transcript)
    let (third, _) = session("m = load \"ck/w2.safetensors\"\ntrain m steps 10")
    try assertSameTraining(entry, third.session.model("m")!)
  }

  func testABPEModelKeepsItsTokenizerAndReadsTheNewTextWithIt() throws {
    let (interpreter, sink) = session(
      """
      b = corpus "book.txt" tokens bpe vocab 280
      o = corpus "other.txt"
      m = gru b hidden 8 embed 4
      train m steps 5 batch 2 seq 8
      train m corpus o steps 5
      """)
    let entry = interpreter.session.model("m")!
    XCTAssertEqual(entry.config.vocabSize, 280)
    XCTAssertTrue(sink.transcript.contains("m: reads bpe tokens; its own tokenizer encodes corpus 'o' (no new tokens)"), sink.transcript)
    XCTAssertEqual(entry.tokenizer?.decode(entry.corpus!.corpus.tokens.array), Self.otherText)
  }

  func testACharacterModelRefusesACorpusOfOtherTokensAndAFailedTrainChangesNothing() {
    let (interpreter, sink) = session(Self.setup + "b = corpus \"other.txt\" tokens bpe vocab 260\ntrain m steps 3 batch 2 seq 8")
    for statement in ["train m corpus b steps 1", "train m corpus o batch 4096 seq 64"] {
      sink.clear()
      let before = interpreter.session.fingerprint
      let vocabulary = interpreter.session.model("m")!.vocabulary
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
      XCTAssertEqual(interpreter.session.model("m")!.vocabulary, vocabulary, statement)
    }
    sink.clear()
    XCTAssertFalse(interpreter.run("train m corpus b steps 1"))
    XCTAssertTrue(firstError(sink).contains("the model reads characters and this corpus is of bpe tokens"), firstError(sink))
  }

  func testEvalReadsAnotherCorpusWithTheModelsTokensBeforeAndAfterTheMove() {
    let (interpreter, sink) = session(Self.setup + "train m steps 5 batch 2 seq 8")
    XCTAssertFalse(interpreter.run("eval m corpus o"))
    XCTAssertTrue(firstError(sink).contains("corpus 'o' validation split has"), firstError(sink))
    sink.clear()
    XCTAssertTrue(interpreter.run("eval m corpus o unknown skip"), firstError(sink))
    XCTAssertTrue(sink.transcript.contains("skipped"), sink.transcript)
    XCTAssertTrue(interpreter.run("train m corpus o steps 0"), firstError(sink))
    sink.clear()
    XCTAssertTrue(interpreter.run("eval m\neval m corpus o\neval m corpus c split train limit 200"), firstError(sink))
    let lines = sink.transcript.split(separator: "\n").map(String.init)
    let own = lines.first { $0.hasPrefix("m validation split: ") }!
    let other = lines.first { $0.hasPrefix("m corpus 'o' validation split: ") }!
    XCTAssertEqual(own.dropFirst("m validation split: ".count), other.dropFirst("m corpus 'o' validation split: ".count))
    XCTAssertTrue(lines.contains { $0.hasPrefix("m corpus 'c' train split: ") }, sink.transcript)
    XCTAssertEqual(interpreter.session.model("m")!.trainer.state.validationLosses.count, 1)  // only `eval m` is history
  }

  func testTheSameCorpusContinuesWithoutResettingTheStreams() {
    let (interpreter, sink) = session(Self.setup + "train m steps 3 batch 2 seq 8\ntrain m corpus c steps 2")
    XCTAssertFalse(sink.transcript.contains("cursor reset"), sink.transcript)
    XCTAssertNotEqual(interpreter.session.model("m")!.trainer.state.cursor, 0)
  }

  /// Same parameters, bit for bit, and the same training state (optimizer slots, cursor, hidden
  /// state, generator, history).
  private func assertSameTraining(
    _ a: ModelEntry, _ b: ModelEntry, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    XCTAssertEqual(a.config, b.config, file: file, line: line)
    XCTAssertEqual(a.vocabulary, b.vocabulary, file: file, line: line)
    XCTAssertEqual(a.tokenizer, b.tokenizer, file: file, line: line)
    XCTAssertEqual(a.model.parameters.array.map(\.bitPattern), b.model.parameters.array.map(\.bitPattern), file: file, line: line)
    XCTAssertEqual(a.trainer.state, b.trainer.state, file: file, line: line)
  }
}
