import FlyingFox
import FlyingSocks
import Foundation

/// Answers every request of the server: the page at `/`, the JSON API under `/api/`. First the
/// checks every request passes: the token (every request when the server listens beyond loopback
/// or the client is not on loopback, and always for requests that change the session), the Host
/// header (a page on another site cannot reach a loopback server through DNS rebinding), the body
/// size; then the route. Nothing a client sends can end the process: every failure is a JSON error.
struct WebAPI: HTTPHandler {
  let host: SessionHost
  /// The token printed at start.
  let token: String
  /// Whether the server listens on a loopback address only.
  let loopbackOnly: Bool
  let paths: PathGuard
  let limits: ServeLimits

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    do {
      let route = Route(request)
      try authorize(request, route: route)
      let body = try await readBody(request)
      return try await respond(route, body: body, request: request)
    } catch {
      return Self.response(error)
    }
  }

  /// 401 without the token when it is needed; 403 for a foreign Host header.
  private func authorize(_ request: HTTPRequest, route: Route) throws(APIError) {
    if loopbackOnly, let hostHeader = request.headers[.host], !Self.isLoopbackHost(hostHeader) {
      throw APIError(.forbidden, "the Host header '\(hostHeader.prefix(100))' is not a loopback name")
    }
    let remoteIsLoopback = request.remoteAddress.map(Self.isLoopback) ?? true
    guard !loopbackOnly || !remoteIsLoopback || route.changesSession else { return }
    guard let given = Self.token(of: request), Self.constantTimeEqual(given, token) else {
      throw APIError(
        .unauthorized,
        route.changesSession
          ? "this request changes the session and needs the token printed by 'serve' (header 'Authorization: Bearer TOKEN')"
          : "this server needs the token printed by 'serve' (header 'Authorization: Bearer TOKEN' or '?token=TOKEN')")
    }
  }

  /// The body, at most ``ServeLimits/bodyBytes`` (413 beyond, read no further).
  private func readBody(_ request: HTTPRequest) async throws(APIError) -> Data {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.bodyBytes {
      throw APIError(.tooLarge, "the body has \(length) bytes; the limit is \(limits.bodyBytes)")
    }
    var data = Data()
    do {
      for try await chunk in request.bodySequence {
        data.append(contentsOf: chunk)
        if data.count > limits.bodyBytes {
          throw APIError(.tooLarge, "the body is larger than the limit of \(limits.bodyBytes) bytes")
        }
      }
    } catch let error as APIError {
      throw error
    } catch {
      throw APIError(.badRequest, "the body could not be read")
    }
    return data
  }

  private func respond(_ route: Route, body: Data, request: HTTPRequest) async throws(APIError) -> HTTPResponse {
    let api = APIRoutes(host: host, paths: paths, limits: limits)
    if route.matches("GET") || route.matches("GET", "index.html") {
      return HTTPResponse(
        statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8", HTTPHeader("Cache-Control"): "no-store"],
        body: Data(WebPage.html.utf8))
    }
    if route.matches("GET", "api", "events") { return Self.eventStream(host.hub.subscribe()) }
    if let name = route.model("POST", "sample") {
      var json = try JSONBody(body)
      // A generator's words come as JSON (they are drawn per label, not as one stream of text).
      let generator = host.snapshot.models.contains { $0.name == name && $0.kind == "generator" }
      if try json.bool("stream") == true, !generator { return try await api.streamSample(name, &json) }
      return Self.json(try await api.sample(name, &json))
    }
    return Self.json(try await api.answer(route, body: body))
  }

  // MARK: Responses

  static func json(_ object: Any, status: HTTPStatusCode = .ok) -> HTTPResponse {
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("null".utf8)
    return HTTPResponse(statusCode: status, headers: [.contentType: "application/json; charset=utf-8"], body: data)
  }

  static func response(_ error: any Error) -> HTTPResponse {
    let apiError = (error as? APIError) ?? APIError(.badRequest, "the request could not be handled")
    return HTTPResponse(
      statusCode: HTTPStatusCode(apiError.status.rawValue, phrase: phrase(apiError.status)),
      headers: [.contentType: "application/json; charset=utf-8"], body: apiError.body)
  }

  private static func phrase(_ status: APIError.Status) -> String {
    switch status {
    case .badRequest: return "Bad Request"
    case .unauthorized: return "Unauthorized"
    case .forbidden: return "Forbidden"
    case .notFound: return "Not Found"
    case .methodNotAllowed: return "Method Not Allowed"
    case .busy: return "Conflict"
    case .tooLarge: return "Payload Too Large"
    case .failed: return "Unprocessable Content"
    }
  }

  /// A Server-Sent Events response fed by `messages` (chunked, never cached).
  static func eventStream(_ messages: AsyncStream<String>) -> HTTPResponse {
    HTTPResponse(
      statusCode: .ok,
      headers: [.contentType: "text/event-stream", HTTPHeader("Cache-Control"): "no-store"],
      body: HTTPBodySequence(from: ByteStream(messages)))
  }

  // MARK: Checks

  static func token(of request: HTTPRequest) -> String? {
    if let auth = request.headers[.authorization], auth.hasPrefix("Bearer ") { return String(auth.dropFirst(7)) }
    if let header = request.headers[HTTPHeader("X-RNN-Token")] { return header }
    return request.query.first { $0.name == "token" }?.value
  }

  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
  }

  static func isLoopback(_ address: HTTPRequest.Address) -> Bool {
    switch address {
    case .ip4(let ip, _): return ip.hasPrefix("127.")
    case .ip6(let ip, _): return ip == "::1" || ip.hasPrefix("::ffff:127.")
    case .unix: return true
    }
  }

  /// Whether a Host header names this machine's loopback (`127.0.0.1:8750`, `localhost`, `[::1]`).
  static func isLoopbackHost(_ header: String) -> Bool {
    var name = Substring(header)
    if name.hasPrefix("["), let end = name.firstIndex(of: "]") {
      name = name[name.index(after: name.startIndex)..<end]
      return name == "::1"
    }
    if let colon = name.lastIndex(of: ":") { name = name[..<colon] }
    return name == "localhost" || name.hasPrefix("127.")
  }
}

