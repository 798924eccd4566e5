import RNNInterpreter
import XCTest

/// `sample … beam W` through the interpreter: the text and its score are printed, width 1 is the
/// greedy sample, and options that only make sense when drawing are errors that change nothing.
final class SampleBeamTests: XCTestCase {
  func makeTrained() -> (Interpreter, RecordingSink) {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(
      interpreter.run("c = corpus \"corpora/tiny.txt\"\nm = lstm c hidden 8 embed 4\ntrain m steps 20 batch 4 seq 16"),
      sink.transcript)
    sink.clear()
    return (interpreter, sink)
  }

  /// The generated text of the last `sample` (between its prime and the end of the sample).
  func sampled(_ sink: RecordingSink) -> String {
    var text = ""
    for event in sink.events { if case .sampleCharacter(let c) = event { text += c } }
    return text
  }

  func testBeamPrintsTheTextAndItsScoreAndWidthOneIsGreedy() {
    let (interpreter, sink) = makeTrained()
    XCTAssertTrue(interpreter.run(#"sample m 25 prime "Ty" temperature 0"#), sink.transcript)
    let greedy = sampled(sink)
    sink.clear()
    XCTAssertTrue(interpreter.run(#"sample m 25 prime "Ty" beam 1"#), sink.transcript)
    XCTAssertEqual(sampled(sink), greedy)
    sink.clear()
    XCTAssertTrue(interpreter.run(#"sample m beam 4 length 25 prime "Ty" stop "\n""#), sink.transcript)
    let text = sampled(sink)
    XCTAssertTrue(text.unicodeScalars.count <= 25 && !text.isEmpty, text)
    XCTAssertTrue(sink.transcript.contains("m: beam 4, \(text.unicodeScalars.count) characters, log-probability -"), sink.transcript)
    sink.clear()
    XCTAssertTrue(interpreter.run(#"sample m beam 4 length 25 prime "Ty" stop "\n""#))
    XCTAssertEqual(sampled(sink), text, "deterministic")
  }

  /// On word and BPE models the beam is over tokens and the length still counts characters.
  func testBeamOnTokenModelsCountsCharacters() {
    for kind in ["word", "bpe vocab 300"] {
      let (interpreter, sink, _) = makeInterpreter()
      XCTAssertTrue(
        interpreter.run("c = corpus \"corpora/tiny.txt\" tokens \(kind)\nm = gru c hidden 8 embed 4\ntrain m steps 5 batch 2 seq 8"),
        sink.transcript)
      sink.clear()
      XCTAssertTrue(interpreter.run(#"sample m beam 3 length 30 prime "Tyger""#), sink.transcript)
      XCTAssertEqual(sampled(sink).unicodeScalars.count, 30, kind)
      XCTAssertTrue(sink.transcript.contains("m: beam 3, "), sink.transcript)
      XCTAssertTrue(sink.transcript.contains(" tokens, log-probability"), sink.transcript)
    }
  }

  func testDrawingOptionsWithBeamAreErrorsThatChangeNothing() {
    let (interpreter, sink) = makeTrained()
    let before = interpreter.session.fingerprint
    for (statement, expected) in [
      ("sample m beam 3 temperature 0.5", "beam search draws nothing: 'temperature' applies to sampling without `beam`"),
      ("sample m beam 3 top_k 2", "'top_k'"),
      ("sample m beam 3 top_p 0.9", "'top_p'"),
      ("sample m beam 3 seed 1", "'seed'"),
      ("sample m beam 0", "beam"),
      ("sample m length_penalty 0.5", "length_penalty applies to `beam` only"),
      (#"sample m beam 2 prime "Zq""#, "outside the model's vocabulary"),
    ] {
      sink.clear()
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(expected), "\(statement): \(firstError(sink))")
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
    }
  }
}
