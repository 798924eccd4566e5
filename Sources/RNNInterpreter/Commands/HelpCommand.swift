extension CommandTable {
  /// `help [COMMAND]`
  static let help = CommandSpec(
    "help",
    summary: "List the commands, or explain one with all its options.",
    help:
      "`help` lists every command with a one-line summary; `help train` shows train's usage, options, ranges and defaults.",
    positionals: [.positional("COMMAND", .command, required: false, "The command to explain.")],
    examples: ["help", "help train"],
    action: { interpreter, invocation throws(InterpreterError) in
      let columns = interpreter.settings.terminalWidth
      let text =
        invocation.string("COMMAND").flatMap(CommandTable.spec(named:)).map {
          HelpFormatter.commandHelp($0, columns: columns)
        }
        ?? HelpFormatter.overview(columns: columns)
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        interpreter.say(String(line))
      }
      return nil
    })
}
