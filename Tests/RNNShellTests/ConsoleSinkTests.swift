import Foundation
import RNNInterpreter
import RNNShell
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The console: progress bar erased before other output, plain log lines, colour rules.
final class ConsoleSinkTests: XCTestCase {
  /// Runs `body` with a sink writing to pipes; returns (stdout, stderr).
  func capture(
    _ progress: ConsoleSink.ProgressDisplay, colour: Bool = false, _ body: (ConsoleSink) -> Void
  )
    -> (String, String)
  {
    let out = Pipe()
    let err = Pipe()
    let sink = ConsoleSink(
      style: Style(enabled: colour), progress: progress,
      out: out.fileHandleForWriting.fileDescriptor, err: err.fileHandleForWriting.fileDescriptor)
    sink.minimumRedrawInterval = 0
    body(sink)
    try? out.fileHandleForWriting.close()
    try? err.fileHandleForWriting.close()
    return (
      String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
      String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    )
  }

  func event(done: Int, elapsed: Double) -> OutputEvent {
    .progress(
      ProgressEvent(
        activity: .training, model: "m", done: done, total: 100, step: 500 + done, loss: 2.0,
        elapsed: elapsed, charactersPerSecond: 41_200))
  }

  func testBarIsDrawnInPlaceAndErasedBeforeOtherOutput() {
    let (out, err) = capture(.bar) { sink in
      sink.emit(event(done: 1, elapsed: 0.1))
      sink.emit(event(done: 50, elapsed: 5))
      sink.emit(.warning("careful"))
      sink.emit(.line("done"))
    }
    XCTAssertEqual(out, "done\n")
    XCTAssertTrue(err.hasPrefix("\rtrain m  "), err)
    XCTAssertTrue(
      err.contains("50/100  step 550  loss 2.0000 (2.885 bpc)  41.2k chars/s  ETA 5s"), err)
    XCTAssertTrue(err.hasSuffix("\r\u{1B}[Kwarning: careful\n"), err)
  }

  func testLogModePrintsPlainLinesEverySoOften() {
    let (out, err) = capture(.log(every: 10)) { sink in
      for i in 1...100 { sink.emit(event(done: i, elapsed: Double(i) * 0.25)) }
    }
    XCTAssertEqual(out, "")
    let lines = err.split(separator: "\n")
    XCTAssertEqual(lines.count, 2, err)
    XCTAssertEqual(
      lines[0], "m: train step 540 (40/100), loss 2.0000 (2.885 bpc), 41.2k chars/s, ETA 15s")
    XCTAssertFalse(err.contains("\u{1B}"))
  }

  func testEvaluationProgressHasThousandsSeparators() {
    let eval = ProgressEvent(
      activity: .evaluating, model: "m", done: 13_056, total: 49_663, step: 1400, loss: nil,
      elapsed: 2, charactersPerSecond: 6_528)
    XCTAssertEqual(
      ProgressFormatter.logLine(eval), "m: eval 13,056/49,663 chars, 6.5k chars/s, ETA 6s")
    XCTAssertTrue(ProgressFormatter.bar(eval, width: 120).contains("13,056/49,663 chars"))
  }

  func testSamplesStreamAndNothingIsColouredWithColourOff() {
    let (out, err) = capture(.none) { sink in
      sink.emit(.sampleBegan(model: "m", prime: "RO"))
      for c in ["M", "E", "O"] { sink.emit(.sampleCharacter(c)) }
      sink.emit(.sampleEnded)
      sink.emit(.error("<input>:1:1: error: bad\nx\n^\n"))
      sink.emit(event(done: 1, elapsed: 1))
    }
    XCTAssertEqual(out, "ROMEO\n")
    XCTAssertEqual(err, "<input>:1:1: error: bad\nx\n^\n")
  }

  func testColouredDiagnostics() {
    let (_, err) = capture(.none, colour: true) { sink in
      sink.emit(.error("<input>:1:5: error: bad\nshow x\n     ^\nnote: try this\n"))
    }
    XCTAssertTrue(err.contains("\u{1B}[1;31merror:\u{1B}[0m"), err)
    XCTAssertTrue(err.contains("\u{1B}[1;32m     ^\u{1B}[0m"), err)
  }

  func testColourModeRespectsNoColorAndDumbTerminals() {
    XCTAssertTrue(ColorMode.always.enabled(fd: -1, environment: ["NO_COLOR": "1"]))
    XCTAssertFalse(ColorMode.never.enabled(fd: 2, environment: [:]))
    XCTAssertFalse(ColorMode.auto.enabled(fd: -1, environment: [:]), "not a terminal")
    var master: Int32 = 0
    var slave: Int32 = 0
    guard openpty(&master, &slave, nil, nil, nil) == 0 else { return XCTFail("openpty") }
    defer {
      close(master)
      close(slave)
    }
    XCTAssertTrue(ColorMode.auto.enabled(fd: slave, environment: ["TERM": "xterm"]))
    XCTAssertFalse(
      ColorMode.auto.enabled(fd: slave, environment: ["TERM": "xterm", "NO_COLOR": "1"]))
    XCTAssertFalse(ColorMode.auto.enabled(fd: slave, environment: ["TERM": "dumb"]))
  }

  func testPlainReaderReadsLinesAndTheLastUnterminatedOne() {
    let pipe = Pipe()
    pipe.fileHandleForWriting.write(Data("print 1\r\nprint 2\nlast".utf8))
    try? pipe.fileHandleForWriting.close()
    let reader = PlainLineReader(fd: pipe.fileHandleForReading.fileDescriptor)
    XCTAssertEqual(reader.readLine(prompt: "rnn> "), .line("print 1"))
    XCTAssertEqual(reader.readLine(prompt: "rnn> "), .line("print 2"))
    XCTAssertEqual(reader.readLine(prompt: "rnn> "), .line("last"))
    XCTAssertEqual(reader.readLine(prompt: "rnn> "), .endOfInput)
  }
}
