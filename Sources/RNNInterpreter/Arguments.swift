import RNNLanguage

/// A validated call as its command reads it: `arguments[\.steps]` is the `steps` option as an
/// `Int` (given, else `set`, else the table default), through the keys of the command's
/// parameter struct `P`.
struct Arguments<P: CommandParameters> {
  /// The call, with its values by parameter name.
  let invocation: Invocation
  /// The command's keys.
  let keys = P()

  /// The parameter's value (see ``ParameterKey``: a default or an absent value when not given).
  subscript<T>(_ key: KeyPath<P, ParameterKey<T>>) -> T {
    keys[keyPath: key].read(from: invocation)
  }

  /// The value written in the call itself, ignoring `set` and the table default.
  func given<T>(_ key: KeyPath<P, ParameterKey<T>>) -> T? {
    invocation.values[keys[keyPath: key].name].flatMap(T.init(argument:))
  }

  /// The value written in the call, else `last` (what the model used before), else the usual
  /// reading (`set`, then the table default).
  func value<T>(_ key: KeyPath<P, ParameterKey<T>>, orLast last: T?) -> T {
    given(key) ?? last ?? self[key]
  }

  /// Whether the parameter was written in the call.
  func has(_ key: PartialKeyPath<P>) -> Bool { invocation.has(name(of: key)) }

  /// The parameter's name, for messages (`option 'decay' needs a schedule`).
  func name(of key: PartialKeyPath<P>) -> String {
    (keys[keyPath: key] as? any AnyParameterKey)?.spec.name ?? ""
  }

  /// The command as written.
  var command: Command { invocation.command }
  /// The name the result will be bound to, if any.
  var target: String? { invocation.target }

  /// An error about this call (a runtime failure by default), pointing at the value of `key` or,
  /// without one, at the command name.
  func error(
    _ message: String, at key: PartialKeyPath<P>? = nil, kind: InterpreterError.Kind = .runtime
  ) -> InterpreterError {
    invocation.error(message, at: key.map(name(of:)), kind: kind)
  }
}
