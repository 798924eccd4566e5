import Foundation
import XCTest

/// The Python tools of scripts/python against the built `rnn`, end to end:
/// - `rnn_torch.py eval` gives `rnn`'s bits per character for char, word and BPE checkpoints
///   (its tokenizers reproduce `rnn`'s ids);
/// - a checkpoint trained further by `rnn_torch.py train` (one process, and two under torchrun)
///   comes back with its step count advanced and its loss history appended, keeps its tokenizer,
///   and trains on in `rnn`;
/// - `rnn_torch.py export --onnx` runs in onnxruntime step by step with `rnn`'s probabilities;
/// - `log_to_tensorboard.py` writes a metrics log's scalars as TensorBoard events.
/// Each test skips, saying which, when python3 lacks a package it needs: PyTorch is never a test
/// dependency. `rnn` prints full-precision numbers with `RNN_EXACT_OUTPUT=1`.
final class PythonToolsEndToEndTests: XCTestCase {
  static let rtol = 1e-5
  var rnn: RNNBinary!

  override func setUpWithError() throws { rnn = try RNNBinary() }
  override func tearDown() { rnn?.cleanUp() }

  /// Skips unless `python3 -c "import <modules>"` succeeds.
  func requirePython(_ modules: String) throws {
    let probe = try? rnn.run(["python3", "-c", "import \(modules)"], executable: URL(fileURLWithPath: "/usr/bin/env"))
    guard probe?.status == 0 else {
      throw XCTSkip("python3 with \(modules) is not available (pip install -r scripts/python/requirements.txt)")
    }
  }

  /// Runs `python3 scripts/python/<script> arguments…` (or, with `local`, a script written into the
  /// working directory) there; fails with its output unless it exits 0.
  @discardableResult
  func python(
    _ script: String, _ arguments: [String], local: Bool = false, file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let path = local ? script : rnn.root.appendingPathComponent("scripts/python/\(script)").path
    let result = try rnn.run(
      ["python3", path] + arguments, environment: ["OMP_NUM_THREADS": "1"], executable: URL(fileURLWithPath: "/usr/bin/env"))
    guard result.status == 0 else {
      XCTFail(
        "\(script) \(arguments.joined(separator: " ")) exited \(result.status):\n\(result.stdout)\n\(result.stderr)", file: file, line: line
      )
      throw XCTSkip("\(script) failed")
    }
    return result.stdout
  }

  /// Runs an `rnn` program with full-precision output; fails with its output unless it exits 0.
  @discardableResult
  func runRNN(_ program: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let result = try rnn.run(["-e", program], environment: ["RNN_EXACT_OUTPUT": "1"])
    guard result.status == 0 else {
      XCTFail("rnn exited \(result.status) on\n\(program)\n\(result.stdout)\n\(result.stderr)", file: file, line: line)
      throw XCTSkip("rnn failed")
    }
    return result.stdout
  }

  /// The JSON object after `key ` on the last line of `output` that starts with it.
  func exact(_ key: String, in output: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    for row in output.split(separator: "\n").reversed() where row.hasPrefix(key + " ") {
      if let object = try JSONSerialization.jsonObject(with: Data(row.dropFirst(key.count + 1).utf8)) as? [String: Any] {
        return object
      }
    }
    XCTFail("no '\(key)' line in:\n\(output)", file: file, line: line)
    throw XCTSkip("no \(key)")
  }

  /// The number after `key ` on its line of `output`.
  func value(_ key: String, in output: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    for row in output.split(separator: "\n") where row.hasPrefix(key + " ") {
      if let x = Double(row.dropFirst(key.count + 1)) { return x }
    }
    XCTFail("no '\(key)' line in:\n\(output)", file: file, line: line)
    throw XCTSkip("no \(key)")
  }

