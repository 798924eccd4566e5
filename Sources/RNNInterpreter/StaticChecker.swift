import RNNLanguage

/// The checks `rnn --check` can make without running anything: known commands, known options,
/// literal values in range, values bound to names that a command cannot bind.
enum StaticChecker {
  /// Appends the errors found in `statement` (and its blocks) to `errors`.
  static func check(
    _ statement: Statement, loopVariables: [String] = [], into errors: inout [InterpreterError]
  ) {
    switch statement.kind {
    case .command(let command):
      check(command, target: nil, loopVariables: loopVariables, into: &errors)
    case .assignment(let target, let command):
      check(command, target: target, loopVariables: loopVariables, into: &errors)
    case .forLoop(let variable, _, let body):
      for inner in body.statements {
        check(inner, loopVariables: loopVariables + [variable.name], into: &errors)
      }
    case .repeatLoop(_, let body):
      for inner in body.statements { check(inner, loopVariables: loopVariables, into: &errors) }
    }
  }

  private static func check(
    _ command: Command, target: Identifier?, loopVariables: [String],
    into errors: inout [InterpreterError]
  ) {
    guard let spec = CommandTable.spec(named: command.name.name) else {
      errors.append(
        InterpreterError(
          "unknown command '\(command.name.name)'", at: command.name.range,
          suggestion: Suggestions.didYouMean(command.name.name, among: CommandTable.allNames)))
      return
    }
    if let target, !spec.producesValue {
      errors.append(
        InterpreterError(
          "'\(spec.name)' produces no value to bind to '\(target.name)'", at: target.range))
    }
    var scope: [String: Value] = [:]
    for name in loopVariables { scope[name] = .name(name) }
    var binder = ArgumentBinder(spec: spec, command: command, session: Session(), scopes: [scope])
    binder.isStatic = true
    do {
      _ = try binder.bind(target: target?.name)
    } catch {
      errors.append(error)
    }
  }
}
