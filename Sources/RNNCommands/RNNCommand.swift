import ArgumentParser
import Foundation
import RNNInterpreter
import RNNServe
import RNNShell

/// The `rnn` command line: runs scripts (`rnn FILE.rnn …`, `rnn -e '…'`, a script on stdin),
/// checks them (`--check`), and hosts the `demo` and `bench` subcommands. With no arguments on a
/// terminal (or with `--interactive`) it starts the REPL.
public struct RNNCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "rnn",
    abstract: "A playground for recurrent language models (vanilla RNN, LSTM, GRU).",
    discussion: """
      Runs scripts of the rnn command language (see docs/commands.md, or `rnn -e help`), in order, in \
      one session; stops at the first error with a non-zero exit status unless --keep-going. Each \
      script is parsed and checked whole before any of it runs: one with errors (unknown commands, \
      options or names) runs nothing and exits with status 64. A script \
      is also read from standard input when it is not a terminal. Scripts may start with \
      `#!/usr/bin/env rnn`. Set RNN_STEPS_SCALE=0.1 to run every `train` with a tenth of its steps.
      """,
    version: RNNVersion.string,
    subcommands: [DemoCommand.self, BenchCommand.self, ServeCommand.self]
  )

  @Argument(help: "Script files to run in order ('-' reads standard input).")
  var files: [String] = []

  @Option(
    name: .customShort("e"),
    help: ArgumentHelp("Run these statements (may be repeated).", valueName: "statements"))
  var statements: [String] = []

  @Flag(help: "Parse and check the scripts without running them; report every error.")
  var check = false

  @Flag(help: "After an error, report it and continue with the next statement.")
  var keepGoing = false

  @Option(
    help: ArgumentHelp(
      "Colour messages: auto (a terminal, unless NO_COLOR or TERM=dumb), always, never.",
      valueName: "when"))
  var color: ColorMode = .auto

  @Flag(help: "Print each statement (as `rnn> …`) before it runs, in scripts.")
  var echo = false

  @Flag(
    name: [.customShort("i"), .long],
    help: "Start the interactive shell even when standard input is not a terminal.")
  var interactive = false

  public init() {}

  public mutating func run() throws {
    let runner = ScriptRunner(keepGoing: keepGoing, color: color, echo: echo)
    var sources: [ScriptSource] = files.map { $0 == "-" ? .standardInput : .file($0) }
    sources += statements.enumerated().map { .text(name: "<-e \($0.offset + 1)>", $0.element) }
    if sources.isEmpty && !check {
      if interactive || isatty(STDIN_FILENO) == 1 {
        let settings: InterpreterSettings
        switch ScriptRunner.settingsFromEnvironment(color: color) {
        case .success(let s): settings = s
        case .failure(let e):
          FileHandle.standardError.write(Data("rnn: error: \(e.message)\n".utf8))
          throw ExitCode(1)
        }
        // `serve` at the prompt starts the web server on this session (docs/serve.md).
        let status = Shell.run(settings: settings, color: color, version: RNNVersion.string, host: ServeController())
        if status != 0 { throw ExitCode(status) }
        return
      }
      sources = [.standardInput]
    } else if sources.isEmpty {
      sources = [.standardInput]
    }
    let status = check ? runner.check(sources) : runner.run(sources)
    if status != 0 { throw ExitCode(status) }
  }
}

/// The version printed by `rnn --version`.
public enum RNNVersion {
  public static let string = "0.1.0"
}

extension ColorMode: ExpressibleByArgument {}
