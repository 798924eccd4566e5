import Foundation
import RNNInterpreter
import RNNModels
import TestSupport
import XCTest

/// `train`'s workflow options: early stopping with `restore_best`, the plateau schedule, the
/// metrics log, and their exact resume from a checkpoint saved in the middle of a run.
final class TrainingWorkflowTests: XCTestCase {
  /// Overfits the repeated verse fast: validation stops improving within a few dozen steps.
  static let overfit = "seq 16 batch 4 lr 0.1 eval_every 10 patience 3 restore_best true"

  /// Stops at the third evaluation in a row without a new best, says why, where and the best,
  /// and ends on the weights of the best evaluation (an `eval` gives the best loss again) with
  /// the step counter where training stopped. The next `train` starts a fresh tracker.
  func testEarlyStoppingStopsAndRestoresTheBestWeights() throws {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "corpora/tiny.txt"
        m = lstm c hidden 16 embed 8
        train m steps 400 \(Self.overfit)
        eval m
        """), sink.transcript)
    let m = try XCTUnwrap(interpreter.session.model("m"))
    let records = m.trainer.state.validationLosses
    let during = records.dropLast()  // the last one is `eval m`'s
    let best = try XCTUnwrap(during.min { $0.loss < $1.loss })
    XCTAssertLessThan(m.step, 400, sink.transcript)
    XCTAssertEqual(during.last?.step, m.step)
    XCTAssertEqual(during.suffix(3).map(\.step), [m.step - 20, m.step - 10, m.step])
    XCTAssertTrue(during.suffix(3).allSatisfy { $0.loss >= best.loss })
    XCTAssertTrue(during.dropLast(3).contains(best))
    let bestText = String(format: "%.4f", Double(best.loss))
    XCTAssertTrue(
      sink.transcript.contains(
        "m: early stopping at step \(m.step): no new best validation loss in 3 evaluations (patience 3); "
          + "best validation \(bestText) nats/char at step \(best.step)"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("m: restored the weights of step \(best.step)"), sink.transcript)
    XCTAssertEqual(records.last?.loss, best.loss, "eval after restore_best must give the best loss")
    XCTAssertEqual(m.trainer.state.earlyStopping?.stopped, true)

    let stoppedAt = m.step
    XCTAssertTrue(interpreter.run("train m steps 20 eval_every 10 patience 3"), sink.transcript)
    XCTAssertEqual(m.step, stoppedAt + 20, "a new train call must not stop at once")
  }

  /// `patience` and `restore_best` count evaluations: without `eval_every` they are an error
  /// before anything trains, as are `log_format` without `log` and `plateau` without `eval_every`.
  func testWorkflowOptionsNeedWhatTheyCount() {
    let cases = [
      ("train m steps 5 patience 3", "'patience' counts validation evaluations: give eval_every too"),
      ("train m steps 5 restore_best true", "'restore_best' counts validation evaluations"),
      ("train m steps 5 log_format csv", "'log_format' needs a log file"),
      ("train m steps 5 schedule plateau", "give eval_every"),
      ("train m steps 5 cooldown 2", "option 'cooldown' needs a schedule"),
    ]
    for (statement, message) in cases {
      let (interpreter, sink, _) = makeInterpreter()
      XCTAssertTrue(interpreter.run("c = corpus \"corpora/tiny.txt\"\nm = lstm c hidden 8 embed 4"))
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(message), "\(statement): \(firstError(sink))")
      XCTAssertEqual(interpreter.session.model("m")?.step, 0)
    }
  }

  /// A run with early stopping, the plateau schedule and tied weights, and the same run resumed
  /// from its step-60 checkpoint in a new session: the same stop, the same messages after step
  /// 60, the same weights (restored best included) bit for bit.
  func testEarlyStoppingAndPlateauResumeExactlyFromACheckpoint() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-workflow")
    let (interpreter, sink) = makeInterpreter(root: root)
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "corpora/tiny.txt"
        m = lstm c hidden 16 tie true
        train m steps 400 \(Self.overfit) schedule plateau decay 0.5 plateau_patience 1 save_every 30 keep 100
        """), sink.transcript)
    let m = try XCTUnwrap(interpreter.session.model("m"))
    XCTAssertTrue(m.config.tied)
    XCTAssertGreaterThan(m.step, 60, sink.transcript)
    XCTAssertTrue(sink.transcript.contains("m: plateau: no improvement"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("m: early stopping at step \(m.step)"), sink.transcript)

    let (resumed, resumedSink) = makeInterpreter(root: root)
    XCTAssertTrue(
      resumed.run(
        """
        r = load "checkpoints/m-step0000060.safetensors"
        train r steps \(400 - 60) eval_every 10 patience 3 restore_best true
        """), resumedSink.transcript)
    let r = try XCTUnwrap(resumed.session.model("r"))
    XCTAssertEqual(r.step, m.step)
    XCTAssertEqual(r.model.parameters.array, m.model.parameters.array, "resumed run ended on other weights")
    XCTAssertEqual(r.trainer.state.plateau, m.trainer.state.plateau)
    XCTAssertEqual(r.trainer.state.earlyStopping, m.trainer.state.earlyStopping)
    func messages(_ transcript: String, _ name: String) -> [String] {
      transcript.split(separator: "\n").filter { $0.hasPrefix("\(name): plateau") || $0.hasPrefix("\(name): early") }
        .map { String($0.dropFirst(name.count)) }
    }
    let after60 = messages(sink.transcript, "m").filter { !$0.contains("lr 0.1 →") }
    XCTAssertEqual(messages(resumedSink.transcript, "r").suffix(after60.count), after60[...])
  }

  /// Every line of a JSONL log parses (Foundation's JSONSerialization) with exactly the schema's
  /// keys; training lines every `log_every` steps, a validation line per evaluation; a second run
  /// appends. CSV: the header once, then rows of nine fields.
  func testMetricsLogJSONLinesAndCSV() throws {
    let (interpreter, sink, fs) = makeInterpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "corpora/tiny.txt"
        m = lstm c hidden 8 embed 4
        train m steps 20 seq 16 batch 4 every 5 eval_every 10 log "runs/m.jsonl"
        train m steps 10 seq 16 batch 4 eval_every 5 log "runs/m.csv" log_every 5
        train m steps 10 seq 16 batch 4 eval_every 5 log "runs/m.csv" log_every 5
        train m steps 4 seq 16 batch 4 log "runs/m.jsonl" log_every 2
        """), sink.transcript)
    let jsonl = String(decoding: try XCTUnwrap(fs.files["runs/m.jsonl"]), as: UTF8.self)
    let records = try jsonl.split(separator: "\n").map { line in
      try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }
    let trainKeys: Set = ["kind", "step", "loss", "bits_per_char", "lr", "grad_norm", "chars_per_s", "wall_s", "model"]
    let validationKeys: Set = ["kind", "step", "loss", "bits_per_char", "wall_s", "model"]
    // Run 1 (every 5, eval_every 10): a step's training line comes before its validation line; run 4
    // (log_every 2, after 20 steps logged to the CSV file) appends.
    XCTAssertEqual(
      records.map { ($0["kind"] as? String) ?? "" },
      ["train", "train", "validation", "train", "train", "validation", "train", "train"])
    for record in records {
      let keys = Set(record.keys)
      XCTAssertEqual(keys, record["kind"] as? String == "train" ? trainKeys : validationKeys)
      XCTAssertEqual(record["model"] as? String, "m")
      for key in keys.subtracting(["kind", "model"]) { XCTAssertNotNil(record[key] as? NSNumber, key) }
    }
    XCTAssertEqual(records.map { ($0["step"] as? Int) ?? -1 }, [5, 10, 10, 15, 20, 20, 42, 44])
    let losses = m(interpreter).trainer.state.trainLosses
    let first = try XCTUnwrap(records.first?["loss"] as? Double)
    XCTAssertEqual(first, Double(losses[0..<5].reduce(0, +)) / 5, accuracy: 1e-6)
    XCTAssertEqual((records[0]["bits_per_char"] as? Double) ?? 0, first / log(2), accuracy: 1e-9)
    XCTAssertEqual((records[0]["lr"] as? Double) ?? 0, 0.002, accuracy: 1e-9)

    let csv = String(decoding: try XCTUnwrap(fs.files["runs/m.csv"]), as: UTF8.self).split(separator: "\n")
    XCTAssertEqual(csv.first, "kind,step,loss,bits_per_char,lr,grad_norm,chars_per_s,wall_s,model")
    XCTAssertEqual(csv.count, 1 + 2 * 4)
    for row in csv.dropFirst() {
      let fields = row.split(separator: ",", omittingEmptySubsequences: false)
      XCTAssertEqual(fields.count, 9, String(row))
      XCTAssertEqual(fields.last, "m")
      XCTAssertNotNil(Double(fields[2]), String(row))
      XCTAssertEqual(fields[4].isEmpty, fields[0] == "validation", String(row))
    }
  }

  /// A tied model carried to a text with new characters stays tied (the one block grows), and
  /// early stopping starts afresh on the new text's validation split.
  func testTiedModelCarriedToNewTextStaysTied() throws {
    let (interpreter, sink, _) = makeInterpreter(files: ["corpora/more.txt": tinyText + "Zebras quietly jump! " + tinyText])
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "corpora/tiny.txt"
        d = corpus "corpora/more.txt"
        m = gru c hidden 8 tie true
        train m steps 20 seq 16 batch 4 eval_every 10
        train m steps 10 seq 16 batch 4 corpus d
        """), sink.transcript)
    let model = m(interpreter).model
    XCTAssertTrue(model.config.tied)
    XCTAssertEqual(model.config.vocabSize, 29, sink.transcript)
    XCTAssertEqual(model.tensor(named: "decoder.weight"), model.tensor(named: "encoder.weight"))
    XCTAssertNil(m(interpreter).trainer.state.earlyStopping)
  }

  private func m(_ interpreter: Interpreter) -> ModelEntry { interpreter.session.model("m")! }

  /// A log that cannot be written is an error before training: nothing trains, nothing is lost.
  /// A CSV file with another header is not appended to.
  func testUnwritableLogIsAnErrorBeforeTraining() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-log")
    try "a,b\n1,2\n".write(to: root.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
    for (path, reason) in [("corpora/tiny.txt/m.jsonl", "is a file, not a directory"), ("other.csv", "another header")] {
      let (interpreter, sink) = makeInterpreter(root: root)
      XCTAssertTrue(interpreter.run("c = corpus \"corpora/tiny.txt\"\nm = lstm c hidden 8 embed 4"))
      XCTAssertFalse(interpreter.run("train m steps 5 seq 16 batch 4 log \"\(path)\""))
      XCTAssertTrue(firstError(sink).contains("cannot write the metrics log"), firstError(sink))
      XCTAssertTrue(firstError(sink).contains(reason), firstError(sink))
      XCTAssertTrue(firstError(sink).contains("nothing was trained"), firstError(sink))
      XCTAssertEqual(interpreter.session.model("m")?.step, 0)
    }
    XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("other.csv"), encoding: .utf8), "a,b\n1,2\n")
  }
}
