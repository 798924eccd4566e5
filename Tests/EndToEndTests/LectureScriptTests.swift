import Foundation
import TestSupport
import XCTest

/// Every script in `scripts/` runs to completion in the built binary, shortened with
/// `RNN_STEPS_SCALE` (hello runs in full: it is tiny and must end up spelling "hello").
final class LectureScriptTests: XCTestCase {
  var rnn: RNNBinary!

  override func setUpWithError() throws { rnn = try RNNBinary() }
  override func tearDown() { rnn?.cleanUp() }

  /// What each script's output must contain.
  static let expectations: [String: (scale: String, contains: [String])] = [
    "hello.rnn": ("1", ["after training, greedy from 'h':\nhello\n", "m: trained 300 steps"]),
    "shakespeare.rnn": (
      "0.004",
      [
        "--- before training (random weights), temperature 0.8 ---\nRomeo.\n", "m: trained 6 steps",
        "m validation split:", "--- after training, temperature 1 ---\nRomeo.\n",
        "saved m (step 6) to \"checkpoints/shakespeare.safetensors\"", "Try next:",
      ]
    ),
    "compare-cells.rnn": (
      "0.004",
      ["a validation split:", "b validation split:", "c validation split:", "kernel  corpus"]
    ),
    "resume.rnn": (
      "0.004", ["saved m (step 1)", "m2: loaded", "now at step 2", "m2: training loss"]
    ),
    "vanishing-gradients.rnn": (
      "0.004", ["‖∂L_t/∂h_(t−k)‖ by distance k", "r (RNN)", "l (LSTM)", "g (GRU)", "k=50/k=0", "wrote vanishing-gradients.svg"]
    ),
    "interpretable-cells.rnn": (
      "0.004", ["units ranked by |r| with line_position", "units ranked by |r| with depth", "gate saturation over"]
    ),
    "tokens.rnn": (
      "0.004", ["mc validation split:", "mw validation split:", "mb validation split:", "bits/char", "bpe tokens for 58 characters"]
    ),
    "attention.rnn": (
      "0.004",
      [
        "plain: trained 6 steps", "focus: trained 6 steps", "source length   pairs   exact match",
        "\"sequencetosequence\" → ",
      ]
    ),
    "dates.rnn": (
      "0.004",
      [
        "t: GRU 1×128 seq2seq with attention, 48 → 11 characters", "t: trained 16 steps",
        "\"the 3rd of March, 1997\" → ", "source length   pairs   exact match", "saved t (16 steps)",
      ]
    ),
    "sentiment.rnn": (
      "0.004", ["2 labels (neg, pos)", "held-out accuracy", "\"what a mess\":"]
    ),
    "words-by-language.rnn": (
      "0.004", ["10 labels (danish, dutch", "g  validation loss", "german  ", "own label", "lowest other", "saved g (12 steps)"]
    ),
    "shakespeare-best.rnn": (
      "0.004",
      [
        "(local copy RNN_TINYSHAKESPEARE=", "m: LSTM 2×512, embed 64, dropout 0.2", "m validation split:",
        "saved m (step", "checkpoints/shakespeare-best.safetensors",
      ]
    ),
    "tagger.rnn": (
      "0.004", ["2 tags (\"0\", \"1\")", "majority-class baseline", "printk(\"hello", "units ranked by |r| with quotes"]
    ),
  ]

  func testEveryScriptRuns() throws {
    let scripts = try FileManager.default.contentsOfDirectory(
      atPath: rnn.root.appendingPathComponent("scripts").path
    )
    .filter { $0.hasSuffix(".rnn") }.sorted()
    XCTAssertEqual(Set(scripts), Set(Self.expectations.keys), "add an expectation for every script")
    // The recipe reads the shared tiny Shakespeare through RNN_TINYSHAKESPEARE (never a download:
    // the cache is the working directory's own); without the file it is left out.
    let shakespeare = Fixtures.tinyShakespearePath()
    let cache = rnn.workingDirectory.appendingPathComponent("cache").path
    for script in scripts {
      if script == "shakespeare-best.rnn" && shakespeare == nil { continue }
      let (scale, wanted) = Self.expectations[script] ?? ("0.004", [])
      let path = rnn.root.appendingPathComponent("scripts/\(script)").path
      let result = try rnn.run(
        [path], environment: ["RNN_STEPS_SCALE": scale, "RNN_TINYSHAKESPEARE": shakespeare ?? "", "RNN_CACHE": cache])
      XCTAssertEqual(result.status, 0, "\(script): \(result.stderr)")
      for text in wanted {
        XCTAssertTrue(
          result.stdout.contains(text),
          "\(script) lacks \(text.debugDescription):\n\(result.stdout)")
      }
      XCTAssertFalse(
        result.stdout.contains("\u{1B}["), "\(script): escape codes in redirected output")
    }
  }

  func testResumedModelMatchesTheOriginal() throws {
    let path = rnn.root.appendingPathComponent("scripts/resume.rnn").path
    let result = try rnn.run([path], environment: ["RNN_STEPS_SCALE": "0.01"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    func value(_ prefix: String) -> String? {
      lines.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
    XCTAssertNotNil(value("m validation split: "))
    XCTAssertEqual(value("m validation split: "), value("m2 validation split: "))
  }
}