  func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-12) }

  /// A deterministic text with words, contractions, numbers, CRLF, tabs and non-ASCII letters,
  /// marks and an emoji, so that every pre-tokenizer rule and byte fallback is exercised.
  static let text: String = {
    let words = [
      "the", "rain", "in", "Spain", "falls", "mainly", "café", "nai\u{308}ve", "—", "'tis", "we'll", "they're",
      "don't", "1599", "3.14", "한국어", "🙂", "whether", "nobler", "mind", "  ", "\t",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var out = ""
    var k = 0
    while out.unicodeScalars.count < 3000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      out += words[Int(state >> 33) % words.count]
      k += 1
      out += k % 11 == 0 ? ".\r\n" : (k % 7 == 0 ? ", " : " ")
    }
    return out
  }()

  /// Trains a tiny model of `tokens` tokens with `rnn`, saves it, and returns the `eval_exact` of
  /// the whole text file (the one `rnn_torch.py eval` reads).
  func trainAndSave(_ tokens: String, cell: String, tied: Bool = false, to checkpoint: String) throws -> [String: Any] {
    let out = try runRNN(
      """
      c = corpus "text.txt" \(tokens)
      m = \(cell) c hidden 12 embed \(tied ? "12 tie true" : "6") layers 2 seed 3
      train m steps 6 batch 4 seq 16 lr 0.01
      eval m
      eval m file "text.txt"
      save m "\(checkpoint)"
      """)
    return try exact("eval_exact", in: out)
  }

  func testPyTorchEvaluatesCharWordAndBPECheckpointsAsRNNDoes() throws {
    try requirePython("torch, safetensors")
    try rnn.write("text.txt", Self.text)
    var report: [String] = []
    let cases = [
      ("char", "", "lstm", false), ("word", "tokens word min_count 2", "gru", false), ("bpe", "tokens bpe vocab 320", "rnn", false),
      ("bpe", "tokens bpe vocab 300", "lstm", true),
    ]
    for (kind, tokens, cell, tied) in cases {
      let checkpoint = "\(kind)-\(cell).safetensors"
      let fromRNN = try trainAndSave(tokens, cell: cell, tied: tied, to: checkpoint)
      let torch = try python("rnn_torch.py", ["eval", checkpoint, "text.txt"])
      let rnnBits = try XCTUnwrap(fromRNN["bits_per_char"] as? Double)
      let torchBits = try value("bits_per_char", in: torch)
      XCTAssertTrue(torch.contains("tokenizer \(kind)"), torch)
      XCTAssertEqual(Int(try value("tokens", in: torch)), fromRNN["tokens"] as? Int, "\(kind): the same ids, so the same count")
      XCTAssertEqual(Int(try value("characters", in: torch)), fromRNN["characters"] as? Int)
      let rel = relative(torchBits, rnnBits)
      report.append("\(kind) (\(cell)\(tied ? ", tied" : "")): rnn \(rnnBits) torch \(torchBits) bits/char, rel \(rel)")
      XCTAssertLessThanOrEqual(rel, Self.rtol, "\(kind): rnn \(rnnBits) vs PyTorch \(torchBits) bits/char")
    }
    print("rnn → PyTorch bits/char, relative differences:\n  " + report.joined(separator: "\n  "))
  }

  /// `rnn` trains 6 steps and evaluates; PyTorch trains 4 more (one process, then two under
  /// torchrun); `rnn` loads the result: 10 (14) steps, both parts' losses, the tokenizer, and training on.
  func testTrainingInPyTorchContinuesTheHistory() throws {
    try requirePython("torch, safetensors")
    try rnn.write("text.txt", Self.text)
    _ = try trainAndSave("tokens bpe vocab 300", cell: "lstm", to: "start.safetensors")
    let common = ["--steps", "4", "--batch", "4", "--seq", "16", "--lr", "0.01", "--threads", "1", "--device", "cpu"]
    let torchOut = try python("rnn_torch.py", ["train", "start.safetensors", "text.txt", "--out", "torch.safetensors"] + common)
    XCTAssertTrue(torchOut.contains("step 10 (this run 4)"), torchOut)
    let torchValidation = try value("val_loss_nats_per_token", in: torchOut)

    let out = try runRNN(
      """
      m = load "torch.safetensors"
      show m
      history m
      eval m
      train m steps 2
      show m
      """)
    XCTAssertTrue(out.contains("trained     10 steps"), out)
    XCTAssertTrue(out.contains("trained     12 steps"), "rnn trains on from PyTorch's step:\n\(out)")
    XCTAssertTrue(out.contains("vocabulary 300"), "the BPE tokenizer came back:\n\(out)")
    let history = out.components(separatedBy: "training loss, mean per 1 step").last ?? ""
    let lossRows = history.components(separatedBy: "validation")[0].split(separator: "\n").filter { $0.contains(" nats/token ") }
    XCTAssertEqual(lossRows.count, 10, "rnn's 6 training losses and PyTorch's 4:\n\(out)")
    XCTAssertTrue(history.contains("step      6"), "rnn's own validation loss is kept:\n\(out)")
    XCTAssertTrue(history.contains("step     10"), "PyTorch's validation loss is appended:\n\(out)")
    let rnnValidation = try XCTUnwrap(try exact("eval_exact", in: out)["loss"] as? Double)
    XCTAssertLessThanOrEqual(relative(rnnValidation, torchValidation), Self.rtol, "rnn \(rnnValidation) vs PyTorch \(torchValidation)")

    // The same under torchrun with DDP over two processes (gloo on the CPU).
    let torchrun = try rnn.run(
      [
        "python3", "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
        rnn.root.appendingPathComponent("scripts/python/rnn_torch.py").path, "train", "torch.safetensors", "text.txt",
        "--out", "ddp.safetensors",
      ] + common, environment: ["OMP_NUM_THREADS": "1"], executable: URL(fileURLWithPath: "/usr/bin/env"))
    XCTAssertEqual(torchrun.status, 0, "\(torchrun.stdout)\n\(torchrun.stderr)")
    XCTAssertTrue(torchrun.stdout.contains("step 14 (this run 4)"), torchrun.stdout)
    let ddp = try runRNN("m = load \"ddp.safetensors\"\nshow m\nhistory m")
    XCTAssertTrue(ddp.contains("trained     14 steps"), ddp)
    XCTAssertTrue(ddp.contains("step     14"), ddp)
  }

  func testONNXExportSamplesStepByStepWithRNNsProbabilities() throws {
    try requirePython("torch, safetensors, onnx, onnxruntime")
    try rnn.write("text.txt", Self.text)
    let prime = "the rain in Spain falls mainly, café"
    try rnn.write(
      "run_onnx.py",
      """
      import json, sys
      import numpy as np, onnxruntime as ort
      session = ort.InferenceSession(sys.argv[1])
      tokens = json.loads(sys.argv[2])
      names = [i.name for i in session.get_inputs()]
      shape = session.get_inputs()[1].shape
      state = [np.zeros([shape[0], 1, shape[2]], dtype=np.float32) for _ in names[1:]]
      rows = []
      for t in tokens:  # one step at a time, the state fed back as sampling does
          out = session.run(None, dict(zip(names, [np.array([[t]], dtype=np.int64)] + state)))
          logits, state = out[0][0, 0].astype(np.float64), out[1:]
          p = np.exp(logits - logits.max())
          rows.append((p / p.sum()).tolist())
      whole = session.run(None, dict(zip(names, [np.array(tokens, dtype=np.int64).reshape(-1, 1)] + [np.zeros_like(s) for s in state])))
      print(json.dumps({"probabilities": rows, "last_logits_match": bool(np.allclose(whole[0][-1, 0], logits, atol=1e-5))}))
      """)
    var report: [String] = []
    for cell in ["lstm", "gru", "rnn"] {
      try runRNN(
        "c = corpus \"text.txt\"\nm = \(cell) c hidden 12 embed 6 layers 2 seed 5\ntrain m steps 6 batch 4 seq 16 lr 0.01\nsave m \"\(cell).safetensors\""
      )
      let predicted = try exact("predict_exact", in: try runRNN("m = load \"\(cell).safetensors\"\npredict m text \"\(prime)\" top 1"))
      let exported = try python("rnn_torch.py", ["export", "\(cell).safetensors", "--onnx", "\(cell).onnx"])
      XCTAssertTrue(exported.contains("inputs tokens, h0\(cell == "lstm" ? ", c0" : "")"), exported)
      let tokens = try XCTUnwrap(predicted["tokens"] as? [Int])
      let json = String(decoding: try JSONSerialization.data(withJSONObject: tokens), as: UTF8.self)
      let onnx =
        try JSONSerialization.jsonObject(with: Data(try python("run_onnx.py", ["\(cell).onnx", json], local: true).utf8)) as? [String: Any]
      let expected = try XCTUnwrap(predicted["probabilities"] as? [[Double]])
      let got = try XCTUnwrap(onnx?["probabilities"] as? [[Double]])
      XCTAssertEqual(got.count, expected.count)
      XCTAssertEqual(onnx?["last_logits_match"] as? Bool, true, "the whole sequence at once gives the last step's logits")
      var worst = 0.0
      for (a, b) in zip(got, expected) {
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
      }
      report.append("\(cell): \(expected.count) steps, max |p_onnx - p_rnn| = \(worst)")
      XCTAssertLessThanOrEqual(worst, 1e-5, "\(cell)")
    }
    print("ONNX (onnxruntime, step by step) vs rnn probabilities:\n  " + report.joined(separator: "\n  "))
  }

  func testMetricsLogBecomesTensorBoardScalars() throws {
    try requirePython("torch, tensorboard")
    try rnn.write(
      "m.jsonl",
      """
      {"kind":"train","step":1,"loss":4.25,"bits_per_char":6.1315,"lr":0.002,"grad_norm":1.5,"chars_per_s":12000,"wall_s":0.5,"model":"m"}
      {"kind":"train","step":2,"loss":4,"bits_per_char":5.7708,"lr":0.001,"grad_norm":1.25,"chars_per_s":13000,"wall_s":1.0,"model":"m","new_key":[1]}
      {"kind":"validation","step":2,"loss":3.75,"bits_per_char":5.4101,"wall_s":1.5,"model":"m"}
      {"kind":"train","step":1,"loss":3.5,"bits_per_char":5.0494,"lr":0.01,"grad_norm":2.0,"chars_per_s":9000,"wall_s":0.25,"model":"m2"}
      {"kind":"checkpoint","step":2,"path":"runs/m.safetensors"}

      """)
    let out = try python("log_to_tensorboard.py", ["m.jsonl", "tb"])
    XCTAssertTrue(out.contains("m: tb/m: train/bits_per_char 2"), out)
    try rnn.write(
      "read_events.py",
      """
      import json, sys
      from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
      out = {}
      for run in sys.argv[1:]:
          a = EventAccumulator(run)
          a.Reload()
          out[run] = {tag: [[e.step, e.value] for e in a.Scalars(tag)] for tag in a.Tags()["scalars"]}
      print(json.dumps(out))
      """)
    let events =
      try JSONSerialization.jsonObject(
        with: Data(try python("read_events.py", ["tb/m", "tb/m2"], local: true).utf8)) as? [String: [String: [[Double]]]]
    let m = try XCTUnwrap(events?["tb/m"])
    /// TensorBoard keeps scalars as float32.
    func assertScalars(_ got: [[Double]]?, _ expected: [[Double]], _ tag: String, line: UInt = #line) {
      XCTAssertEqual(got?.map { $0[0] }, expected.map { $0[0] }, "\(tag) steps", line: line)
      for (g, e) in zip(got ?? [], expected) { XCTAssertEqual(g[1], e[1], accuracy: abs(e[1]) * 1e-6, tag, line: line) }
    }
    assertScalars(m["train/loss"], [[1, 4.25], [2, 4]], "train/loss")
    assertScalars(m["train/lr"], [[1, 0.002], [2, 0.001]], "train/lr")
    assertScalars(m["train/chars_per_s"], [[1, 12000], [2, 13000]], "train/chars_per_s")
    assertScalars(m["validation/bits_per_char"], [[2, 5.4101]], "validation/bits_per_char")
    XCTAssertEqual(
      Set(m.keys),
      [
        "train/loss", "train/bits_per_char", "train/lr", "train/grad_norm", "train/chars_per_s", "validation/loss",
        "validation/bits_per_char",
      ])
    assertScalars(events?["tb/m2"]?["train/grad_norm"], [[1, 2]], "m2 train/grad_norm")
  }
}
