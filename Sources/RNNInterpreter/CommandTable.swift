/// The one table of commands. Every command is declared once (in `Commands/`, next to the
/// function that runs it) and listed here; validation, `help`, completion and the command
/// reference (`docs/commands.md`) are all derived from it.
public enum CommandTable {
  /// Every command, in the order `help` lists them.
  public static let all: [CommandSpec] = [
    corpus, tokens, rnn, lstm, gru, load,
    train, sample, eval, save, checkpoints,
    plot, activations, predict, cells, saturation, gradients,
    classifier, fit, classify, generator, tagger, tag, seq2seq, translate,
    show, history, list, drop, set, print, serve, help,
  ]

  /// The command called `name` (or with that alias).
  public static func spec(named name: String) -> CommandSpec? {
    all.first { $0.name == name || $0.aliases.contains(name) }
  }

  /// Every command name and alias (for "did you mean" and completion).
  public static var allNames: [String] { all.flatMap { [$0.name] + $0.aliases } }
}