/// A request's method and path split into parts (percent-decoded), and whether it changes the session.
struct Route: Sendable {
  var method: String
  var parts: [String]
  var query: [String: String]

  init(_ request: HTTPRequest) {
    method = request.method.rawValue
    parts = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
  }

  init(method: String, parts: [String]) {
    self.method = method
    self.parts = parts
    query = [:]
  }

  /// Whether this is `method` on exactly these path parts.
  func matches(_ method: String, _ parts: String...) -> Bool { self.method == method && self.parts == parts }

  /// The model name of `method /api/models/NAME[/action]`, or nil for another route.
  func model(_ method: String, _ action: String? = nil) -> String? {
    guard self.method == method, parts.count == (action == nil ? 3 : 4), parts[0] == "api", parts[1] == "models" else { return nil }
    if let action, parts[3] != action { return nil }
    return parts[2]
  }

  /// Train, stop, save, load and drop change the session (or files): they always need the token.
  var changesSession: Bool {
    guard method == "POST", parts.first == "api" else { return false }
    switch parts.last {
    case "train", "stop", "save", "load", "drop": return true
    default: return false
    }
  }
}

/// Bytes for a streamed response body, from an `AsyncStream` of text pieces.
struct ByteStream: AsyncBufferedSequence, Sendable {
  typealias Element = UInt8
  let messages: AsyncStream<String>

  init(_ messages: AsyncStream<String>) { self.messages = messages }

  func makeAsyncIterator() -> Iterator { Iterator(base: messages.makeAsyncIterator()) }

  struct Iterator: AsyncBufferedIteratorProtocol {
    var base: AsyncStream<String>.AsyncIterator
    var pending: [UInt8] = []

    mutating func next() async -> UInt8? {
      if pending.isEmpty { guard let piece = await base.next() else { return nil }; pending = Array(piece.utf8) }
      return pending.isEmpty ? nil : pending.removeFirst()
    }

    mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
      while pending.isEmpty {
        guard let piece = await base.next() else { return nil }
        pending = Array(piece.utf8)
      }
      let n = Swift.min(Swift.max(count, 1), pending.count)
      defer { pending.removeFirst(n) }
      return Array(pending[..<n])
    }
  }
}
