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
    repl.hostCommand = { [unowned self] text in self.command(text, console: host.console) }
    if options.startNow { start(console: host.console) }
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

  /// `serve [port N] [host H]` and `serve stop` at the prompt; false for anything else.
  func command(_ text: String, console: any OutputSink) -> Bool {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard words.first == "serve", repl(words) else { return false }
    if words.count == 2 && words[1] == "stop" {
      server?.stop()
      server = nil
      console.emit(.line("stopped serving"))
      return true
    }
    var i = 1
    while i + 1 < words.count {
      switch words[i] {
      case "port":
        guard let port = UInt16(words[i + 1]) else {
          console.emit(.error("error: serve: port must be a number from 0 to 65535, got '\(words[i + 1])'\n"))
          return true
        }
        options.port = port
      case "host": options.address = words[i + 1]
      default:
        console.emit(.error("error: serve: unknown option '\(words[i])' (serve [port N] [host ADDRESS], or serve stop)\n"))
        return true
      }
      i += 2
    }
    if i < words.count {
      console.emit(.error("error: serve: '\(words[i])' needs a value (serve [port N] [host ADDRESS], or serve stop)\n"))
      return true
    }
    start(console: console)
    return true
  }

  /// Whether the words are a `serve` command (not `serve = …` or a session object named serve).
  private func repl(_ words: [String]) -> Bool { words.count < 2 || words[1] != "=" }

  private func start(console: any OutputSink) {
    guard let host else { return }
    if let server {
      console.emit(.line("already serving \(server.url)"))
      return
    }
    let server = WebServer(host: host, address: options.address)
    do {
      try server.start(port: options.port)
    } catch {
      console.emit(.error("error: serve: \(error)\n"))
      return
    }
    self.server = server
    console.emit(.line("serving the session at \(server.url)"))
    if !WebServer.isLoopback(options.address) {
      console.emit(.warning("listening on \(options.address): every request needs the token"))
    }
  }
}
