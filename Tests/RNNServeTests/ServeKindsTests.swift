import Foundation
import RNNInterpreter
import XCTest

@testable import RNNServe

/// Every model kind of the session in the API: listed with its facts, each kind's own action run as
/// its statement (the REPL's output, the REPL's errors), a model of the wrong kind refused with a
/// 4xx naming the problem; and the lecture's charts (`saturation`, `gradients`) and `cells` as data.
final class ServeKindsTests: XCTestCase {
  static let files: [String: String] = [
    "corpora/reviews.tsv": (0..<12).map { i in
      "pos\tgood fun film \(i % 3)\nneg\tdull bad film \(i % 3)\n"
    }.joined(),
    "corpora/words.tsv": ["cat", "dog", "cow", "hen", "pig", "ant"].map { "en\t\($0)\n" }.joined()
      + ["katze", "hund", "kuh", "huhn", "sau", "ameise"].map { "de\t\($0)\n" }.joined(),
    "corpora/pairs.tsv": ["abc", "bca", "cab", "aab", "bba", "ccb", "acb", "bac", "cba", "abb"].map {
      "\($0)\t\(String($0.reversed()))\n"
    }.joined(),
    "corpora/quoted.txt": String(repeating: "He said \"stop\" and left. She said \"go\".\n", count: 30),
  ]

  static let setup = """
    k = classifier "corpora/reviews.tsv" hidden 8 embed 4 seed 1
    g = generator "corpora/words.tsv" hidden 8 embed 4 seed 1
    t = seq2seq "corpora/pairs.tsv" hidden 8 embed 4 seed 1 attention true
    qc = corpus "corpora/quoted.txt" split 0.8
    q = tagger qc property quotes hidden 8 embed 4 length 20 seed 1
    """

  func fixture() throws -> ServeFixture { try ServeFixture(for: self, files: Self.files, setup: Self.setup) }

  func testModelsListEveryKindWithItsFacts() throws {
    let f = try fixture()
    let models = try XCTUnwrap(f.client.request("GET", "/api/models")?.json as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: models.map { ($0["name"] as! String, $0) })
    XCTAssertEqual(models.map { $0["name"] as? String }, ["m", "k", "g", "t", "q"], "corpora are not models")
    let kinds = ["m": "language_model", "k": "classifier", "g": "generator", "t": "seq2seq", "q": "tagger"]
    for (name, kind) in kinds {
      let m = try XCTUnwrap(byName[name])
      XCTAssertEqual(m["kind"] as? String, kind)
      for key in ["cell", "hidden", "layers", "step", "parameters", "actions"] { XCTAssertNotNil(m[key], "\(name) lacks \(key)") }
    }
    XCTAssertEqual(byName["k"]?["labels"] as? [String], ["neg", "pos"])
    XCTAssertEqual(byName["k"]?["hidden"] as? Int, 8)
    XCTAssertEqual(byName["g"]?["labels"] as? [String], ["de", "en"])
    XCTAssertEqual(byName["t"]?["attention"] as? Bool, true)
    XCTAssertEqual(byName["q"]?["tag_source"] as? String, "property quotes")
    XCTAssertEqual((byName["q"]?["tags"] as? [String])?.count, 2)
    XCTAssertEqual((byName["t"]?["actions"] as? [String])?.first, "translate")
    XCTAssertEqual((byName["k"]?["actions"] as? [String])?.first, "classify")
    XCTAssertNil(byName["k"]?["attention"])
    // One model, and the event stream's list, say the same.
    let one = try XCTUnwrap(f.client.request("GET", "/api/models/t"))
    XCTAssertEqual(one.object["kind"] as? String, "seq2seq")
    XCTAssertEqual(one.object["data"] as? String, "corpora/pairs.tsv")
    // Training moves the step of a form model too.
    XCTAssertTrue(f.run("fit g steps 3 batch 4"))
    let after = try XCTUnwrap(f.client.request("GET", "/api/models/g"))
    XCTAssertEqual(after.object["step"] as? Int, 3)
  }

