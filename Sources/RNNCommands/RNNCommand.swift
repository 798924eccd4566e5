import ArgumentParser

/// The `rnn` command line.
public struct RNNCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "rnn",
    abstract: "A playground for recurrent language models (vanilla RNN, LSTM, GRU).",
    version: RNNVersion.string,
    subcommands: [DemoCommand.self, BenchCommand.self]
  )
  public init() {}
}

/// The version printed by `rnn --version`.
public enum RNNVersion {
  public static let string = "0.1.0"
}
