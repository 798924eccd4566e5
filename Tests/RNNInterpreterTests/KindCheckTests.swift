import Foundation
import RNNInterpreter
import RNNLanguage
import XCTest

/// A name of the wrong kind for a command, or an option for another kind of object, is the same
/// error whether `--check` finds it before anything runs or the statement meets it when it runs:
/// the same words at the same line and column (``ObjectKinds``, checked by the binder both ways).
final class KindCheckTests: XCTestCase {
  /// One object of every kind.
  static let setup = """
    h = corpus "code.txt"
    m = lstm h hidden 4 embed 2
    c = classifier "labels.tsv" hidden 4 embed 2
    g = generator "labels.tsv" hidden 4 embed 2
    q = tagger h hidden 4 embed 2 length 8
    t = seq2seq "pairs.tsv" hidden 4 embed 2
    """

  static let cases: [(statement: String, message: String)] = [
    (#"translate m "ab""#, "'m' is a model, not a seq2seq model"),
    (#"translate c ["ab", "ba"] beam 2"#, "'c' is a classifier, not a seq2seq model"),
    (#"tag t "ab""#, "'t' is a seq2seq, not a tagger"),
    (#"classify t "ab""#, "'t' is a seq2seq, not a classifier"),
    (
      "fit m steps 2",
      "'m' is a model; fit takes a classifier, a generator, a tagger or a seq2seq model (a language model trains with `train`)"
    ),
    ("fit h epochs 1", "'h' is a corpus; fit takes a classifier"),
    ("fit t epochs 2", "'epochs' is for a classifier, a generator or a tagger; 't' is a seq2seq"),
    ("fit c steps 2", "'steps' is for a generator, a tagger or a seq2seq model; 'c' is a classifier"),
    ("sample t", "'t' is a seq2seq; sample takes a language model or a generator"),
    ("sample q 10", "'q' is a tagger; sample takes a language model or a generator"),
    (#"sample m label "aa""#, "'label' is for a generator; 'm' is a model"),
    ("sample m count 2", "'count' is for a generator; 'm' is a model"),
    ("sample g top_k 3", "'top_k' is for a language model; 'g' is a generator"),
    ("sample g beam 3 length_penalty 0.5", "'beam' is for a language model; 'g' is a generator"),
    ("cells t", "'t' is a seq2seq; cells takes a model or a tagger"),
    ("cells g property quotes", "'g' is a generator; cells takes a model or a tagger"),
    ("eval t split test", "'split' is for a language model; 't' is a seq2seq"),
    ("eval t limit 10", "'limit' is for a language model, a generator or a tagger; 't' is a seq2seq"),
    ("eval m by length", "'by' is for a seq2seq model; 'm' is a model"),
    ("train t steps 2", "'t' is a seq2seq, not a model"),
    ("x = lstm t", "'t' is a seq2seq, not a corpus"),
    ("x = tagger c", "'c' is a classifier, not a corpus"),
  ]

  func folder() throws -> URL {
    let root = try makeTinyCorpusFolder(for: self, prefix: "kinds")
    let files = [
      "code.txt": String(repeating: "int main() { puts(\"hi\"); }\n", count: 20),
      "labels.tsv": String(repeating: "aa\tabc\nbb\tcab\n", count: 10),
      "pairs.tsv": String(repeating: "ab\tba\nabc\tcba\n", count: 10),
    ]
    for (name, text) in files { try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return root
  }

  /// The first line of each error `--check` reports for the setup and then `statement`.
  func staticErrors(_ statement: String) -> [String] {
    let file = SourceFile(name: "kinds.rnn", text: Self.setup + "\n" + statement)
    return DiagnosticRenderer(file: file).render(Interpreter.check(file)).split(separator: "\n").map(String.init).filter {
      $0.hasPrefix("kinds.rnn:")
    }
  }

  func testCheckAndRunSayTheSameAtTheSamePlace() throws {
    let (interpreter, sink) = makeInterpreter(root: try folder())
    XCTAssertTrue(interpreter.run(Self.setup), firstError(sink))
    let line = Self.setup.split(separator: "\n").count + 1
    for (statement, message) in Self.cases {
      let found = staticErrors(statement)
      XCTAssertEqual(found.count, 1, "\(statement): \(found)")
      XCTAssertTrue(found.first?.hasPrefix("kinds.rnn:\(line):") == true, "\(statement): \(found)")
      XCTAssertTrue(found.first?.contains("error: \(message)") == true, "\(statement): \(found)")
      // The statement run on its own line of the same file, without the check before it
      // (`keepGoing` skips it): the run-time error is the same line.
      sink.clear()
      let file = SourceFile(name: "kinds.rnn", text: String(repeating: "\n", count: line - 1) + statement)
      XCTAssertFalse(interpreter.run(file, keepGoing: true).succeeded, statement)
      XCTAssertEqual(firstError(sink).split(separator: "\n").first.map(String.init), found.first, statement)
    }
  }

  /// The right kinds pass the check; a loop variable is taken as anything, and a name `load`
  /// binds as any kind of model (a checkpoint may hold any).
  func testRightKindsAndLoopVariablesPass() {
    let text = """
      \(Self.setup)
      fit t steps 2
      translate t "ab" beam 2 length_penalty 0.5
      eval t by length
      fit c epochs 1
      fit g steps 2
      sample g label "aa" count 2
      sample m top_k 3 beam 2
      cells q
      for x in [m, t] { eval x }
      u = load "checkpoints/any.safetensors"
      translate u "ab"
      fit u steps 2
      """
    XCTAssertEqual(Interpreter.check(SourceFile(name: "ok.rnn", text: text)), [])
  }

  /// A name bound to different kinds on different paths is an error only when no path fits.
  func testANameOfSeveralPossibleKinds() {
    let text = """
      h = corpus "code.txt"
      repeat 2 { t = seq2seq "pairs.tsv" }
      t = lstm h
      translate t "ab"
      tag t "ab"
      """
    let file = SourceFile(name: "maybe.rnn", text: text)
    let rendered = DiagnosticRenderer(file: file).render(Interpreter.check(file))
    XCTAssertEqual(
      rendered.split(separator: "\n").filter { $0.hasPrefix("maybe.rnn:") },
      ["maybe.rnn:5:5: error: 't' is a model, not a tagger"])
  }
}