  func testEachKindsActionPrintsWhatTheREPLPrints() throws {
    let f = try fixture()
    func same(_ path: String, _ body: [String: Any], _ statement: String) throws -> [String: Any] {
      let r = try XCTUnwrap(f.client.request("POST", path, json: body))
      XCTAssertEqual(r.status, 200, r.text)
      f.console.clear()
      XCTAssertTrue(f.run(statement), f.console.transcript)
      XCTAssertEqual((r.object["output"] as? [String] ?? []).map { $0 + "\n" }.joined(), f.console.transcript, statement)
      return r.object
    }
    let k = try same("/api/models/k/classify", ["text": "good film"], #"classify k "good film""#)
    XCTAssertEqual(k["text"] as? String, "good film")
    let ps = try XCTUnwrap(k["probabilities"] as? [[String: Any]])
    XCTAssertEqual(Set(ps.compactMap { $0["label"] as? String }), ["neg", "pos"])
    XCTAssertEqual(ps.compactMap { $0["p"] as? Double }.reduce(0, +), 1, accuracy: 1e-5)
    XCTAssertEqual(k["label"] as? String, ps.first?["label"] as? String, "the most likely label first")

    let g = try same(
      "/api/models/g/sample", ["label": "en", "count": 3, "seed": 2, "length": 6], #"sample g label "en" count 3 seed 2 length 6"#)
    let words = try XCTUnwrap(g["words"] as? [[String: Any]])
    XCTAssertEqual(words.first?["label"] as? String, "en")
    XCTAssertEqual((words.first?["words"] as? [String])?.count, 3)
    let every = try XCTUnwrap(f.client.request("POST", "/api/models/g/sample", json: ["seed": 1, "stream": true]))
    XCTAssertEqual((every.object["words"] as? [[String: Any]])?.count, 2, "every label, as JSON even when streaming is asked")

    let t = try same("/api/models/t/translate", ["text": "abc", "beam": 2], #"translate t "abc" beam 2"#)
    XCTAssertNotNil(t["translation"] as? String)
    XCTAssertLessThanOrEqual(try XCTUnwrap(t["log_probability"] as? Double), 0)
    let raw = try same(
      "/api/models/t/translate", ["text": "abc", "beam": 2, "length_penalty": 0], #"translate t "abc" beam 2 length_penalty 0"#)
    XCTAssertNotNil(raw["translation"] as? String)

    let text = "He said \"go\"."
    let q = try same("/api/models/q/tag", ["text": text], "tag q \(StatementText.quoted(text))")
    XCTAssertEqual((q["best"] as? [Int])?.count, text.unicodeScalars.count)
    let tagged = try XCTUnwrap(q["tagged"] as? [Double])
    XCTAssertEqual(tagged.count, text.unicodeScalars.count)
    XCTAssertTrue(tagged.allSatisfy { (0...1).contains($0) })
  }

  func testAModelOfTheWrongKindIsRefusedNamingTheProblem() throws {
    let f = try fixture()
    let cases: [(String, [String: Any], String)] = [
      ("/api/models/m/translate", ["text": "abc"], "'m' is a model, not a seq2seq model"),
      ("/api/models/g/classify", ["text": "abc"], "'g' is a generator, not a classifier"),
      ("/api/models/t/tag", ["text": "abc"], "'t' is a seq2seq, not a tagger"),
      ("/api/models/k/sample", [:], "'k' is a classifier, not a model"),
      ("/api/models/k/saturation", [:], "'k' is a classifier, not a model"),
      ("/api/models/q/gradients", [:], "'q' is a tagger, not a model"),
    ]
    for (path, body, message) in cases {
      let r = try XCTUnwrap(f.client.request("POST", path, json: body))
      XCTAssertEqual(r.status, 400, "\(path): \(r.text)")
      XCTAssertEqual(r.object["error"] as? String, message, path)
      XCTAssertEqual(r.object["field"] as? String, "name", path)
    }
    // The REPL's wording, word for word.
    f.console.clear()
    XCTAssertFalse(f.run(#"translate m "abc""#))
    XCTAssertTrue(f.console.transcript.contains("'m' is a model, not a seq2seq model"), f.console.transcript)

    let label = try f.client.assertRefused("POST", "/api/models/g/sample", json: ["label": "fr"], status: 400, field: "label")
    XCTAssertTrue((label.object["error"] as? String ?? "").contains("unknown label \"fr\""), label.text)
    try f.client.assertRefused("POST", "/api/models/g/sample", json: ["top_k": 3], status: 400, field: "top_k")
    try f.client.assertRefused("POST", "/api/models/m/sample", json: ["label": "en"], status: 400, field: "label")
    try f.client.assertRefused("POST", "/api/models/t/translate", json: [:], status: 400, field: "text")
    try f.client.assertRefused("POST", "/api/models/t/translate", json: ["text": "xyz"], status: 400, field: "text")
    try f.client.assertRefused("POST", "/api/models/g/sample", json: ["count": 1000], status: 413, field: "count")
    let long = try XCTUnwrap(f.client.request("POST", "/api/models/k/classify", json: ["text": String(repeating: "a", count: 20_001)]))
    XCTAssertEqual(long.status, 413)
    let unknown = try XCTUnwrap(f.client.request("POST", "/api/models/nope/tag", json: ["text": "a"]))
    XCTAssertEqual(unknown.status, 404)
    try f.client.assertRefused("POST", "/api/models/k/classify", json: ["txt": "a"], status: 400, field: "txt")
    let method = try XCTUnwrap(f.client.request("GET", "/api/models/k/classify"))
    XCTAssertEqual(method.status, 405)
  }

  func testSaturationAnswersWhatTheCommandComputes() throws {
    let f = try fixture()
    XCTAssertTrue(f.run("train m steps 20 batch 4 seq 16"))
    let r = try XCTUnwrap(f.client.request("POST", "/api/models/m/saturation", json: ["text": ServeFixture.verse]))
    XCTAssertEqual(r.status, 200, r.text)
    let rows = try XCTUnwrap(r.object["rows"] as? [[String: Any]])
    XCTAssertEqual(rows.map { $0["gate"] as? String }, ["i", "f", "g", "o"], "an LSTM's gates, one layer")
    XCTAssertEqual(rows.first?["layer"] as? Int, 1, "layers count from 1, as in the language")
    XCTAssertEqual(r.object["characters"] as? Int, ServeFixture.verse.count)
    for row in rows {
      let left = try XCTUnwrap(row["units_left"] as? [Double]), right = try XCTUnwrap(row["units_right"] as? [Double])
      XCTAssertEqual(left.count, 16)
      // The block's fraction is the mean of its units' fractions (each unit sees every character).
      XCTAssertEqual(left.reduce(0, +) / 16, try XCTUnwrap(row["left"] as? Double), accuracy: 1e-9)
      XCTAssertEqual(right.reduce(0, +) / 16, try XCTUnwrap(row["right"] as? Double), accuracy: 1e-9)
      XCTAssertEqual(left.filter { $0 > 0.5 }.count, row["mostly_left"] as? Int)
    }
    f.console.clear()
    XCTAssertTrue(f.run("saturation m text \(StatementText.quoted(ServeFixture.verse))"))
    XCTAssertEqual((r.object["output"] as? [String] ?? []).map { $0 + "\n" }.joined(), f.console.transcript)
    let tooMuch = try XCTUnwrap(f.client.request("POST", "/api/models/m/saturation", json: ["limit": 50_000]))
    XCTAssertEqual(tooMuch.status, 413)
  }

  func testGradientsAnswerOneCurvePerModel() throws {
    let f = try ServeFixture(for: self, setup: "r = rnn c hidden 16 embed 8 seed 2")
    let r = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/gradients", json: ["steps": 6, "compare": ["r"], "limit": 400]))
    XCTAssertEqual(r.status, 200, r.text)
    let curves = try XCTUnwrap(r.object["curves"] as? [[String: Any]])
    XCTAssertEqual(curves.map { $0["model"] as? String }, ["m", "r"])
    XCTAssertEqual(curves.map { $0["cell"] as? String }, ["lstm", "rnn"])
    let norms = try XCTUnwrap(curves[0]["norms"] as? [Double])
    XCTAssertEqual(norms.count, 7)
    XCTAssertGreaterThan(norms[0], 0)
    // The numbers the command prints (k=1, %.3e) are these.
    f.console.clear()
    XCTAssertTrue(f.run("gradients m r steps 6 limit 400"))
    let row = try XCTUnwrap(f.console.transcript.split(separator: "\n").first { $0.hasPrefix("m (LSTM)") })
    XCTAssertTrue(row.contains(String(format: "%.3e", norms[1])), "\(row) vs \(norms)")

    try f.client.assertRefused("POST", "/api/models/m/gradients", json: ["steps": 500], status: 413, field: "steps")
    try f.client.assertRefused("POST", "/api/models/m/gradients", json: ["compare": ["a b"]], status: 400, field: "compare")
    let unknown = try XCTUnwrap(f.client.request("POST", "/api/models/m/gradients", json: ["compare": ["nope"]]))
    XCTAssertEqual(unknown.status, 404)
    let short = try XCTUnwrap(f.client.request("POST", "/api/models/m/gradients", json: ["text": "abc", "steps": 6]))
    XCTAssertEqual(short.status, 400, "the command's own check: too short a text for the steps")
  }

  func testCellsAnswerTheRankedUnits() throws {
    let f = try fixture()
    let r = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/cells", json: ["property": "line_position", "top": 3, "text": ServeFixture.verse]))
    XCTAssertEqual(r.status, 200, r.text)
    let units = try XCTUnwrap(r.object["units"] as? [[String: Any]])
    XCTAssertEqual(units.count, 3)
    let rs = units.compactMap { $0["r"] as? Double }.map(abs)
    XCTAssertEqual(rs, rs.sorted(by: >), "strongest first")
    XCTAssertTrue(units.allSatisfy { $0["layer"] as? Int == 1 && ["h", "c"].contains($0["series"] as? String) })
    XCTAssertEqual(r.object["property"] as? String, "line_position")
    // A tagger's units too.
    let q = try XCTUnwrap(f.client.request("POST", "/api/models/q/cells", json: ["top": 2]))
    XCTAssertEqual(q.status, 200, q.text)
    XCTAssertEqual((q.object["units"] as? [[String: Any]])?.count, 2)
  }
}
