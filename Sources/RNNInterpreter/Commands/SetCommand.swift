import RNNModels

extension CommandTable {
  /// `set [option value]…` / `defaults`
  static let set = CommandSpec(
    "set", aliases: ["defaults"],
    summary: "Set session defaults for options not given explicitly, or show them.",
    help: """
      `set temperature 0.7` makes 0.7 the temperature of every later `sample` that does not give one; \
      `set` (or `defaults`) alone shows the defaults. Training options a model used last take \
      precedence over these defaults for that model.
      """,
    parameters: SetParameters.self,
    examples: ["set temperature 0.7", "set seed 3", "set"],
    action: { interpreter, arguments throws(InterpreterError) in
      interpreter.setDefaults(arguments.invocation)
      return nil
    })
}

/// The parameters of `set`: the session defaults. Each is read, under the same name, by every
/// command that has an option of that name and does not give it.
struct SetParameters: CommandParameters {
  let temperature = ParameterKey<Double>.option(
    "temperature", .real(.closed(0, 100)), default: 1,
    "Sampling temperature (sample, sample_every).")
  let topK = ParameterKey<Int?>.option("top_k", .integer(1...1_114_112), "Sampling top-k.")
  let topP = ParameterKey<Double?>.option("top_p", .real(.openClosed(0, 1)), "Sampling top-p.")
  let length = ParameterKey<Int>.option(
    "length", .integer(0...1_000_000), default: 200, "Sample length.")
  let seed = ParameterKey<Int?>.option(
    "seed", .integer(0...Int.max), "Seed for new models and samples.")
  let batch = ParameterKey<Int>.option(
    "batch", .integer(1...4096), default: 32, "Training batch for models not trained yet.")
  let seq = ParameterKey<Int>.option(
    "seq", .integer(1...10_000), default: 64,
    "Training sequence length for models not trained yet.")
  let lr = ParameterKey<Double>.option(
    "lr", .real(.openClosed(0, 10)), default: 0.002, "Learning rate for models not trained yet.")
  let clip = ParameterKey<Double>.option(
    "clip", .real(.closed(0, 1_000_000)), default: 5,
    "Gradient-norm clip for models not trained yet.")
  let every = ParameterKey<Int>.option(
    "every", .integer(0...100_000_000), default: 0, "Loss lines every this many training steps.")
  let precision = ParameterKey<Precision>.option(
    "precision", default: .fp32, "Precision of the big matrix products (train, eval, sample): fp32 or bf16.")
  let stepsScale = ParameterKey<Double?>.option(
    "steps_scale", .real(.openClosed(0, 1000)), note: "RNN_STEPS_SCALE, or 1",
    "Multiply every train step count and time budget (quick runs).")
}

/// The session defaults (`set`) read typed: the value set, else the table default.
struct SessionDefaults {
  /// The values set, by option name.
  let values: [String: Value]

  /// The default of `key`.
  subscript<T>(_ key: KeyPath<SetParameters, ParameterKey<T>>) -> T {
    let key = SetParameters()[keyPath: key]
    return (values[key.name] ?? key.spec.defaultValue).flatMap(T.init(argument:)) ?? key.fallback
  }
}

extension Interpreter {
  /// The session defaults, typed.
  var sessionDefaults: SessionDefaults { SessionDefaults(values: session.defaults) }

  func setDefaults(_ invocation: Invocation) {
    if invocation.values.isEmpty {
      let shown = describeDefaults()
      say(shown.isEmpty ? "no defaults set; e.g. set temperature 0.7" : "defaults: " + shown)
      return
    }
    for option in CommandTable.set.options {
      guard let value = invocation.values[option.name] else { continue }
      session.defaults[option.name] = value
    }
    say("defaults: " + describeDefaults())
  }
}
