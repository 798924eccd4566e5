import Foundation
import RNNInterpreter
import XCTest

/// The `unknown` option: characters a model (or classifier) never saw are never dropped silently;
/// an error lists them, `skip` and `replace` say how many they changed. One policy for the prime,
/// evaluated files and the analysis commands' texts.
final class UnknownCharactersTests: XCTestCase {
  private static let setup = """
    c = corpus "corpora/tiny.txt"
    m = gru c hidden 4 embed 2
    w = corpus "corpora/tiny.txt" tokens word
    mw = gru w hidden 4 embed 2

    """

  private func prepared() -> (Interpreter, RecordingSink) {
    let (interpreter, sink, _) = makeInterpreter(files: ["odd.txt": "Tyger ~~ bright @ night"])
    XCTAssertTrue(interpreter.run(Self.setup), firstError(sink))
    sink.clear()
    return (interpreter, sink)
  }

  func testByDefaultEveryCommandListsTheUnknownCharactersAndChangesNothing() {
    let cases: [(String, String)] = [
      (#"sample m 10 prime "ZQ ZTyger""#, #"the prime text has 2 characters outside the model's vocabulary: "Z", "Q"; add 'unknown skip'"#),
      (#"sample mw 10 prime "Zebra§""#, #"the prime text has 2 characters outside the model's vocabulary: "Z", "§""#),
      (#"eval m file "odd.txt""#, #""odd.txt" has 2 characters outside the model's vocabulary: "~", "@""#),
      (#"predict m text "Ty§er""#, #"has 1 character outside the model's vocabulary: "§""#),
      (#"activations m text "Ty§er""#, #"has 1 character outside the model's vocabulary: "§""#),
    ]
    for (statement, message) in cases {
      let (interpreter, sink) = prepared()
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(message), "\(statement): \(firstError(sink))")
      XCTAssertTrue(firstError(sink).contains("'unknown replace'"), firstError(sink))
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
    }
  }

  func testSkipLeavesThemOutAndSaysHowMany() {
    let (interpreter, sink) = prepared()
    XCTAssertTrue(interpreter.run(#"sample m 10 prime "ZQ ZTyger" unknown skip seed 1"#), firstError(sink))
    XCTAssertTrue(
      sink.transcript.contains(#"skipped 3 of 9 characters of the prime text outside the model's vocabulary (2 distinct: "Z", "Q")"#),
      sink.transcript)
    XCTAssertTrue(sink.events.contains { if case .sampleBegan(_, let prime) = $0 { prime == " Tyger" } else { false } })
    sink.clear()
    XCTAssertTrue(interpreter.run(#"eval m file "odd.txt" unknown skip"#), firstError(sink))
    XCTAssertTrue(sink.transcript.contains(#"skipped 3 of 23 characters of "odd.txt""#), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("over 19 characters"), sink.transcript)  // 20 kept: 19 predicted
  }

  func testReplacePutsTheFallbackCharacterInTheirPlaceAndSaysHowMany() {
    let (interpreter, sink) = prepared()
    XCTAssertTrue(interpreter.run(#"sample m 10 prime "ZQ ZTyger" unknown replace seed 1"#), firstError(sink))
    XCTAssertTrue(
      sink.transcript.contains(
        #"replaced 3 of 9 characters of the prime text outside the model's vocabulary (2 distinct: "Z", "Q") with " ""#),
      sink.transcript)
    XCTAssertTrue(sink.events.contains { if case .sampleBegan(_, let prime) = $0 { prime == "    Tyger" } else { false } })
    sink.clear()
    XCTAssertTrue(interpreter.run(#"eval m file "odd.txt" unknown replace"#), firstError(sink))
    XCTAssertTrue(sink.transcript.contains(#"replaced 3 of 23 characters of "odd.txt""#), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("over 22 characters"), sink.transcript)  // all 23 kept
    sink.clear()
    XCTAssertTrue(interpreter.run(#"predict m text "Ty§er" unknown replace top 1"#), firstError(sink))
    XCTAssertTrue(sink.transcript.contains("replaced 1 of 5 characters"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("loss over the 4 predicted characters"), sink.transcript)
    sink.clear()
    XCTAssertTrue(interpreter.run(#"sample mw 10 prime "Zebra§" unknown replace seed 1"#), firstError(sink))
    XCTAssertTrue(sink.transcript.contains(#"replaced 2 of 6 characters of the prime text"#), sink.transcript)
  }

  func testTheLimitCountsTheCharactersKept() {
    let (interpreter, sink) = prepared()
    XCTAssertTrue(interpreter.run(#"predict m text "§§Tyger" limit 3 unknown skip top 1"#), firstError(sink))
    XCTAssertTrue(sink.transcript.contains("skipped 2 of 5 characters"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("loss over the 2 predicted characters"), sink.transcript)
  }
}
