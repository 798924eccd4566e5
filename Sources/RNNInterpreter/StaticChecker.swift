import RNNLanguage

/// The names a source can have bound at a point, as far as can be known without running it: the
/// session's names when the source started, then every `name = command …` before that point
/// (inside blocks and loops too: such a name is possibly defined).
public struct StaticNames: Sendable, Equatable {
  /// For each name, the kinds of object it may be ("corpus", "model", "classifier", "generator",
  /// "tagger", "seq2seq"; "" when the command's result kind is not known statically).
  public var kinds: [String: Set<String>] = [:]

  /// No names.
  public init() {}

  /// The names bound in `session` now, with their kinds.
  public init(session: Session) {
    for name in session.names { kinds[name] = [session[name]!.kindName] }
  }

  /// Records that `name` may be bound by `spec`'s result from here on.
  mutating func define(_ name: String, by spec: CommandSpec) {
    kinds[name, default: []].formUnion(Self.resultKinds(of: spec))
  }

  /// The kinds of object a value-producing command may bind (`load`: any kind a checkpoint holds).
  static func resultKinds(of spec: CommandSpec) -> Set<String> {
    switch spec.name {
    case "corpus": ["corpus"]
    case "rnn", "lstm", "gru": ["model"]
    case "load": ["model", "classifier", "generator", "tagger", "seq2seq"]
    case "classifier": ["classifier"]
    case "seq2seq": ["seq2seq"]
    case "generator": ["generator"]
    case "tagger": ["tagger"]
    default: [""]
    }
  }

  /// Checks that `name` may be bound here to an object a parameter of `type` accepts; the errors
  /// say what the session would say at run time.
  func check(_ name: String, is type: ParameterType, at range: SourceRange) throws(InterpreterError) {
    let wanted: String? =
      switch type {
      case .corpus: "corpus"
      case .model, .anyModel, .modelOrLog: "model"
      default: nil
      }
    let accepted: Set<String> =
      type == .anyModel || type == .modelOrLog ? ["model", "generator", "tagger", "seq2seq"] : Set([wanted].compactMap { $0 })
    guard let possible = kinds[name] else {
      let candidates = kinds.keys.filter { key in
        wanted == nil || !kinds[key]!.isDisjoint(with: accepted) || kinds[key]!.contains("")
      }.sorted()
      let what = wanted ?? "name"
      let plural = what == "corpus" ? "corpora" : what + "s"
      throw InterpreterError(
        "unknown \(what) '\(name)'", at: range,
        suggestion: Suggestions.didYouMean(name, among: candidates),
        notes: candidates.isEmpty ? ["the session has no \(plural) yet"] : [])
    }
    if let wanted, possible.isDisjoint(with: accepted), !possible.contains("") {
      throw InterpreterError("'\(name)' is a \(possible.sorted()[0]), not a \(wanted)", at: range)
    }
  }
}

/// The checks made on a whole source before any of it runs (and by `rnn --check`): known
/// commands, known options, literal values in range, values bound to names that a command cannot
/// bind, and names of corpora and models that no earlier statement (nor the session) defines.
enum StaticChecker {
  /// Appends the errors found in `statement` (and its blocks) to `errors`; records the names it
  /// binds in `names`.
  static func check(
    _ statement: Statement, loopVariables: [String] = [], names: inout StaticNames,
    into errors: inout [InterpreterError]
  ) {
    switch statement.kind {
    case .command(let command):
      check(command, target: nil, loopVariables: loopVariables, names: names, into: &errors)
    case .assignment(let target, let command):
      check(command, target: target, loopVariables: loopVariables, names: names, into: &errors)
      if let spec = CommandTable.spec(named: command.name.name), spec.producesValue {
        names.define(target.name, by: spec)
      }
    case .forLoop(let variable, _, let body):
      // A later pass of a loop sees what an earlier pass bound.
      define(body.statements, in: &names)
      for inner in body.statements {
        check(inner, loopVariables: loopVariables + [variable.name], names: &names, into: &errors)
      }
    case .repeatLoop(_, let body):
      define(body.statements, in: &names)
      for inner in body.statements {
        check(inner, loopVariables: loopVariables, names: &names, into: &errors)
      }
    }
  }

  /// Records every name that `statements` (and their blocks) may bind.
  private static func define(_ statements: [Statement], in names: inout StaticNames) {
    for statement in statements {
      switch statement.kind {
      case .command: break
      case .assignment(let target, let command):
        if let spec = CommandTable.spec(named: command.name.name), spec.producesValue {
          names.define(target.name, by: spec)
        }
      case .forLoop(_, _, let body), .repeatLoop(_, let body): define(body.statements, in: &names)
      }
    }
  }

  private static func check(
    _ command: Command, target: Identifier?, loopVariables: [String], names: StaticNames,
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
    binder.staticNames = names
    do {
      _ = try binder.bind(target: target?.name)
    } catch {
      errors.append(error)
    }
  }
}
