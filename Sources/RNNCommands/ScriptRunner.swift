import Foundation
import RNNInterpreter
import RNNLanguage
import RNNShell

/// Runs or checks scripts for the command line, in one session, printing through the shell's
/// ``ConsoleSink`` (no progress bar; colour per `--color`). Returns exit statuses: 0 success,
/// 1 an error while running, 64 a source rejected before it ran (parse errors, unknown commands,
/// options or names: every one reported, nothing of that source run), 130 interrupted.
struct ScriptRunner {
  /// The exit status of a source with errors found before it ran (BSD's `EX_USAGE`).
  static let rejectedStatus: Int32 = 64

  var keepGoing: Bool
  /// When to colour errors and warnings.
  var color: ColorMode = .auto
  /// Print each statement before it runs (`--echo`).
  var echo = false

  private var batch: BatchRunner { BatchRunner(color: color, echo: echo, keepGoing: keepGoing) }

  /// Runs every source in order; stops at the first failing one unless `keepGoing`.
  func run(_ sources: [ScriptSource]) -> Int32 {
    let sink = batch.makeConsole()
    let settings: InterpreterSettings
    switch Self.settingsFromEnvironment(color: color) {
    case .success(let s): settings = s
    case .failure(let e):
      sink.emit(.error("rnn: error: \(e.message)\n"))
      return 1
    }
    let interpreter = Interpreter(sink: sink, fileSystem: LocalFileSystem(), settings: settings)
    // A script is always running a statement: the first Ctrl-C or SIGTERM stops it at a step
    // boundary (and the script there, status 130); a second one exits at once.
    InterruptSignal.install()
    InterruptSignal.isBusy = true
    interpreter.shouldStop = { InterruptSignal.isSet }
    let loaded = sources.map { $0.load() }  // once: a source may be standard input
    if !keepGoing, loaded.count > 1, let status = rejectBeforeRunning(loaded, sink: sink) { return status }
    var failed = false
    for source in loaded {
      let file: SourceFile
      switch source {
      case .success(let f): file = f
      case .failure(let e):
        sink.emit(.error("rnn: error: \(e.message)\n"))
        failed = true
        if keepGoing { continue } else { return 1 }
      }
      let outcome = StatementRunner.run(
        file, with: interpreter, keepGoing: keepGoing,
        echo: echo ? { BatchRunner.echoLine($0, to: sink) } : nil)
      if outcome.interrupted { return 130 }
      if !outcome.succeeded {
        failed = true
        if !keepGoing { return outcome.rejected ? Self.rejectedStatus : 1 }
      }
    }
    return failed ? 1 : 0
  }

  /// Several sources (files, `-e` statements) run in one session, so they are checked together
  /// before the first one runs: an error in any of them is reported (every one) and nothing runs.
  /// Returns the exit status then (64, or 1 for a source that could not be read), nil when every
  /// source may run.
  private func rejectBeforeRunning(_ loaded: [Result<SourceFile, ScriptLoadError>], sink: ConsoleSink) -> Int32? {
    let found = checkAll(loaded, sink: sink)
    if found.unreadable > 0 { return 1 }
    return found.errors == 0 ? nil : Self.rejectedStatus
  }

  /// Parses and statically checks every source, reporting every error; 64 when there are any.
  func check(_ sources: [ScriptSource]) -> Int32 {
    let sink = batch.makeConsole()
    let found = checkAll(sources.map { $0.load() }, sink: sink)
    let errors = found.errors + found.unreadable
    if errors > 0 { sink.emit(.line("\(errors) error\(errors == 1 ? "" : "s") found")) }
    return errors == 0 ? 0 : Self.rejectedStatus
  }

  /// Statically checks the sources in order, names carrying from one to the next (they run in one
  /// session), printing every error and every source that could not be read; counts both.
  private func checkAll(_ loaded: [Result<SourceFile, ScriptLoadError>], sink: ConsoleSink) -> (errors: Int, unreadable: Int) {
    var errors = 0, unreadable = 0
    var names = StaticNames()
    for source in loaded {
      switch source {
      case .success(let file):
        let diagnostics = Interpreter.check(file, names: &names)
        let renderer = DiagnosticRenderer(file: file)
        for d in diagnostics { sink.emit(.error(renderer.render(d))) }
        errors += diagnostics.count
      case .failure(let e):
        sink.emit(.error("rnn: error: \(e.message)\n"))
        unreadable += 1
      }
    }
    return (errors, unreadable)
  }

  /// Settings from the environment (`RNN_STEPS_SCALE`, `RNN_NO_TIMINGS`, `COLUMNS`) and the
  /// `--color` mode (colour in results such as `activations` only when standard output gets it).
  static func settingsFromEnvironment(color: ColorMode) -> Result<InterpreterSettings, ScriptLoadError> {
    var settings = InterpreterSettings()
    settings.colour = color.enabled(fd: 1, environment: ProcessInfo.processInfo.environment)
    if let text = ProcessInfo.processInfo.environment["RNN_STEPS_SCALE"], !text.isEmpty {
      guard let scale = Double(text), scale > 0, scale <= 1000 else {
        return .failure(
          ScriptLoadError(message: "RNN_STEPS_SCALE must be a number in (0, 1000], got '\(text)'"))
      }
      settings.stepsScale = scale
    }
    if ProcessInfo.processInfo.environment["RNN_NO_TIMINGS"] == "1" { settings.showTimings = false }
    // Charts and wrapped text fill the terminal: $COLUMNS, else TIOCGWINSZ on stdout, else 80.
    if let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? ""), columns >= 20 {
      settings.terminalWidth = columns
    } else if Terminal.isTerminal(1) {
      settings.terminalWidth = Terminal.columns(1)
    }
    return .success(settings)
  }
}
