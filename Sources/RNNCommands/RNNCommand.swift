import ArgumentParser

/// The `rnn` command line. Subcommands arrive with their issues; for now: `bench`.
public struct RNNCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "rnn",
    abstract: "A playground for recurrent language models.",
    version: "0.1.0",
    subcommands: []
  )
  public init() {}
}
