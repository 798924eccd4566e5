import FlyingFox
import Foundation
import RNNInterpreter
import RNNLanguage

/// A JSON value handed from the session's thread to the server's (built there, read once here).
struct JSONOut: @unchecked Sendable {
  let value: Any
}

/// The JSON API. Every request that reads or changes the session becomes a statement of the
/// command language (``StatementText``) and runs through the interpreter as REPL input does (the
/// static check, then the command's own validation), holding the session (``SessionHost``); its
/// errors come back with the interpreter's wording and the request field they are about.
struct APIRoutes: Sendable {
  let host: SessionHost
  let paths: PathGuard
  let limits: ServeLimits

  /// Every route but the page, the event stream and sampling.
  func answer(_ route: Route, body: Data) async throws(APIError) -> Any {
    var json = try JSONBody(body)
    if route.matches("GET", "api", "models") { return jsonArray(host.snapshot.models) }
    if route.matches("GET", "api", "corpora") { return jsonArray(host.snapshot.corpora) }
    if route.matches("GET", "api", "status") {
      return ["running": host.running as Any, "subscribers": host.hub.subscriberCount]
    }
    if route.matches("GET", "api", "checkpoints") { return checkpoints() }
    if route.matches("POST", "api", "train", "stop") { return ["stopping": host.requestStop() as Any] }
    if route.matches("POST", "api", "load") { return try await load(&json) }
    if let name = route.model("GET") {
      guard let model = host.snapshot.models.first(where: { $0.name == name }) else {
        throw APIError(.notFound, "unknown model '\(name.prefix(100))'")
      }
      return model.json
    }
    if let name = route.model("GET", "history") { return try await history(name) }
    if let name = route.model("POST", "eval") { return try await eval(name, &json) }
    if let name = route.model("POST", "activations") { return try await activations(name, &json) }
    if let name = route.model("POST", "cells") { return try await cells(name, &json) }
    if let name = route.model("POST", "saturation") { return try await saturation(name, &json) }
    if let name = route.model("POST", "gradients") { return try await gradients(name, &json) }
    if let name = route.model("POST", "classify") { return try await classify(name, &json) }
    if let name = route.model("POST", "translate") { return try await translate(name, &json) }
    if let name = route.model("POST", "tag") { return try await tag(name, &json) }
    if let name = route.model("POST", "train") { return try await train(name, &json) }
    if let name = route.model("POST", "save") { return try await save(name, &json) }
    if let name = route.model("POST", "drop") {
      try json.finish(known: [])
      var st = StatementText("drop")
      st.append(try modelName(name), field: "name")
      return try await run(st) { _, sink in ["output": sink.lines] }
    }
    throw Self.unknownRoute(route)
  }

  func save(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    let path = try requiredPath(&json, "path")
    try json.finish(known: ["path"])
    var st = StatementText("save")
    st.append(try modelName(name), field: "name")
    st.append(StatementText.quoted(path), field: "path")
    return try await run(st) { _, sink in ["output": sink.lines, "path": path] }
  }

  func load(_ json: inout JSONBody) async throws(APIError) -> Any {
    let path = try requiredPath(&json, "path")
    guard let name = try json.string("name"), StatementText.isIdentifier(name) else {
      throw APIError(.badRequest, "'name' must be the name to bind the model to (letters, digits, '_')", field: "name")
    }
    try json.finish(known: ["path", "name"])
    var st = StatementText("load", target: name)
    st.append(StatementText.quoted(path), field: "path")
    return try await run(st) { _, sink in ["output": sink.lines, "name": name] }
  }

