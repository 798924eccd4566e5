import RNNLanguage

/// A command call after validation: every argument converted to its parameter's type and checked
/// against its range, every named object found in the session. Commands read their arguments
/// here; nothing in it can fail any more except lookups the command table did not declare.
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

  /// A whole-number parameter.
  public func int(_ name: String) -> Int? {
    if case .number(let v, _)? = value(name) { return Int(v) }
    return nil
  }

  /// A numeric parameter.
  public func double(_ name: String) -> Double? {
    if case .number(let v, _)? = value(name) { return v }
    return nil
  }

  /// A numeric parameter as `Float`.
  public func float(_ name: String) -> Float? { double(name).map { Float($0) } }

  /// A string, choice or name parameter.
  public func string(_ name: String) -> String? {
    switch value(name) {
    case .string(let s)?, .name(let s)?: return s
    default: return nil
    }
  }

  /// A string-or-list-of-strings parameter.
  public func strings(_ name: String) -> [String] {
    switch value(name) {
    case .string(let s)?: return [s]
    case .list(let items)?:
      return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    default: return []
    }
  }

  /// A boolean parameter.
  public func bool(_ name: String) -> Bool? {
    if case .bool(let b)? = value(name) { return b }
    return nil
  }

  /// A duration parameter, in seconds.
  public func duration(_ name: String) -> Double? {
    if case .duration(let s)? = value(name) { return s }
    return nil
  }

  /// The names given to a variadic positional.
  public func names(_ name: String) -> [String] {
    switch values[name] {
    case .name(let n)?: return [n]
    case .list(let items)?: return items.compactMap { if case .name(let n) = $0 { n } else { nil } }
    default: return []
    }
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
