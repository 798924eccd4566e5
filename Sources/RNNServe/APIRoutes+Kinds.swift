import RNNInterpreter

/// Each model kind's own action, as the statement the REPL would type: `classify`, `translate`,
/// `tag` (sampling, for language models and generators, is ``APIRoutes/sample(_:_:onCharacter:)``).
/// The interpreter refuses a model of the wrong kind with its own words (400, field `name`).
extension APIRoutes {
  /// `classify NAME "text" [unknown skip|replace]` → `{"label", "probabilities": [{"label", "p"}], "output"}`.
  func classify(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    try await textAction("classify", name, &json, options: ["unknown"]) { interpreter, sink in
      Self.first(interpreter.lastData, output: sink.lines)
    }
  }

  /// `translate NAME "text" [beam N] [length N] [length_penalty α]` → `{"translation",
  /// "log_probability", "output"}`.
  func translate(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    try await textAction("translate", name, &json, options: ["beam", "length", "length_penalty"]) { interpreter, sink in
      Self.first(interpreter.lastData, output: sink.lines)
    }
  }

  /// `tag NAME "text" [probability true]` → `{"text", "tags", "best", "tagged", "output"}`.
  func tag(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    try await textAction("tag", name, &json, options: ["probability"]) { interpreter, sink in
      var out = interpreter.lastData?.json ?? [:]
      out["output"] = sink.lines
      return out
    }
  }

  /// `COMMAND NAME "text" [OPTION value]…`, a kind's action on one text: the fields are `text` and
  /// `options` (any other is a 400 naming it); `read` makes the answer from what the command left.
  private func textAction(
    _ command: String, _ name: String, _ json: inout JSONBody, options: [String],
    read: @escaping @Sendable (Interpreter, RequestSink) -> Any
  ) async throws(APIError) -> Any {
    let known = ["text"] + options
    var st = StatementText(command)
    st.append(try modelName(name), field: "name")
    st.append(StatementText.quoted(try requiredText(&json, known: known)), field: "text")
    try appendOptions(options, &json, to: &st)
    try json.finish(known: known)
    return try await run(st, read: read)
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