  static func unknownRoute(_ route: Route) -> APIError {
    let known: [(String, [String?])] = [
      ("GET", ["api", "models"]), ("GET", ["api", "corpora"]), ("GET", ["api", "status"]), ("GET", ["api", "checkpoints"]),
      ("GET", ["api", "events"]), ("POST", ["api", "load"]), ("POST", ["api", "train", "stop"]),
      ("GET", ["api", "models", nil]), ("GET", ["api", "models", nil, "history"]),
      ("POST", ["api", "models", nil, "sample"]), ("POST", ["api", "models", nil, "eval"]),
      ("POST", ["api", "models", nil, "activations"]), ("POST", ["api", "models", nil, "cells"]),
      ("POST", ["api", "models", nil, "saturation"]), ("POST", ["api", "models", nil, "gradients"]),
      ("POST", ["api", "models", nil, "classify"]), ("POST", ["api", "models", nil, "translate"]),
      ("POST", ["api", "models", nil, "tag"]),
      ("POST", ["api", "models", nil, "train"]), ("POST", ["api", "models", nil, "save"]),
      ("POST", ["api", "models", nil, "drop"]),
    ]
    let samePath = known.filter { k in
      k.1.count == route.parts.count && zip(k.1, route.parts).allSatisfy { $0 == nil || $0 == $1 }
    }
    if let other = samePath.first, !samePath.contains(where: { $0.0 == route.method }) {
      return APIError(.methodNotAllowed, "\(route.method) is not allowed here; use \(other.0)")
    }
    return APIError(.notFound, "no such endpoint: \(route.method) /\(route.parts.joined(separator: "/")) (see docs/serve.md)")
  }

  // MARK: Running statements

  /// Runs `st` holding the session; `read` builds the answer from the session and what it printed.
  func run(_ st: StatementText, read: @escaping @Sendable (Interpreter, RequestSink) -> Any) async throws(APIError) -> Any {
    let result = await host.request(st.text) { interpreter, sink -> Result<JSONOut, APIError> in
      if let error = Self.execute(st, in: interpreter) { return .failure(error) }
      defer { interpreter.forgetLastData() }
      return .success(JSONOut(value: read(interpreter, sink)))
    }
    guard let result else { throw APIError.busy(host.running ?? "a statement") }
    return try result.get().value
  }

  /// Checks and runs the statement as the REPL does; the first error, if any.
  static func execute(_ st: StatementText, in interpreter: Interpreter) -> APIError? {
    let file = SourceFile(name: "<api>", text: st.text)
    if let d = Interpreter.check(file, names: StaticNames(session: interpreter.session)).first {
      return APIError(d, kind: .invalid, statement: st)
    }
    for statement in Parser.parseAll(file).statements {
      do { try interpreter.execute(statement, in: file) } catch {
        return APIError(error.diagnostic, kind: error.kind, statement: st)
      }
    }
    return nil
  }

  /// `name` as a word of a statement: only plain identifiers can name a model (404 otherwise).
  func modelName(_ name: String) throws(APIError) -> String {
    guard StatementText.isIdentifier(name) else { throw APIError(.notFound, "unknown model '\(name.prefix(100))'") }
    return name
  }

  func requiredPath(_ json: inout JSONBody, _ field: String) throws(APIError) -> String {
    guard let path = try json.string(field) else {
      throw APIError(.badRequest, "'\(field)' is required: a path inside the working folder", field: field)
    }
    try paths.check(path, field: field)
    return path
  }

  /// Appends the text fields shared by `activations`, `cells` and `eval`: `text` (capped) or `file`.
  func appendInput(_ json: inout JSONBody, to st: inout StatementText) throws(APIError) {
    if let text = try json.string("text") {
      guard text.unicodeScalars.count <= limits.textCharacters else {
        throw APIError(.tooLarge, "'text' has more than \(limits.textCharacters) characters", field: "text")
      }
      st.append("text", field: "text")
      st.append(StatementText.quoted(text), field: "text")
    }
    if let file = try json.string("file") {
      try paths.check(file, field: "file")
      st.append("file", field: "file")
      st.append(StatementText.quoted(file), field: "file")
    }
  }

  /// Appends the given numeric or word options (`layer 1`, `gate c`).
  func appendOptions(_ names: [String], _ json: inout JSONBody, to st: inout StatementText) throws(APIError) {
    for name in names {
      if let value = json.value(name) { try st.option(name, value, field: name, bareWords: true) }
    }
  }

  // MARK: Endpoints

  func sample(_ name: String, _ json: inout JSONBody, onCharacter: (@Sendable (String) -> Void)? = nil)
    async throws(APIError) -> Any
  {
    let st = try sampleStatement(name, &json)
    return try await run(st) { interpreter, sink in
      guard case .words? = interpreter.lastData else { return ["text": sink.sample] }
      return Self.data(interpreter.lastData, output: sink.lines)
    }
  }

