import ArgumentParser
import Foundation
import RNNInterpreter
import RNNServe
import RNNShell

/// `rnn serve [--port N] [--host H] [FILE.rnn …]`: runs the scripts, then serves the session (the
/// page and the JSON API, docs/serve.md) while the REPL reads standard input; with standard input
/// not a terminal it keeps serving after the input ends, until Ctrl-C or SIGTERM.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the session in a browser (a live page and a JSON API) while the REPL runs.",
    discussion: """
      Prints the page's address with a random token. Listens on 127.0.0.1 unless --host says otherwise; \
      any other address makes every request need the token. See docs/serve.md.
      """)

  @Argument(help: "Scripts to run first, in the served session.")
  var files: [String] = []

  @Option(help: "The port to listen on (0: any free port).")
  var port: UInt16 = 8750

  @Option(help: "The address to listen on (127.0.0.1; 0.0.0.0 for every interface, token required).")
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("Colour messages: auto, always, never.", valueName: "when"))
  var color: ColorMode = .auto

  mutating func run() throws {
    let settings: InterpreterSettings
    switch ScriptRunner.settingsFromEnvironment(color: color) {
    case .success(let s): settings = s
    case .failure(let e):
      FileHandle.standardError.write(Data("rnn: error: \(e.message)\n".utf8))
      throw ExitCode(1)
    }
    var options = ServeController.Options()
    options.address = host
    options.port = port
    options.startNow = true
    for file in files {
      switch ScriptSource.file(file).load() {
      case .success(let source): options.scripts.append(source)
      case .failure(let e):
        FileHandle.standardError.write(Data("rnn: error: \(e.message)\n".utf8))
        throw ExitCode(1)
      }
    }
    let status = Shell.run(
      settings: settings, color: color, version: RNNVersion.string, host: ServeController(options: options))
    if status != 0 { throw ExitCode(status) }
  }
}
