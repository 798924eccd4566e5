import Foundation
import RNNInterpreter
import RNNLanguage
import RNNModels
import XCTest

/// The one-to-many generator and the per-step tagger as session objects: building, training,
/// sampling, tagging, evaluation, exact resume through a checkpoint, and clear errors.
final class FormCommandTests: XCTestCase {
  /// 30 words of three made-up "languages" that differ in their letters.
  static let words: String =
    (0..<30).map { i in
      let label = ["aa", "bb", "cc"][i % 3]
      let letters = ["aeiou", "bdgkt", "lmnrs"][i % 3]
      let word = (0..<(3 + i % 4)).map { j in String(Array(letters)[(i + j * 2) % 5]) }.joined()
      return "\(label)\t\(word)"
    }.joined(separator: "\n") + "\n"

  /// A text with quoted spans for a tagger.
  static let quoted = String(repeating: "say \"hi there\" to x;\nlet y = \"ok\" + z;\n", count: 20)

  private func folder() throws -> URL {
    let root = try makeTinyCorpusFolder(for: self, prefix: "forms")
    try Self.words.write(to: root.appendingPathComponent("words.tsv"), atomically: true, encoding: .utf8)
    try Self.quoted.write(to: root.appendingPathComponent("code.txt"), atomically: true, encoding: .utf8)
    return root
  }

  func testGeneratorTrainsSamplesEvaluatesAndResumesExactly() throws {
    let (interpreter, sink) = makeInterpreter(root: try folder())
    let build = #"generator "words.tsv" cell gru hidden 8 embed 4 holdout 0.2 seed 3"#
    XCTAssertTrue(
      interpreter.run(
        """
        g = \(build)
        fit g steps 7 batch 3 lr 0.02
        save g "ck/g.safetensors"
        g2 = load "ck/g.safetensors"
        fit g2 steps 5 batch 3 lr 0.02
        h = \(build)
        fit h steps 12 batch 3 lr 0.02
        sample h label "bb" length 6 count 3 seed 1
        sample h count 2 temperature 0
        eval h
        show g2
        plot g2 h
        """), firstError(sink))
    let out = sink.transcript
    XCTAssertTrue(out.contains("g: GRU 1×8 generator, 3 labels (aa, bb, cc), 24 training / 6 held-out words"), out)
    XCTAssertTrue(out.contains("own label"), out)
    XCTAssertTrue(out.contains("h validation: "), out)
    guard case .generator(let resumed)? = interpreter.session["g2"], case .generator(let straight)? = interpreter.session["h"] else {
      return XCTFail("g2 and h are generators")
    }
    XCTAssertEqual(resumed.generator.body.parameters.array, straight.generator.body.parameters.array)
    XCTAssertEqual(resumed.generator.condition.array, straight.generator.condition.array)
    XCTAssertEqual(resumed.trainer.bodyState, straight.trainer.bodyState)
    XCTAssertEqual(resumed.trainer.extraState, straight.trainer.extraState)
    XCTAssertEqual(resumed.trainer.losses, straight.trainer.losses)
    XCTAssertEqual(
      [resumed.trainer.step, resumed.trainer.epoch, resumed.trainer.cursor],
      [straight.trainer.step, straight.trainer.epoch, straight.trainer.cursor])
    XCTAssertEqual(straight.trainer.epoch, 1, "12 batches of 3 over 24 words cross an epoch")
  }

