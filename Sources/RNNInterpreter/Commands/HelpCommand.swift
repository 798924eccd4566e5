extension CommandTable {
  /// `help [COMMAND]`
  static let help = CommandSpec(
    "help",
    summary: "List the commands, or explain one with all its options.",
    help:
      "`help` lists every command with a one-line summary; `help train` shows train's usage, options, ranges and defaults.",
    parameters: HelpParameters.self,
    examples: ["help", "help train"],
    action: { interpreter, arguments throws(InterpreterError) in
      let columns = interpreter.settings.terminalWidth
      let text =
        arguments[\.command].flatMap(CommandTable.spec(named:)).map {
          HelpFormatter.commandHelp($0, columns: columns)
        }
        ?? HelpFormatter.overview(columns: columns)
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        interpreter.say(String(line))
      }
      return nil
    })
}

/// The parameters of `help`.
struct HelpParameters: CommandParameters {
  let command = ParameterKey<String?>.positional("COMMAND", .command, "The command to explain.")
}
