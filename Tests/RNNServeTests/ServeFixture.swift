import Foundation
import RNNInterpreter
import RNNLanguage
import XCTest

@testable import RNNServe

/// A served session on loopback, as `rnn serve` makes it, in a temporary working folder holding
/// `corpora/tiny.txt` (and any `files` given, by relative path) and a small LSTM `m` on it (`c`);
/// `setup` runs after that; the console is recorded.
final class ServeFixture: @unchecked Sendable {
  let root: URL
  let console = RecordingSink()
  let host: SessionHost
  let interpreter: Interpreter
  let server: WebServer
  var client: HTTPTestClient { HTTPTestClient(port: server.port) }
  var auth: [String: String] { ["Authorization": "Bearer \(server.token)"] }

  static let verse = String(
    repeating: "Tyger Tyger, burning bright,\nIn the forests of the night;\nWhat immortal hand or eye,\n", count: 15)

  init(for test: XCTestCase, files: [String: String] = [:], setup: String = "") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("corpora"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
    try Self.verse.write(to: root.appendingPathComponent("corpora/tiny.txt"), atomically: true, encoding: .utf8)
    for (path, text) in files { try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8) }
    host = SessionHost(console: console)
    interpreter = Interpreter(
      sink: host.interpreterSink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false))
    host.adopt(interpreter)
    server = WebServer(host: host)
    let root = root
    // XCTest keeps every test case (and so these blocks, the server, its host and interpreter) alive
    // until the process exits; the session's last command data goes now, as the page's would.
    test.addTeardownBlock { [server, host] in
      server.stop()
      _ = host.turn("teardown", source: "test", patience: nil, route: RecordingSink()) { $0.forgetLastData() }
      try? FileManager.default.removeItem(at: root)
    }
    let ok = run(
      """
      c = corpus "corpora/tiny.txt" split 0.9
      m = lstm c hidden 16 layers 1 embed 8 seed 1
      \(setup)
      """)
    XCTAssertTrue(ok, console.transcript)
    try server.start(port: 0, root: root.path)
  }

  /// Runs `text` as REPL input does (holding the session, output on the console); whether it succeeded.
  @discardableResult
  func run(_ text: String) -> Bool {
    host.turn(text, source: "repl", patience: nil, route: console) { $0.run(SourceFile(name: "<input>", text: text)) }?
      .succeeded ?? false
  }

  /// The session's fingerprint without the count of unseeded samples (which sampling advances).
  var fingerprint: String {
    let lines = host.turn("fingerprint", source: "test", patience: nil, route: console) { $0.session.fingerprint } ?? ""
    return lines.split(separator: "\n").filter { !$0.hasPrefix("samples ") }.joined(separator: "\n")
  }
}

extension HTTPTestClient {
  /// Sends a request that must be refused: asserts the answer's `status` and the `field` its
  /// error names; returns the answer for further checks.
  @discardableResult
  func assertRefused(
    _ method: String, _ path: String, json: Any? = nil, headers: [String: String] = [:], status: Int, field: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> Response {
    let r = try XCTUnwrap(request(method, path, json: json, headers: headers), file: file, line: line)
    XCTAssertEqual(r.status, status, r.text, file: file, line: line)
    XCTAssertEqual(r.object["field"] as? String, field, file: file, line: line)
    return r
  }
}
