import Foundation
import RNNInterpreter
import XCTest

/// `seq2seq`, `fit … steps`, `translate`, `eval … by length`, `show`, `list`, `plot`, `save` and
/// `load` of a sequence-to-sequence model, and their errors.
final class Seq2SeqCommandTests: XCTestCase {
  /// 160 reversal pairs of 2–6 letters from a–e.
  static let pairs: String = {
    var lines = ["# source<TAB>target"]
    var x: UInt64 = 7
    for _ in 0..<160 {
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let n = 2 + Int(x >> 61) % 5
      let s = String((0..<n).map { i in Character(Unicode.Scalar(UInt8(97 + Int((x >> UInt64(8 + 5 * i)) % 5)))) })
      lines.append("\(s)\t\(String(s.reversed()))")
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  func testTheCommandsAndAnExactResumeThroughSaveAndLoad() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "seq2seq")
    try Self.pairs.write(to: root.appendingPathComponent("pairs.tsv"), atomically: true, encoding: .utf8)
    let (interpreter, sink) = makeInterpreter(root: root)
    let script = """
      t = seq2seq "pairs.tsv" cell lstm hidden 16 embed 8 layers 2 attention true holdout 0.2 seed 2
      fit t steps 6 batch 8 every 3
      save t "checkpoints/t.safetensors"
      fit t steps 5 batch 8
      u = load "checkpoints/t.safetensors"
      fit u steps 5 batch 8
      translate u ["abc", "edcba"] beam 3
      translate u "ab" length 3
      eval u by length
      show u
      list
      plot t u width 40 height 4
      """
    XCTAssertTrue(interpreter.run(script), firstError(sink))
    let out = sink.transcript
    for expected in [
      "t: LSTM 2×16 seq2seq with attention, 5 → 5 characters, 128 training / 32 held-out pairs",
      "t  step      3  loss", "t  step      6  loss", "t: trained 6 steps (now at step 6, epoch 0)",
      "saved t (6 steps) to \"checkpoints/t.safetensors\"", "u: loaded \"checkpoints/t.safetensors\"",
      "u: trained 5 steps (now at step 11", "\"abc\" → ", "\"edcba\" → ", "32 held-out pairs: loss",
      "source length   pairs   exact match", #"  target      "a" "b" "c" "d" "e""#, "u: 11 steps",
    ] {
      XCTAssertTrue(out.contains(expected), "missing \(expected.debugDescription) in\n\(out)")
    }
    // fit 6, save, load, fit 5 == fit 11: the same parameters, bit for bit.
    let lines = interpreter.session.fingerprint.split(separator: "\n")
    let t = lines.first { $0.hasPrefix("t seq2seq") }!, u = lines.first { $0.hasPrefix("u seq2seq") }!
    XCTAssertEqual(t.split(separator: " ").dropFirst(), u.split(separator: " ").dropFirst())
    XCTAssertTrue(t.hasSuffix("steps 11"), String(t))
  }

  func testBadInputIsAClearError() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "seq2seq-errors")
    try Self.pairs.write(to: root.appendingPathComponent("pairs.tsv"), atomically: true, encoding: .utf8)
    let long = String(repeating: "z", count: 201)
    try "ab\tba\ncd\t\(long)\n".write(to: root.appendingPathComponent("long.tsv"), atomically: true, encoding: .utf8)
    try "ab\tba\nno tab\n".write(to: root.appendingPathComponent("bad.tsv"), atomically: true, encoding: .utf8)
    try "yes\tgood\nno\tbad\n".write(to: root.appendingPathComponent("labels.tsv"), atomically: true, encoding: .utf8)
    try "\(long)\tab\n".write(to: root.appendingPathComponent("longsource.tsv"), atomically: true, encoding: .utf8)
    try "".write(to: root.appendingPathComponent("empty.tsv"), atomically: true, encoding: .utf8)
    try "# source<TAB>target\n\n  \t\n".write(to: root.appendingPathComponent("comments.tsv"), atomically: true, encoding: .utf8)
    try "ab\tba\n\tcd\n".write(to: root.appendingPathComponent("nosource.tsv"), atomically: true, encoding: .utf8)
    try Data([0x61, 0x09, 0x62, 0x0A, 0x63, 0x09, 0xFF, 0x0A]).write(to: root.appendingPathComponent("latin1.tsv"))
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(
        """
        t = seq2seq "pairs.tsv" hidden 8 embed 4 seed 1
        c = classifier "labels.tsv" hidden 4 embed 4 holdout 0
        h = corpus "corpora/tiny.txt"
        """), firstError(sink))
    let cases: [(String, String)] = [
      (#"x = seq2seq "long.tsv""#, "long.tsv:2: the target is 201 characters long; the limit is 200"),
      (#"x = seq2seq "bad.tsv""#, "bad.tsv:2: expected 'source<TAB>target', found no tab"),
      (#"x = seq2seq "longsource.tsv""#, "longsource.tsv:1: the source is 201 characters long; the limit is 200"),
      (#"x = seq2seq "empty.tsv""#, "empty.tsv has no pairs"),
      (#"x = seq2seq "comments.tsv""#, "comments.tsv has no pairs"),
      (#"x = seq2seq "nosource.tsv""#, "nosource.tsv:2: empty source"),
      (#"x = seq2seq "latin1.tsv""#, "latin1.tsv:2: not valid UTF-8 (first bad byte at offset 6)"),
      (#"x = generator "latin1.tsv""#, "latin1.tsv:2: not valid UTF-8"),
      (#"x = classifier "latin1.tsv""#, "latin1.tsv:2: not valid UTF-8"),
      (#"translate t "ab" length_penalty 0.5"#, "length_penalty applies to `beam` only"),
      (#"translate t """#, "nothing to translate: the text is empty"),
      ("fit t epochs 2", "'epochs' is for a classifier, a generator or a tagger; 't' is a seq2seq"),
      ("fit c steps 2", "'steps' is for a generator, a tagger or a seq2seq model; 'c' is a classifier"),
      (#"translate t "abz!""#, "characters the model never saw: \"z\", \"!\""),
      (#"translate h "ab""#, "'h' is a corpus, not a seq2seq model"),
      ("eval t split test", "'split' is for a language model; 't' is a seq2seq"),
      ("eval c", "'c' is a classifier, not a model"),
      ("eval h", "'h' is a corpus, not a model"),
      ("plot h", "'h' is a corpus, not a model"),
    ]
    for (line, message) in cases {
      sink.clear()
      XCTAssertFalse(interpreter.run(line), line)
      XCTAssertTrue(firstError(sink).contains(message), "\(line): \(firstError(sink))")
    }
  }
}
