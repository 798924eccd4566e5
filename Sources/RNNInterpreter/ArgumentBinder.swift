import RNNLanguage

/// Pairs a command's flat argument list with its table entry and checks everything before the
/// command runs: positionals first, then `option value` pairs; unknown options (with "did you
/// mean"), missing values, duplicates, wrong types, out-of-range values, unknown session names.
struct ArgumentBinder {
  let spec: CommandSpec
  let command: Command
  let session: Session
  /// Loop variables in scope, innermost last.
  let scopes: [[String: Value]]
  /// For checking a source before it runs: the names that may be bound at this statement (loop
  /// variables, whose values are unknown, are accepted as anything). `nil`: the live session.
  var staticNames: StaticNames? = nil

  /// The values bound so far, by parameter name, and where each is in the source.
  private struct Bound {
    var values: [String: Value] = [:]
    var ranges: [String: SourceRange] = [:]
  }

  /// Binds and validates every argument.
  func bind(target: String?) throws(InterpreterError) -> Invocation {
    var bound = Bound()
    var i = try bindPositionals(into: &bound)
    while i < command.arguments.count { i = try bindOption(at: i, into: &bound) }
    try checkKinds(bound)
    return Invocation(
      spec: spec, command: command, target: target, values: bound.values, ranges: bound.ranges,
      defaults: session.defaults)
  }

  /// Binds the positionals (required ones take any argument; optional ones stop at an option
  /// name) and checks that every required one is there. Returns the index of the first argument
  /// left for the options.
  private func bindPositionals(into bound: inout Bound) throws(InterpreterError) -> Int {
    let args = command.arguments
    var i = 0
    var positionalIndex = 0
    var variadic: [Value] = []
    while i < args.count && positionalIndex < spec.positionals.count {
      let p = spec.positionals[positionalIndex]
      if let word = args[i].identifier, spec.option(named: word) != nil,
        !p.isRequired || !variadic.isEmpty
      {
        break
      }
      // An optional value (`sample m 300`) never takes a bare word that names nothing: it is a
      // misspelt option (`sample m sed 3`), reported as such by the options.
      if !p.isRequired, let word = args[i].identifier, !isLoopVariable(word),
        !Self.takesNames(p.type)
      {
        break
      }
      let value = try check(resolve(args[i]), for: p, at: args[i].range)
      if p.isVariadic {
        variadic.append(value)
        bound.ranges[p.name] = bound.ranges[p.name].map { $0.union(args[i].range) } ?? args[i].range
        bound.values[p.name] = .list(variadic)
      } else {
        bound.values[p.name] = value
        bound.ranges[p.name] = args[i].range
        positionalIndex += 1
      }
      i += 1
    }
    if let missing = spec.positionals.dropFirst(positionalIndex).first(where: { $0.isRequired }),
      bound.values[missing.name] == nil
    {
      throw InterpreterError(
        "'\(spec.name)' needs \(missing.type.allowed) (\(missing.name)): usage: \(spec.usage)",
        at: command.range)
    }
    return i
  }

  /// Binds the `name value` pair (or bare boolean option) at argument `i`; returns the index of
  /// the next argument.
  private func bindOption(at i: Int, into bound: inout Bound) throws(InterpreterError) -> Int {
    let args = command.arguments
    let arg = args[i]
    guard let word = arg.identifier, !isLoopVariable(word) || spec.option(named: word) != nil
    else {
      throw extraArgument(arg)
    }
    guard let option = spec.option(named: word) else { throw unknownOption(word, at: arg) }
    if bound.values[option.name] != nil {
      throw InterpreterError("option '\(word)' of '\(spec.name)' is given twice", at: arg.range)
    }
    let next = i + 1 < args.count ? args[i + 1] : nil
    if option.type == .bool,
      next == nil || next!.identifier.map({ spec.option(named: $0) != nil }) == true
    {
      bound.values[option.name] = .bool(true)
      bound.ranges[option.name] = arg.range
      return i + 1
    }
    guard let next else {
      throw InterpreterError(
        "option '\(word)' of '\(spec.name)' needs a value: \(option.type.allowed)", at: arg.range)
    }
    bound.values[option.name] = try check(resolve(next), for: option, at: next.range)
    bound.ranges[option.name] = next.range
    return i + 2
  }

