import RNNLanguage

/// A command call after validation: every argument converted to its parameter's type and checked
/// against its range, every named object found in the session. Commands read their arguments
/// through it typed, as ``Arguments`` of their parameter struct.
public struct Invocation: Sendable {
  /// The command's table entry.
  public let spec: CommandSpec
  /// The command as written.
  public let command: Command
  /// The name it will be bound to (`m` in `m = lstm …`), if any.
  public let target: String?
  /// Values given explicitly, by parameter name (positionals under their placeholder name).
  public let values: [String: Value]
  /// Where each given value is in the source.
  public let ranges: [String: SourceRange]
  /// Session defaults set by `set`, at the time of the call.
  public let defaults: [String: Value]

  /// Whether the parameter was written in the call.
  public func has(_ name: String) -> Bool { values[name] != nil }

  /// The explicit value, else the session default (`set`), else the table default.
  public func value(_ name: String) -> Value? {
    if let v = values[name] { return v }
    if let v = defaults[name] { return v }
    return parameter(name)?.defaultValue
  }

  /// The parameter called `name` (option or positional).
  public func parameter(_ name: String) -> ParameterSpec? {
    spec.option(named: name) ?? spec.positionals.first { $0.name == name }
  }

  /// The source range of a parameter's value, or the command's when it was not written.
  public func range(of name: String) -> SourceRange { ranges[name] ?? command.range }

  /// An error about this call (a runtime failure by default), pointing at `parameter`'s value or at
  /// the command name.
  public func error(
    _ message: String, at parameter: String? = nil, kind: InterpreterError.Kind = .runtime
  )
    -> InterpreterError
  {
    InterpreterError(kind, message, at: parameter.map(range(of:)) ?? command.name.range)
  }
}
