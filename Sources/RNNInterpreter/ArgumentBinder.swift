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

  /// Binds and validates every argument.
  func bind(target: String?) throws(InterpreterError) -> Invocation {
    var values: [String: Value] = [:]
    var ranges: [String: SourceRange] = [:]
    let args = command.arguments
    var i = 0
    var positionalIndex = 0
    var variadic: [Value] = []

    // Positionals: required ones take any argument; optional ones stop at an option name.
    while i < args.count && positionalIndex < spec.positionals.count {
      let p = spec.positionals[positionalIndex]
      if let word = args[i].identifier, spec.option(named: word) != nil,
        !p.isRequired || !variadic.isEmpty
      {
        break
      }
      // An optional value (`sample m 300`) never takes a bare word that names nothing: it is a
      // misspelt option (`sample m sed 3`), reported as such below.
      if !p.isRequired, let word = args[i].identifier, !isLoopVariable(word),
        !Self.takesNames(p.type)
      {
        break
      }
      let value = try check(resolve(args[i]), for: p, at: args[i].range)
      if p.isVariadic {
        variadic.append(value)
        ranges[p.name] = ranges[p.name].map { $0.union(args[i].range) } ?? args[i].range
        values[p.name] = .list(variadic)
      } else {
        values[p.name] = value
        ranges[p.name] = args[i].range
        positionalIndex += 1
      }
      i += 1
    }
    if let missing = spec.positionals.dropFirst(positionalIndex).first(where: { $0.isRequired }),
      values[missing.name] == nil
    {
      throw InterpreterError(
        "'\(spec.name)' needs \(missing.type.allowed) (\(missing.name)): usage: \(spec.usage)",
        at: command.range)
    }

    // Options: `name value` pairs.
    while i < args.count {
      let arg = args[i]
      guard let word = arg.identifier, !isLoopVariable(word) || spec.option(named: word) != nil
      else {
        throw extraArgument(arg)
      }
      guard let option = spec.option(named: word) else {
        let suggestion = Suggestions.didYouMean(word, among: spec.options.map(\.name))
        if spec.options.isEmpty { throw extraArgument(arg) }
        throw InterpreterError(
          "unknown option '\(word)' for '\(spec.name)'", at: arg.range, suggestion: suggestion,
          notes: suggestion == nil
            ? ["'\(spec.name)' takes: " + spec.options.map(\.name).joined(separator: ", ")] : [])
      }
      if values[option.name] != nil {
        throw InterpreterError("option '\(word)' of '\(spec.name)' is given twice", at: arg.range)
      }
      let next = i + 1 < args.count ? args[i + 1] : nil
      if option.type == .bool,
        next == nil || next!.identifier.map({ spec.option(named: $0) != nil }) == true
      {
        values[option.name] = .bool(true)
        ranges[option.name] = arg.range
        i += 1
        continue
      }
      guard let next else {
        throw InterpreterError(
          "option '\(word)' of '\(spec.name)' needs a value: \(option.type.allowed)", at: arg.range)
      }
      values[option.name] = try check(resolve(next), for: option, at: next.range)
      ranges[option.name] = next.range
      i += 2
    }
    return Invocation(
      spec: spec, command: command, target: target, values: values, ranges: ranges,
      defaults: session.defaults)
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
    case .corpus, .model, .object, .command, .any, .choice: true
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
      if [.corpus, .model, .object].contains(p.type) {
        do { try staticNames.check(n, is: p.type, at: range) } catch {
          throw named(error, for: p)
        }
        return value
      }
    }
    let what =
      spec.positionals.contains(p)
      ? "\(p.name) of '\(spec.name)'" : "option '\(p.name)' of '\(spec.name)'"
    func bad(_ detail: String? = nil) -> InterpreterError {
      InterpreterError(
        "\(what) must be \(p.type.allowed), got \(detail ?? value.description)", at: range)
    }
    switch p.type {
    case .integer(let r):
      guard case .number(let v, _) = value else { throw bad() }
      guard v == v.rounded(), v >= Double(r.lowerBound), v <= Double(r.upperBound) else {
        throw bad()
      }
      return .number(v, isInteger: true)
    case .real(let r):
      guard case .number(let v, let isInteger) = value, r.contains(v) else { throw bad() }
      return .number(v, isInteger: isInteger)
    case .string:
      guard case .string = value else { throw bad() }
      return value
    case .strings:
      switch value {
      case .string: return value
      case .list(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }):
        return value
      default: throw bad()
      }
    case .bool:
      guard case .bool = value else { throw bad() }
      return value
    case .duration(let r):
      guard case .duration(let s) = value else { throw bad() }
      guard r.contains(s) else { throw bad() }
      return value
    case .choice(let words):
      let word: String
      switch value {
      case .name(let n), .string(let n): word = n
      default: throw bad()
      }
      guard words.contains(word) else {
        throw InterpreterError(
          "\(what) must be \(p.type.allowed), got '\(word)'", at: range,
          suggestion: Suggestions.didYouMean(word, among: words))
      }
      return .name(word)
    case .corpus, .model, .object:
      guard case .name(let name) = value else { throw bad() }
      do { try session.check(name, is: p.type, at: range) } catch { throw named(error, for: p) }
      return value
    case .any:
      return value
    case .command:
      guard case .name(let name) = value else { throw bad() }
      guard CommandTable.spec(named: name) != nil else {
        throw InterpreterError(
          "unknown command '\(name)'", at: range,
          suggestion: Suggestions.didYouMean(name, among: CommandTable.allNames))
      }
      return value
    }
  }

  /// An unknown-name error for an option says which option (`option 'corpus' of 'train': …`).
  private func named(_ error: InterpreterError, for p: ParameterSpec) -> InterpreterError {
    guard !spec.positionals.contains(p) else { return error }
    var named = error
    named.message = "option '\(p.name)' of '\(spec.name)': \(error.message)"
    return named
  }
}