  /// A word where an option name should be that names no option (with "did you mean").
  private func unknownOption(_ word: String, at arg: Expression) -> InterpreterError {
    if spec.options.isEmpty { return extraArgument(arg) }
    let suggestion = Suggestions.didYouMean(word, among: spec.options.map(\.name))
    return InterpreterError(
      "unknown option '\(word)' for '\(spec.name)'", at: arg.range, suggestion: suggestion,
      notes: suggestion == nil
        ? ["'\(spec.name)' takes: " + spec.options.map(\.name).joined(separator: ", ")] : [])
  }

  /// An argument after all parameters are filled.
  private func extraArgument(_ arg: Expression) -> InterpreterError {
    let expected =
      spec.options.isEmpty
      ? "'\(spec.name)' takes no more arguments, got \(resolve(arg))"
      : "expected an option name of '\(spec.name)' (\(spec.options.map(\.name).joined(separator: ", ")))"
    return InterpreterError("unexpected argument: \(expected)", at: arg.range)
  }

  /// Whether a parameter of this type is written as a bare name.
  static func takesNames(_ type: ParameterType) -> Bool {
    switch type {
    case .corpus, .model, .anyModel, .modelOrLog, .object, .command, .any, .choice: true
    default: false
    }
  }

  private func isLoopVariable(_ name: String) -> Bool { scopes.contains { $0[name] != nil } }

  /// The value of an expression: literals as they are, loop variables substituted, other names
  /// kept as names.
  func resolve(_ expression: Expression) -> Value { Self.resolve(expression, in: scopes) }

  /// The value of an expression with the loop variables of `scopes` (innermost last).
  static func resolve(_ expression: Expression, in scopes: [[String: Value]]) -> Value {
    switch expression.kind {
    case .number(let n): return .number(n.value, isInteger: n.isInteger)
    case .string(let s): return .string(s)
    case .duration(let d): return .duration(d.seconds)
    case .bool(let b): return .bool(b)
    case .list(let items): return .list(items.map { resolve($0, in: scopes) })
    case .identifier(let name):
      for scope in scopes.reversed() {
        if let v = scope[name] { return v }
      }
      return .name(name)
    }
  }

  /// Converts and range-checks one value for a parameter.
  func check(_ value: Value, for p: ParameterSpec, at range: SourceRange) throws(InterpreterError)
    -> Value
  {
    if let staticNames, case .name(let n) = value {
      if isLoopVariable(n) { return value }
      if [.corpus, .model, .anyModel, .modelOrLog, .object].contains(p.type) {
        do { try staticNames.check(n, is: p.type, at: range) } catch {
          throw named(error, for: p)
        }
        return value
      }
    }
    switch p.type {
    case .choice(let words): return try checkChoice(value, among: words, for: p, at: range)
    case .corpus, .model, .anyModel, .object: return try checkSessionName(value, for: p, at: range)
    case .modelOrLog:
      if case .string = value { return value }
      return try checkSessionName(value, for: p, at: range)
    case .command: return try checkCommandName(value, for: p, at: range)
    case .any: return value
    default:
      guard let checked = Self.literal(value, as: p.type) else {
        throw bad(value, for: p, at: range)
      }
      return checked
    }
  }

  /// A literal of a number, string, boolean or duration type, converted and range-checked, or
  /// `nil` when it does not fit.
  private static func literal(_ value: Value, as type: ParameterType) -> Value? {
    switch (type, value) {
    case (.integer(let r), .number(let v, _)):
      guard v == v.rounded(), v >= Double(r.lowerBound), v <= Double(r.upperBound) else {
        return nil
      }
      return .number(v, isInteger: true)
    case (.real(let r), .number(let v, _)):
      return r.contains(v) ? value : nil
    case (.string, .string), (.strings, .string), (.bool, .bool):
      return value
    case (.strings, .list(let items)):
      return items.allSatisfy({ if case .string = $0 { true } else { false } }) ? value : nil
    case (.duration(let r), .duration(let s)):
      return r.contains(s) ? value : nil
    default:
      return nil
    }
  }

