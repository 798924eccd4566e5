import ArgumentParser
import Foundation
import RNNShell

/// `rnn demo`: runs the demo script, `scripts/shakespeare.rnn`, through the interpreter exactly as
/// `rnn scripts/shakespeare.rnn` (and `bash scripts/run.sh`) do: an LSTM trained on the bundled
/// Shakespeare tragedies, samples before and after, the loss falling as it trains. There is no
/// separate training path: what the demo shows is what a script does.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the demo script: an LSTM learns Shakespeare in about a minute (scripts/shakespeare.rnn).",
    discussion: """
      The same as `rnn scripts/shakespeare.rnn`, run from the repository root (the script reads \
      corpora/shakespeare-tragedies.txt and writes checkpoints/shakespeare.safetensors). \
      RNN_STEPS_SCALE=0.1 trains a tenth of the steps.
      """)

  @Option(help: "The script to run.")
  var script: String = "scripts/shakespeare.rnn"

  @Option(
    help: ArgumentHelp(
      "Colour messages: auto (a terminal, unless NO_COLOR or TERM=dumb), always, never.",
      valueName: "when"))
  var color: ColorMode = .auto

  func run() throws {
    guard FileManager.default.fileExists(atPath: script) else {
      throw ValidationError(
        "no \(script) here: run `rnn demo` from the repository root (or give --script PATH)")
    }
    let status = ScriptRunner(keepGoing: false, color: color).run([.file(script)])
    if status != 0 { throw ExitCode(status) }
  }
}