  /// `sample NAME length … temperature … top_k … top_p … seed … prime "…"` from the body (a
  /// generator's: `label "…" count N` too).
  func sampleStatement(_ name: String, _ json: inout JSONBody) throws(APIError) -> StatementText {
    var st = StatementText("sample")
    st.append(try modelName(name), field: "name")
    if let length = try json.number("length"), length > Double(limits.sampleLength) {
      throw APIError(.tooLarge, "'length' may be at most \(limits.sampleLength) here", field: "length")
    }
    if let count = try json.number("count"), count > Double(limits.sampleCount) {
      throw APIError(.tooLarge, "'count' may be at most \(limits.sampleCount) here", field: "count")
    }
    try appendOptions(["length", "temperature", "top_k", "top_p", "seed", "count"], &json, to: &st)
    if let label = try json.string("label") {
      st.append("label", field: "label")
      st.append(StatementText.quoted(label), field: "label")
    }
    if let prime = try json.string("prime") {
      guard prime.unicodeScalars.count <= limits.textCharacters else {
        throw APIError(.tooLarge, "'prime' has more than \(limits.textCharacters) characters", field: "prime")
      }
      st.append("prime", field: "prime")
      st.append(StatementText.quoted(prime), field: "prime")
    }
    _ = try json.bool("stream")
    try json.finish(known: ["prime", "length", "temperature", "top_k", "top_p", "seed", "label", "count", "stream"])
    return st
  }

