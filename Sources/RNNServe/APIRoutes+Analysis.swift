import RNNInterpreter

/// The lecture's charts as numbers: `saturation` and `gradients` run as statements on the text
/// given (or the model's validation split), answering what the command computed (``CommandData``).
extension APIRoutes {
  /// `saturation NAME [text|file …] [limit N]` → every gate block's fractions and each unit's.
  func saturation(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("saturation")
    st.append(try modelName(name), field: "name")
    try appendInput(&json, to: &st)
    try appendLimit(&json, to: &st)
    try appendOptions(["unknown"], &json, to: &st)
    try json.finish(known: ["text", "file", "limit", "unknown"])
    return try await run(st) { interpreter, sink in Self.data(interpreter.lastData, output: sink.lines) }
  }

  /// `gradients NAME [OTHER…] [text|file …] [steps K] [limit N]` → one curve of ‖∂L_t/∂h_(t−k)‖ per model.
  func gradients(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("gradients")
    st.append(try modelName(name), field: "name")
    if let compare = json.value("compare") {
      guard case .array(let others) = compare, others.count <= 8 else {
        throw APIError.wrongType("compare", "an array of at most 8 model names", compare)
      }
      for other in others {
        guard case .string(let word) = other, StatementText.isIdentifier(word) else {
          throw APIError(.badRequest, "'compare' must list model names (letters, digits, '_')", field: "compare")
        }
        st.append(word, field: "compare")
      }
    }
    try appendInput(&json, to: &st)
    if let steps = try json.number("steps"), steps > Double(limits.gradientSteps) {
      throw APIError(.tooLarge, "'steps' may be at most \(limits.gradientSteps) here", field: "steps")
    }
    try appendOptions(["steps"], &json, to: &st)
    try appendLimit(&json, to: &st)
    try appendOptions(["unknown"], &json, to: &st)
    try json.finish(known: ["compare", "text", "file", "steps", "limit", "unknown"])
    return try await run(st) { interpreter, sink in Self.data(interpreter.lastData, output: sink.lines) }
  }

  /// Appends `limit N`, at most ``ServeLimits/textCharacters`` (413 beyond).
  func appendLimit(_ json: inout JSONBody, to st: inout StatementText) throws(APIError) {
    if let limit = try json.number("limit"), limit > Double(limits.textCharacters) {
      throw APIError(.tooLarge, "'limit' may be at most \(limits.textCharacters) here", field: "limit")
    }
    try appendOptions(["limit"], &json, to: &st)
  }

  /// What the command recorded, with the lines it printed.
  static func data(_ data: CommandData?, output: [String]) -> Any {
    var out = data?.json ?? [:]
    out["output"] = output
    return out
  }
}
