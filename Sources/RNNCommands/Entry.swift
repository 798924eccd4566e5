import ArgumentParser

/// The executable's entry point. `rnn` takes script files as positional arguments, and
/// ArgumentParser would read a subcommand name (`demo`, `bench`) as a file name; so a first
/// argument that names a subcommand is dispatched to it here, and everything else goes to the
/// root command.
public enum RNNMain {
  public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
    if let first = arguments.first,
      let sub = RNNCommand.configuration.subcommands.first(where: { $0.configuration.commandName == first })
    {
      sub.main(Array(arguments.dropFirst()))
      exit(0)
    }
    RNNCommand.main(arguments)
    exit(0)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