  /// How a parameter is named in messages: `option 'steps' of 'train'`, `MODEL of 'train'`.
  private func what(_ p: ParameterSpec) -> String {
    spec.positionals.contains(p)
      ? "\(p.name) of '\(spec.name)'" : "option '\(p.name)' of '\(spec.name)'"
  }

  /// `option 'steps' of 'train' must be a whole number ≥ 0, got -1`
  private func bad(_ value: Value, for p: ParameterSpec, at range: SourceRange)
    -> InterpreterError
  {
    InterpreterError("\(what(p)) must be \(p.type.allowed), got \(value.description)", at: range)
  }

  /// One of `words`, as a name.
  private func checkChoice(
    _ value: Value, among words: [String], for p: ParameterSpec, at range: SourceRange
  ) throws(InterpreterError) -> Value {
    let word: String
    switch value {
    case .name(let n), .string(let n): word = n
    default: throw bad(value, for: p, at: range)
    }
    guard words.contains(word) else {
      throw InterpreterError(
        "\(what(p)) must be \(p.type.allowed), got '\(word)'", at: range,
        suggestion: Suggestions.didYouMean(word, among: words))
    }
    return .name(word)
  }

  /// The name of a session object of the parameter's kind.
  private func checkSessionName(_ value: Value, for p: ParameterSpec, at range: SourceRange)
    throws(InterpreterError) -> Value
  {
    guard case .name(let name) = value else { throw bad(value, for: p, at: range) }
    do { try session.check(name, is: p.type, at: range) } catch { throw named(error, for: p) }
    return value
  }

  /// The ``ObjectKinds`` of a bound statement, once every value has passed its own checks: each
  /// name positional must be (or, statically, may be) of a kind it takes, reported at the name;
  /// then each given option must be for the kind of the command's object (its first positional
  /// naming an object), reported at the option's value. Loop variables are taken as anything.
  private func checkKinds(_ bound: Bound) throws(InterpreterError) {
    var object: String?
    for p in spec.positionals where [.corpus, .model, .anyModel, .modelOrLog, .object].contains(p.type) {
      guard case .name(let name)? = bound.values[p.name], !isLoopVariable(name) else { continue }
      object = object ?? name
      if let taken = p.objectKinds, let kind = taken.rejected(possibleKinds(name)) {
        throw InterpreterError(taken.message(name, kind: kind, command: spec.name, option: p.name), at: bound.ranges[p.name]!)
      }
    }
    guard let object else { return }
    for option in spec.options where bound.values[option.name] != nil {
      guard let taken = option.objectKinds, let kind = taken.rejected(possibleKinds(object)) else { continue }
      throw InterpreterError(
        taken.message(object, kind: kind, command: spec.name, option: option.name), at: bound.ranges[option.name]!)
    }
  }

  /// The kinds `name` may be: its object's in the live session, or those it may have statically.
  private func possibleKinds(_ name: String) -> Set<String> {
    if let staticNames { return staticNames.kinds[name] ?? [] }
    return session[name].map { [$0.kindName] } ?? []
  }

  /// An unknown-name error for an option says which option (`option 'corpus' of 'train': …`).
  private func named(_ error: InterpreterError, for p: ParameterSpec) -> InterpreterError {
    guard !spec.positionals.contains(p) else { return error }
    var named = error
    named.message = "\(what(p)): \(error.message)"
    return named
  }

  /// The name of a command (`help train`).
  private func checkCommandName(_ value: Value, for p: ParameterSpec, at range: SourceRange)
    throws(InterpreterError) -> Value
  {
    guard case .name(let name) = value else { throw bad(value, for: p, at: range) }
    guard CommandTable.spec(named: name) != nil else {
      throw InterpreterError(
        "unknown command '\(name)'", at: range,
        suggestion: Suggestions.didYouMean(name, among: CommandTable.allNames))
    }
    return value
  }
}
