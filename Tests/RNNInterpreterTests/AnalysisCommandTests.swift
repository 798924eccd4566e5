import Foundation
import FoundationXML
import RNNInterpreter
import TestSupport
import XCTest

/// The looking-inside commands: a golden transcript on a tiny seeded model, SVG and HTML files
/// checked by an XML parser, colour output, the classifier commands and their errors.
final class AnalysisCommandTests: XCTestCase {
  static let training = """
    t = corpus "corpora/tiny.txt" split 0.9
    m = lstm t hidden 8 embed 4 seed 1
    train m steps 20 seq 16 batch 4 lr 0.01 every 10 eval_every 10

    """

  func testGoldenTranscript() throws {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(interpreter.run(Self.training))
    sink.clear()
    let script = """
      plot m width 60 height 6
      predict m text "Tyger Tyger" top 2 width 40
      saturation m limit 300
      gradients m limit 200 steps 10 width 60 height 6
      cells m limit 300 property line_position top 3
      activations m text "In the forests\\nof" unit 2 gate c width 40
      """
    XCTAssertTrue(interpreter.run(script), firstError(sink))
    Golden.assertMatches(sink.transcript, Golden.url("analysis.out"))
  }

  func testSVGAndHTMLFilesParse() throws {
    let (interpreter, sink, fs) = makeInterpreter(files: ["corpora/odd.txt": String(repeating: "<Tyger> & \"night\"\n", count: 20)])
    XCTAssertTrue(interpreter.run(Self.training))
    let script = """
      m2 = gru t hidden 6 embed 4 seed 2
      train m2 steps 5 seq 16 batch 4
      plot m m2 units bits svg "out/loss.svg"
      plot m file "out/old-spelling.svg"
      gradients m m2 limit 200 steps 10 svg "out/grad.svg"
      odd = corpus "corpora/odd.txt"
      m3 = rnn odd hidden 4 embed 3
      activations m3 text "<Tyger> & \\"night\\"\\n" unit 1 html "out/act.html"
      """
    XCTAssertTrue(interpreter.run(script), firstError(sink))
    for (path, root, element, count) in [
      ("out/loss.svg", "svg", "polyline", 3), ("out/grad.svg", "svg", "polyline", 2), ("out/act.html", "html", "span", 18),
    ] {
      let bytes = try XCTUnwrap(fs.files[path], path)
      let counter = ElementCounter()
      let parser = XMLParser(data: Data(bytes))
      parser.delegate = counter
      XCTAssertTrue(parser.parse(), "\(path): \(String(describing: parser.parserError))")
      XCTAssertEqual(counter.root, root, path)
      XCTAssertEqual(counter.counts[element], count, path)
    }
    // Each series has its own marker shape as well as colour, in the legend too.
    let svg = String(decoding: fs.files["out/loss.svg"]!, as: UTF8.self)
    XCTAssertTrue(svg.contains("<circle") && svg.contains("<rect x=") && svg.contains("stroke-dasharray"), svg)
    XCTAssertNotNil(fs.files["out/old-spelling.svg"])
    XCTAssertTrue(
      sink.transcript.contains("warning: plot's 'file' is now spelled 'svg', as for gradients"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("  ● m train\n  ■ m validation\n  ▲ m2 train"), sink.transcript)
    let html = String(decoding: fs.files["out/act.html"]!, as: UTF8.self)
    XCTAssertTrue(html.contains("&lt;"))
    XCTAssertTrue(html.contains("&amp;"))
  }

  func testColourTerminalGetsANSIBackgrounds() {
    let sink = RecordingSink()
    let fs = InMemoryFileSystem()
    fs.add("corpora/tiny.txt", text: tinyText)
    let interpreter = Interpreter(
      sink: sink, fileSystem: fs, settings: InterpreterSettings(showTimings: false, terminalWidth: 50, colour: true))
    XCTAssertTrue(interpreter.run(Self.training + #"activations m text "Tyger" unit 0"# + "\nplot m"))
    XCTAssertTrue(sink.transcript.contains("\u{1B}[48;2;"))
    XCTAssertTrue(sink.transcript.contains("\u{1B}[34m"))
  }

  func testClassifierCommands() {
    var tsv = ""
    for i in 0..<40 { tsv += (i % 2 == 0 ? "yes\tgood \(i % 3)x\n" : "no\tbad \(i % 3)y\n") }
    let (interpreter, sink, _) = makeInterpreter(files: ["data.tsv": tsv])
    XCTAssertTrue(
      interpreter.run(
        """
        c = classifier "data.tsv" cell lstm hidden 8 embed 4 holdout 0.25 seed 2
        fit c epochs 25 lr 0.02 batch 5 every 25
        classify c ["good 1x", "bad 2y", "good?"] unknown skip
        list
        show c
        """), firstError(sink))
    let out = sink.transcript
    XCTAssertTrue(out.contains("c: LSTM 1×8 classifier, 2 labels (no, yes), 30 training / 10 held-out texts"), out)
    XCTAssertTrue(out.contains("c  epoch   25  loss"), out)
    XCTAssertTrue(out.contains("held-out accuracy 100.0%"), out)
    XCTAssertTrue(out.contains("\"good 1x\": yes"), out)
    XCTAssertTrue(out.contains("\"bad 2y\": no"), out)
    XCTAssertTrue(out.contains("skipped 1 of 5 characters of \"good?\" outside the classifier's vocabulary (1 distinct: \"?\")"), out)
    XCTAssertTrue(interpreter.run(#"h = corpus "corpora/hello.txt""#))
    XCTAssertFalse(interpreter.run(#"classify h "x""#))
    XCTAssertTrue(firstError(sink).contains("'h' is a corpus, not a classifier"), firstError(sink))
  }

  func testBadArgumentsAreClearErrors() {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(interpreter.run(Self.training + "g = gru t hidden 4 embed 4\n"))
    let cases: [(String, String)] = [
      ("activations m text \"Ty\" layer 2", "m has 1 layer"),
      ("activations m text \"Ty\" unit 8", "m has units 0…7"),
      ("activations g text \"Ty\" gate c", "GRU has no 'c'; it has h, r, z, n"),
      ("cells m property regex", "property regex needs a pattern"),
      ("cells m regex \"(\"", "invalid regular expression"),
      ("predict m text \"Tyger§\"", "outside the model's vocabulary: \"§\""),
      ("predict m text \"Ty\" file \"x\"", "give either 'text' or 'file'"),
      ("gradients m text \"Tyger\" steps 10", "need at least 21"),
      ("plot g", "nothing to plot yet"),
      ("c = classifier \"corpora/tiny.txt\"", "expected 'label<TAB>text'"),
    ]
    for (line, message) in cases {
      sink.clear()
      XCTAssertFalse(interpreter.run(line), line)
      XCTAssertTrue(firstError(sink).contains(message), "\(line): \(firstError(sink))")
    }
  }
}

/// Counts elements by name and remembers the root.
final class ElementCounter: NSObject, XMLParserDelegate {
  var root: String?
  var counts: [String: Int] = [:]
  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    if root == nil { root = name }
    counts[name, default: 0] += 1
  }
}
