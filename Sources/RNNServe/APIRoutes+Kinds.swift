import RNNInterpreter

/// Each model kind's own action, as the statement the REPL would type: `classify`, `translate`,
/// `tag` (sampling, for language models and generators, is ``APIRoutes/sample(_:_:onCharacter:)``).
/// The interpreter refuses a model of the wrong kind with its own words (400, field `name`).
extension APIRoutes {
  /// `classify NAME "text" [unknown skip|replace]` → `{"label", "probabilities": [{"label", "p"}], "output"}`.
  func classify(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("classify")
    st.append(try modelName(name), field: "name")
    st.append(StatementText.quoted(try requiredText(&json, known: ["text", "unknown"])), field: "text")
    try appendOptions(["unknown"], &json, to: &st)
    try json.finish(known: ["text", "unknown"])
    return try await run(st) { interpreter, sink in Self.first(interpreter.lastData, output: sink.lines) }
  }

  /// `translate NAME "text" [beam N] [length N]` → `{"translation", "log_probability", "output"}`.
  func translate(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("translate")
    st.append(try modelName(name), field: "name")
    st.append(StatementText.quoted(try requiredText(&json, known: ["text", "beam", "length"])), field: "text")
    try appendOptions(["beam", "length"], &json, to: &st)
    try json.finish(known: ["text", "beam", "length"])
    return try await run(st) { interpreter, sink in Self.first(interpreter.lastData, output: sink.lines) }
  }

  /// `tag NAME "text" [probability true]` → `{"text", "tags", "best", "tagged", "output"}`.
  func tag(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("tag")
    st.append(try modelName(name), field: "name")
    st.append(StatementText.quoted(try requiredText(&json, known: ["text", "probability"])), field: "text")
    try appendOptions(["probability"], &json, to: &st)
    try json.finish(known: ["text", "probability"])
    return try await run(st) { interpreter, sink in
      var out = interpreter.lastData?.json ?? [:]
      out["output"] = sink.lines
      return out
    }
  }

  /// The required field `text`, at most ``ServeLimits/textCharacters`` characters; when it is
  /// missing, a misspelt field (`txt`) is the error, else the missing text.
  func requiredText(_ json: inout JSONBody, known: [String]) throws(APIError) -> String {
    guard let text = try json.string("text") else {
      for field in known { _ = json.value(field) }
      try json.finish(known: known)
      throw APIError(.badRequest, "'text' is required: the text to read", field: "text")
    }
    guard text.unicodeScalars.count <= limits.textCharacters else {
      throw APIError(.tooLarge, "'text' has more than \(limits.textCharacters) characters", field: "text")
    }
    return text
  }

  /// The first of several results (a request gives one text) with the printed lines.
  static func first(_ data: CommandData?, output: [String]) -> Any {
    var out = ((data?.json["results"] as? [[String: Any]])?.first) ?? [:]
    out["output"] = output
    return out
  }
}
