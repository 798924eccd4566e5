import Foundation
import RNNInterpreter

/// Starts the interactive shell: picks the line reader (readline when standard input is a
/// terminal, plain lines otherwise), the console (progress bar when standard error is a terminal,
/// plain periodic log lines otherwise; colour per ``ColorMode``), loads the history, installs the
/// Ctrl-C and SIGTERM handlers, prints the banner and runs the ``REPL``.
public enum Shell {
  /// Runs the REPL until the user leaves; returns the exit status. A `host` (the web server) may
  /// route the interpreter's output, install hooks on the REPL and keep running after it ends.
  public static func run(
    settings: InterpreterSettings, color: ColorMode, version: String,
    environment: [String: String] = ProcessInfo.processInfo.environment, host: (any ShellHost)? = nil
  ) -> Int32 {
    let stdinIsTerminal = Terminal.isTerminal(0)
    let style = Style(enabled: color.enabled(fd: 2, environment: environment))
    let console = ConsoleSink(
      style: style, progress: Terminal.isTerminal(2) ? .bar : .log(every: 10))
    let interpreter = Interpreter(
      sink: host?.sink(around: console) ?? console, fileSystem: LocalFileSystem(), settings: settings)
    InterruptSignal.install()
    let history = History(path: History.defaultPath(environment: environment))
    let reader: any LineReader =
      stdinIsTerminal
      ? ReadlineLineReader(historyCapacity: history.capacity)
      : PlainLineReader(fd: 0, showsPrompt: false)
    let repl = REPL(interpreter: interpreter, reader: reader, history: history)
    if style.enabled {
      // \u{1}…\u{2} tell readline the escape codes take no columns.
      repl.prompt = "\u{1}\u{1B}[1;36m\u{2}rnn>\u{1}\u{1B}[0m\u{2} "
      repl.continuationPrompt = "\u{1}\u{1B}[2m\u{2}...>\u{1}\u{1B}[0m\u{2} "
    }
    repl.beforePrompt = { console.finishProgress() }
    repl.stopRequested = { InterruptSignal.isSet }
    repl.resetStop = { InterruptSignal.reset() }
    repl.setBusy = { InterruptSignal.isBusy = $0 }
    repl.terminationRequested = { InterruptSignal.isTerminationRequested }
    if stdinIsTerminal { Terminal.write(style.dim(REPL.banner(version: version)) + "\n", to: 2) }
    host?.attach(repl)
    let status = repl.run()
    return host?.detach(status: status, interactive: stdinIsTerminal) ?? status
  }
}

/// Something that shares the REPL's session with another front end (``Shell/run(settings:color:version:environment:host:)``).
public protocol ShellHost: AnyObject {
  /// The sink the interpreter writes to, given the console's (a host routes output through it).
  func sink(around console: ConsoleSink) -> any OutputSink
  /// Called with the REPL before its first prompt: the host installs its hooks.
  func attach(_ repl: REPL)
  /// Called when the REPL has ended with `status`; returns the exit status (a host may keep
  /// serving first, when standard input was not a terminal).
  func detach(status: Int32, interactive: Bool) -> Int32
}

/// Batch runs (`rnn FILE.rnn`, piped standard input, `-e`) through the same interpreter, with the
/// console's colours and plain periodic progress lines (never a bar), and `--echo`.
public struct BatchRunner {
  /// Colour mode for messages.
  public var color: ColorMode
  /// Print each statement before it runs.
  public var echo: Bool
  /// Continue after errors.
  public var keepGoing: Bool

  /// Creates a runner.
  public init(color: ColorMode, echo: Bool, keepGoing: Bool) {
    self.color = color
    self.echo = echo
    self.keepGoing = keepGoing
  }

  /// The console a batch run prints through.
  public func makeConsole(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> ConsoleSink
  {
    ConsoleSink(
      style: Style(enabled: color.enabled(fd: 2, environment: environment)),
      progress: Terminal.isTerminal(2) ? .none : .log(every: 10))
  }

  /// Echoes a statement (`rnn> …`, continuation lines `...> …`) on standard output.
  public static func echoLine(_ text: String, to sink: any OutputSink) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, line) in lines.enumerated() { sink.emit(.line((i == 0 ? "rnn> " : "...> ") + line)) }
  }
}
