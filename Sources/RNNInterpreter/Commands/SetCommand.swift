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
    options: [
      .option(
        "temperature", .real(.closed(0, 100)), default: .number(1, isInteger: true),
        "Sampling temperature (sample, sample_every)."),
      .option("top_k", .integer(1...1_114_112), "Sampling top-k."),
      .option("top_p", .real(.openClosed(0, 1)), "Sampling top-p."),
      .option(
        "length", .integer(0...1_000_000), default: .number(200, isInteger: true), "Sample length."),
      .option("seed", .integer(0...Int.max), "Seed for new models and samples."),
      .option(
        "batch", .integer(1...4096), default: .number(32, isInteger: true),
        "Training batch for models not trained yet."),
      .option(
        "seq", .integer(1...10_000), default: .number(64, isInteger: true),
        "Training sequence length for models not trained yet."),
      .option(
        "lr", .real(.openClosed(0, 10)), default: .number(0.002, isInteger: false),
        "Learning rate for models not trained yet."),
      .option(
        "clip", .real(.closed(0, 1_000_000)), default: .number(5, isInteger: true),
        "Gradient-norm clip for models not trained yet."),
      .option(
        "every", .integer(0...100_000_000), default: .number(0, isInteger: true),
        "Loss lines every this many training steps."),
      .option(
        "steps_scale", .real(.openClosed(0, 1000)), note: "RNN_STEPS_SCALE, or 1",
        "Multiply every train step count and time budget (quick runs)."),
    ],
    examples: ["set temperature 0.7", "set seed 3", "set"],
    action: { interpreter, invocation throws(InterpreterError) in
      interpreter.setDefaults(invocation)
      return nil
    })
}

extension Interpreter {
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
