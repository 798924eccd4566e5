extension CommandTable {
  /// `list` / `ls`
  static let list = CommandSpec(
    "list", aliases: ["ls"],
    summary: "List the corpora, models and defaults in the session.",
    help:
      "Shows every name in the session with a one-line description, then the defaults set with `set`.",
    parameters: NoParameters.self,
    examples: ["list"],
    action: { interpreter, _ throws(InterpreterError) in
      interpreter.listSession()
      return nil
    })

  /// `drop NAME…` / `del`
  static let drop = CommandSpec(
    "drop", aliases: ["del"],
    summary: "Remove corpora or models from the session.",
    help:
      "Forgets the names given. A model with training that was never saved is removed with a warning.",
    parameters: DropParameters.self,
    examples: ["drop m", "drop m2 shakes"],
    action: { interpreter, arguments throws(InterpreterError) in
      interpreter.drop(arguments[\.names])
      return nil
    })

  /// `print VALUE…`
  static let print = CommandSpec(
    "print", aliases: ["echo"],
    summary: "Print values (strings, numbers, loop variables) on one line.",
    help:
      "Prints its arguments separated by spaces; handy for labelling output in scripts and loops.",
    parameters: PrintParameters.self,
    examples: [#"for t in [0.5, 1.0] { print "temperature" t; sample m 100 temperature t }"#],
    action: { interpreter, arguments throws(InterpreterError) in
      interpreter.say(arguments[\.values].map(\.printed).joined(separator: " "))
      return nil
    })
}

/// The parameters of `drop`.
struct DropParameters: CommandParameters {
  let names = ParameterKey<[String]>.positional(
    "NAME", .object, required: true, variadic: true, "What to remove.")
}

/// The parameters of `print`.
struct PrintParameters: CommandParameters {
  let values = ParameterKey<[Value]>.positional("VALUE", .any, variadic: true, "Values to print.")
}

extension Interpreter {
  func listSession() {
    if session.names.isEmpty && session.defaults.isEmpty {
      say("the session is empty; start with: NAME = corpus \"PATH\"")
      return
    }
    let width = (session.names.map(\.count).max() ?? 0) + 2
    for name in session.names {
      switch session[name]! {
      case .corpus(let c):
        say(Formatting.pad(name, width) + Self.describe(c))
      case .classifier(let c):
        say(Formatting.pad(name, width) + Self.describe(c))
      case .generator(let g):
        say(Formatting.pad(name, width) + Self.describe(g))
      case .tagger(let t):
        say(Formatting.pad(name, width) + Self.describe(t))
      case .model(let m):
        var line = Formatting.pad(name, width) + Self.describe(m) + "; step \(m.step)"
        if let corpus = m.corpusName { line += ", corpus \(corpus)" }
        if m.hasUnsavedTraining { line += " (unsaved training)" }
        say(line)
      }
    }
    if !session.defaults.isEmpty { say("defaults: " + describeDefaults()) }
  }

  func drop(_ names: [String]) {
    for name in names {
      if let model = session.model(name), model.hasUnsavedTraining {
        warn("dropped \(name), whose last \(model.step) steps of training were never saved")
      }
      session.remove(name)
    }
    say("dropped " + names.joined(separator: ", "))
  }

  /// `temperature 0.7, seed 3`
  func describeDefaults() -> String {
    CommandTable.set.options.compactMap { option in
      session.defaults[option.name].map { "\(option.name) \($0)" }
    }.joined(separator: ", ")
  }
}
