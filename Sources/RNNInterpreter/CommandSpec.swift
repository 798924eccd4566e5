/// One command of the language, declared once: everything validation, `help`, completion and the
/// command reference need, plus the function that runs it.
public struct CommandSpec: Sendable {
  /// How the command runs once its arguments are validated. Returns the value an assignment binds
  /// (`m = lstm …`), or `nil` for commands that produce none.
  public typealias Action =
    @Sendable (Interpreter, Invocation) throws(InterpreterError) -> SessionObject?

  /// The name (`train`).
  public var name: String
  /// Other spellings (`ls` for `list`).
  public var aliases: [String]
  /// One line for `help`.
  public var summary: String
  /// A paragraph for `help <command>`.
  public var help: String
  /// Positional parameters, in order.
  public var positionals: [ParameterSpec]
  /// Named options, in the order help lists them.
  public var options: [ParameterSpec]
  /// Whether the command produces a value that `name = command …` can bind.
  public var producesValue: Bool
  /// Examples for `help <command>` and the reference.
  public var examples: [String]
  /// Runs the command.
  public var action: Action

  /// The parameter struct the positionals and options were built from.
  let parameters: any CommandParameters

  /// Creates an entry whose parameters are the keys of `P` and whose action reads them typed.
  init<P: CommandParameters>(
    _ name: String, aliases: [String] = [], summary: String, help: String,
    parameters: P.Type, producesValue: Bool = false, examples: [String] = [],
    action:
      @escaping @Sendable (Interpreter, Arguments<P>) throws(InterpreterError) -> SessionObject?
  ) {
    let specs = P().keys.map(\.spec)
    self.name = name
    self.aliases = aliases
    self.summary = summary
    self.help = help
    self.parameters = P()
    self.positionals = specs.filter(\.isPositional)
    self.options = specs.filter { !$0.isPositional }
    self.producesValue = producesValue
    self.examples = examples
    self.action = { interpreter, invocation throws(InterpreterError) in
      try action(interpreter, Arguments(invocation: invocation))
    }
  }

  /// The option called `name`, if any.
  public func option(named name: String) -> ParameterSpec? { options.first { $0.name == name } }

  /// `train MODEL [steps N] …` — the usage line.
  public var usage: String {
    var parts = [name]
    for p in positionals {
      let placeholder = p.isVariadic ? "\(p.name)…" : p.name
      parts.append(p.isRequired ? placeholder : "[\(placeholder)]")
    }
    if !options.isEmpty { parts.append("[options]") }
    return parts.joined(separator: " ")
  }
}
