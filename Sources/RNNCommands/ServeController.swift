import Foundation
import RNNInterpreter
import RNNLanguage
import RNNServe
import RNNShell

/// Shares the REPL's session with the web server: `serve` typed at the prompt (or `rnn serve`)
/// starts it; REPL input and API requests then take turns with the one interpreter
/// (``SessionHost``). `rnn serve script.rnn` runs the scripts first; when standard input is not a
/// terminal the server keeps serving after the input ends, until Ctrl-C or SIGTERM.
final class ServeController: ShellHost {
  /// What `rnn serve` asked for.
  struct Options: Sendable {
    var address = "127.0.0.1"
    var port: UInt16 = 8750
    /// Start serving before the first prompt (`rnn serve`), rather than on `serve`.
    var startNow = false
    /// Scripts to run before the first prompt.
    var scripts: [SourceFile] = []

    init() {}
  }

  private(set) var options: Options
  private var host: SessionHost?
  private var server: WebServer?
  /// Whether the scripts failed (the exit status then is 1).
  private var scriptFailed = false

  init(options: Options = Options()) { self.options = options }

  func sink(around console: ConsoleSink) -> any OutputSink {
    let host = SessionHost(console: console)
    self.host = host
    return host.interpreterSink
  }

  func attach(_ repl: REPL) {
    guard let host else { return }
    host.adopt(repl.interpreter)
    repl.aroundStatement = { text, run in host.replTurn(text, run) }
    repl.interpreter.serveHandler = { [unowned self] request, output in self.serve(request, output: output) }
    if options.startNow, let failure = start(console: host.console) {
      host.console.emit(.error("error: serve: \(failure)\n"))
    }
    for script in options.scripts {
      let outcome = host.turn(script.name, source: "script", patience: nil, route: host.console) { $0.run(script) }
      if outcome?.succeeded == false { scriptFailed = true }
    }
  }

  func detach(status: Int32, interactive: Bool) -> Int32 {
    if let server, !interactive, status == 0 {
      host?.console.emit(.line("serving \(server.url) until Ctrl-C or SIGTERM"))
      InterruptSignal.reset()
      while !InterruptSignal.isSet && !InterruptSignal.isTerminationRequested { usleep(100_000) }
    }
    server?.stop()
    return status == 0 && scriptFailed ? 1 : status
  }

  /// `serve [port N] [host "H"]` and `serve stop`, parsed and checked by the interpreter (the
  /// command table's `serve`); says what it did on `output`, returns why it could not, or nil.
  func serve(_ request: ServeRequest, output: any OutputSink) -> String? {
    if request.stop {
      guard let server else { return "not serving (start with: serve)" }
      server.stop()
      self.server = nil
      output.emit(.line("stopped serving \(server.url)"))
      return nil
    }
    if let port = request.port { options.port = port }
    if let address = request.host { options.address = address }
    return start(console: output)
  }

  /// Starts serving; why it could not, or nil.
  @discardableResult
  private func start(console: any OutputSink) -> String? {
    guard let host else { return "serve needs the REPL's session" }
    if let server {
      console.emit(.line("already serving \(server.url)"))
      return nil
    }
    let server = WebServer(host: host, address: options.address)
    do {
      try server.start(port: options.port)
    } catch {
      return "\(error)"
    }
    self.server = server
    console.emit(.line("serving the session at \(server.url)"))
    if !WebServer.isLoopback(options.address) {
      console.emit(.warning("listening on \(options.address): every request needs the token"))
    }
    return nil
  }
}