  func testTaggerTrainsTagsEvaluatesFindsItsUnitAndResumesExactly() throws {
    let (interpreter, sink) = makeInterpreter(root: try folder())
    let build = "tagger c property quotes cell lstm hidden 8 embed 4 length 20 seed 2"
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "code.txt"
        q = \(build)
        fit q steps 6 batch 4 lr 0.02
        save q "ck/q.safetensors"
        q2 = load "ck/q.safetensors"
        fit q2 steps 4 batch 4 lr 0.02
        r = \(build)
        fit r steps 10 batch 4 lr 0.02
        eval r
        tag r "say \\"yo\\" x" probability true
        cells r property quotes top 2
        show q2
        """), firstError(sink))
    let out = sink.transcript
    XCTAssertTrue(out.contains("majority-class baseline"), out)
    XCTAssertTrue(out.contains("units ranked by |r| with quotes"), out)
    guard case .tagger(let resumed)? = interpreter.session["q2"], case .tagger(let straight)? = interpreter.session["r"] else {
      return XCTFail("q2 and r are taggers")
    }
    for (name, _) in straight.tagger.tensorShapes {  // the body's unused decoder is not part of a tagger
      XCTAssertEqual(resumed.tagger.tensor(named: name), straight.tagger.tensor(named: name), name)
    }
    XCTAssertEqual(resumed.trainer.bodyState, straight.trainer.bodyState)
    XCTAssertEqual(resumed.trainer.losses, straight.trainer.losses)
  }

  func testTagFileIsReadAndMisalignmentNamesTheLine() throws {
    let root = try folder()
    let text = "ab\"c\"\nxy\n"
    try text.write(to: root.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
    try String(repeating: text, count: 30).write(to: root.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
    try String(repeating: "..qqq\n..\n", count: 30).write(to: root.appendingPathComponent("big.tags"), atomically: true, encoding: .utf8)
    try String(repeating: "..qqq\n..\n", count: 3).appending("...\n").write(
      to: root.appendingPathComponent("bad.tags"), atomically: true, encoding: .utf8)
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "big.txt"
        t = tagger c tags "big.tags" hidden 4 embed 2 length 9
        fit t steps 2 batch 2
        """), firstError(sink))
    XCTAssertTrue(sink.transcript.contains(#"2 tags (".", "q")"#), sink.transcript)
    XCTAssertFalse(interpreter.run(#"u = tagger c tags "bad.tags""#))
    XCTAssertTrue(firstError(sink).contains("bad.tags:7: 3 tag characters for the 5 characters of the text's line 7"), firstError(sink))
  }

  func testBadInputGetsClearErrors() throws {
    let root = try folder()
    try "aa\tabc\nbb abc\n".write(to: root.appendingPathComponent("notab.tsv"), atomically: true, encoding: .utf8)
    try "aa\tabc\nbb\tabcdefghijkl\n".write(to: root.appendingPathComponent("long.tsv"), atomically: true, encoding: .utf8)
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(
        """
        g = generator "words.tsv" hidden 4 embed 2
        c = corpus "code.txt"
        q = tagger c hidden 4 embed 2 length 20
        k = classifier "words.tsv" hidden 4 embed 2
        """), firstError(sink))
    let cases: [(String, String)] = [
      (#"x = generator "notab.tsv""#, "notab.tsv:2: expected 'label<TAB>text', found no tab"),
      (#"x = generator "long.tsv" max_length 10"#, "long.tsv:2: the text is 12 characters long; the limit is 10"),
      (#"sample g label "ab""#, #"unknown label "ab" of generator 'g' (its labels: aa, bb, cc); did you mean "aa"?"#),
      ("fit k steps 3", "'steps' is for a generator, a tagger or a seq2seq model; 'k' is a classifier"),
      ("fit g steps 3 epochs 2", "give either 'steps' or 'epochs', not both"),
      ("eval g split test", "'split' is for a language model; 'g' is a generator"),
      ("sample q", "'q' is a tagger; sample takes a language model or a generator"),
      (#"tag g "x""#, "'g' is a generator, not a tagger"),
      (#"tag q "say \u{00e9}""#, "the tagger knows the characters of its corpus"),
      ("cells g", "'g' is a generator; cells takes a model or a tagger"),
      ("train g steps 1", "'g' is a generator, not a model"),
    ]
    for (statement, expected) in cases {
      sink.clear()
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(expected), "\(statement): \(firstError(sink))")
    }
  }

  func testStaticCheckKnowsTheNewKinds() {
    let text = """
      g = generator "words.tsv"
      c = corpus "code.txt"
      q = tagger c
      fit g steps 10
      sample g label "aa" count 2
      eval q
      tag q "x"
      train q steps 1
      """
    let file = SourceFile(name: "forms.rnn", text: text)
    let rendered = DiagnosticRenderer(file: file).render(Interpreter.check(file))
    XCTAssertEqual(
      rendered.split(separator: "\n").filter { $0.hasPrefix("forms.rnn:") }, ["forms.rnn:8:7: error: 'q' is a tagger, not a model"])
  }
}