  /// A sample streamed as plain text, character by character as the model draws them; an error
  /// found before the first character is a JSON error as usual.
  func streamSample(_ name: String, _ json: inout JSONBody) async throws(APIError) -> HTTPResponse {
    let st = try sampleStatement(name, &json)
    let (text, textContinuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
    let (signal, signalContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let started = Locked(false)
    let outcome = Task { [host] () -> APIError?? in
      let result = await host.request(st.text) { interpreter, sink -> APIError? in
        sink.onCharacter = { c in
          started.withLock { $0 = true }
          signalContinuation.yield()
          textContinuation.yield(c)
        }
        return Self.execute(st, in: interpreter)
      }
      textContinuation.finish()
      signalContinuation.finish()
      return result
    }
    // Wait for the first character or the end, so that an error is answered with its status.
    var waiting = signal.makeAsyncIterator()
    _ = await waiting.next()
    if !started.current {
      guard let result = await outcome.value else { throw APIError.busy(host.running ?? "a statement") }
      if let error = result { throw error }
    }
    return HTTPResponse(
      statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8", HTTPHeader("Cache-Control"): "no-store"],
      body: HTTPBodySequence(from: ByteStream(text)))
  }

  func history(_ name: String) async throws(APIError) -> Any {
    var st = StatementText("history")
    st.append(try modelName(name), field: "name")
    return try await run(st) { interpreter, _ in
      let state = interpreter.session.model(name)!.trainer.state
      let losses = state.trainLosses
      let bucket = max(1, (losses.count + 1999) / 2000)
      var train: [[Double]] = []
      for start in stride(from: 0, to: losses.count, by: bucket) {
        let slice = losses[start..<min(start + bucket, losses.count)]
        let mean = Double(slice.reduce(0, +)) / Double(slice.count)
        if let m = finite(mean) { train.append([Double(start + slice.count), m]) }
      }
      let validation = state.validationLosses.compactMap { r -> [String: Any]? in
        finite(Double(r.loss)).map { ["step": r.step, "loss": $0] }
      }
      return ["model": name, "step": state.step, "train": train, "validation": validation]
    }
  }

  func eval(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("eval")
    st.append(try modelName(name), field: "name")
    let text = try json.string("text")
    if let text, text.unicodeScalars.count > limits.textCharacters {
      throw APIError(.tooLarge, "'text' has more than \(limits.textCharacters) characters", field: "text")
    }
    if let file = try json.string("file") {
      try paths.check(file, field: "file")
      st.append("file", field: "file")
      st.append(StatementText.quoted(file), field: "file")
    }
    try appendOptions(["split", "limit", "unknown"], &json, to: &st)
    try json.finish(known: ["text", "file", "split", "limit", "unknown"])
    guard let text else { return try await run(st) { _, sink in ["output": sink.lines] } }
    // A text is evaluated from a private temporary file the server writes (not a path the client names).
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-serve-\(UUID().uuidString).txt")
    do { try Data(text.utf8).write(to: temporary) } catch {
      throw APIError(.failed, "could not write the text for evaluation")
    }
    defer { try? FileManager.default.removeItem(at: temporary) }
    st.append("file", field: "text")
    st.append(StatementText.quoted(temporary.path), field: "text")
    return try await run(st) { _, sink in ["output": sink.lines.map { $0.replacingOccurrences(of: temporary.path, with: "the text") }] }
  }

  func activations(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("activations")
    st.append(try modelName(name), field: "name")
    try appendInput(&json, to: &st)
    try appendOptions(["layer", "unit", "gate", "limit", "unknown"], &json, to: &st)
    try json.finish(known: ["text", "file", "layer", "unit", "gate", "limit", "unknown"])
    return try await run(st) { interpreter, sink in
      guard let data = interpreter.lastActivations else { return ["output": sink.lines] }
      return [
        "title": data.title, "text": data.text, "raw": data.raw.map { finite(Double($0)) ?? 0 },
        "shades": data.shades.map { finite($0) ?? 0 }, "output": sink.lines.first.map { [$0] } ?? [],
      ]
    }
  }

  func cells(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("cells")
    st.append(try modelName(name), field: "name")
    try appendInput(&json, to: &st)
    try appendOptions(["property", "regex", "top", "kind", "limit", "unknown"], &json, to: &st)
    try json.finish(known: ["text", "file", "property", "regex", "top", "kind", "limit", "unknown"])
    return try await run(st) { interpreter, sink in Self.data(interpreter.lastData, output: sink.lines) }
  }

  /// Starts `train NAME …` (every body field an option of `train`; `for` in seconds) in the
  /// background: 202 once it runs, the interpreter's error if the statement is wrong, 409 if busy.
  func train(_ name: String, _ json: inout JSONBody) async throws(APIError) -> Any {
    var st = StatementText("train")
    st.append(try modelName(name), field: "name")
    for (key, value) in json.unread {
      _ = json.value(key)
      guard StatementText.isIdentifier(key) else { throw APIError(.badRequest, "unknown field '\(key.prefix(64))'", field: key) }
      if key == "for", case .number(let seconds) = value {
        guard seconds > 0, seconds.isFinite else { throw APIError(.badRequest, "'for' must be a positive number of seconds", field: key) }
        st.append("for", field: key)
        st.append(StatementText.number(seconds) + "s", field: key)
      } else {
        try st.option(key, value, field: key, bareWords: true)
      }
    }
    let statement = st
    let refusal = await host.startInBackground(st.text) { interpreter in
      let file = SourceFile(name: "<api>", text: statement.text)
      if let d = Interpreter.check(file, names: StaticNames(session: interpreter.session)).first {
        return APIError(d, kind: .invalid, statement: statement)
      }
      return nil
    }
    if let refusal { throw refusal }
    return ["started": st.text]
  }

  /// The checkpoint files under `checkpoints/` (three levels deep at most), newest first.
  func checkpoints() -> Any {
    let root = URL(fileURLWithPath: paths.root).appendingPathComponent("checkpoints")
    var found: [(String, Int, Date)] = []
    func walk(_ url: URL, _ relative: String, depth: Int) {
      guard depth < 4, let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
      for name in names.sorted() {
        let child = url.appendingPathComponent(name)
        let rel = relative + "/" + name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: child.path) else { continue }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
          walk(child, rel, depth: depth + 1)
        } else if name.hasSuffix(".safetensors") {
          found.append((rel, (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? Date()))
        }
      }
    }
    walk(root, "checkpoints", depth: 0)
    let formatter = ISO8601DateFormatter()
    return found.sorted { $0.2 > $1.2 }.map { ["path": $0.0, "bytes": $0.1, "modified": formatter.string(from: $0.2)] }
  }

  private func jsonArray<T: Encodable>(_ items: [T]) -> Any {
    guard let data = try? JSONEncoder().encode(items), let object = try? JSONSerialization.jsonObject(with: data) else { return [] }
    return object
  }
}
