import Foundation
import RNNInterpreter
import RNNLanguage
import XCTest

@testable import RNNServe

/// The JSON API over loopback: the documented spellings, the interpreter's validation and wording,
/// the status codes, the token, path confinement and the event stream.
final class ServeAPITests: XCTestCase {
  func testModelsListTheSessionsModelsWithTheirConfiguration() throws {
    let f = try ServeFixture(for: self)
    let r = try XCTUnwrap(f.client.request("GET", "/api/models"))
    XCTAssertEqual(r.status, 200)
    let models = try XCTUnwrap(r.json as? [[String: Any]])
    XCTAssertEqual(models.count, 1)
    XCTAssertEqual(models[0]["name"] as? String, "m")
    XCTAssertEqual(models[0]["cell"] as? String, "lstm")
    XCTAssertEqual(models[0]["hidden"] as? Int, 16)
    XCTAssertEqual(models[0]["layers"] as? Int, 1)
    XCTAssertEqual(models[0]["step"] as? Int, 0)
    let corpora = try XCTUnwrap(f.client.request("GET", "/api/corpora")?.json as? [[String: Any]])
    XCTAssertEqual(corpora.first?["name"] as? String, "c")
  }

  func testSampleWithASeedGivesTheREPLsText() throws {
    let f = try ServeFixture(for: self)
    let r = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/sample", json: ["prime": "Ty", "length": 60, "temperature": 0.9, "seed": 7]))
    XCTAssertEqual(r.status, 200, r.text)
    let text = try XCTUnwrap(r.object["text"] as? String)
    f.console.clear()
    XCTAssertTrue(f.run(#"sample m length 60 temperature 0.9 seed 7 prime "Ty""#))
    XCTAssertEqual(text + "\n", f.console.transcript)
    XCTAssertEqual(text.count, 62)
    // Streamed: the same characters as plain text.
    let streamed = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/sample", json: ["prime": "Ty", "length": 60, "temperature": 0.9, "seed": 7, "stream": true]))
    XCTAssertEqual(streamed.status, 200)
    XCTAssertEqual(streamed.text, text)
  }

  func testBadValuesAreTheInterpretersErrorsWithTheFieldNamed() throws {
    let f = try ServeFixture(for: self)
    let r = try f.client.assertRefused("POST", "/api/models/m/sample", json: ["temperature": 500], status: 400, field: "temperature")
    f.console.clear()
    XCTAssertFalse(f.run("sample m temperature 500"))
    let message = try XCTUnwrap(r.object["error"] as? String)
    XCTAssertTrue(f.console.transcript.contains(message), "\(message) vs \(f.console.transcript)")

    let unknown = try XCTUnwrap(f.client.request("POST", "/api/models/nope/sample", json: [:]))
    XCTAssertEqual(unknown.status, 404)
    XCTAssertTrue((unknown.object["error"] as? String ?? "").contains("unknown model 'nope'"))

    try f.client.assertRefused("POST", "/api/models/m/sample", json: ["length": "200"], status: 400, field: "length")

    try f.client.assertRefused("POST", "/api/models/m/sample", json: ["lenght": 20], status: 400, field: "lenght")

    let notJSON = try XCTUnwrap(f.client.request("POST", "/api/models/m/sample", body: Data("{\"length\": ".utf8)))
    XCTAssertEqual(notJSON.status, 400)
    try f.client.assertRefused("POST", "/api/models/m/sample", json: ["length": 2.5], status: 400, field: "length")
  }

  func testSizesAreCapped() throws {
    let f = try ServeFixture(for: self)
    try f.client.assertRefused("POST", "/api/models/m/sample", json: ["length": 1_000_000], status: 413, field: "length")
    let big = Data(repeating: UInt8(ascii: " "), count: 70_000)
    let body = try XCTUnwrap(f.client.request("POST", "/api/models/m/sample", body: big))
    XCTAssertEqual(body.status, 413)
  }

  func testUnknownEndpointsAndMethods() throws {
    let f = try ServeFixture(for: self)
    XCTAssertEqual(f.client.request("GET", "/api/nothing")?.status, 404)
    XCTAssertEqual(f.client.request("GET", "/api/models/m/sample")?.status, 405)
    XCTAssertEqual(f.client.request("GET", "/")?.status, 200)
    XCTAssertTrue(f.client.request("GET", "/")?.text.contains("<title>rnn — live view</title>") ?? false)
  }

  func testChangesNeedTheTokenAndPathsStayInTheWorkingFolder() throws {
    let f = try ServeFixture(for: self)
    let before = f.fingerprint
    let noToken = try XCTUnwrap(f.client.request("POST", "/api/models/m/save", json: ["path": "checkpoints/a.safetensors"]))
    XCTAssertEqual(noToken.status, 401)
    XCTAssertEqual(f.client.request("POST", "/api/models/m/drop", json: [:])?.status, 401)
    XCTAssertEqual(f.client.request("POST", "/api/models/m/drop", json: [:], headers: ["Authorization": "Bearer wrong"])?.status, 401)
    XCTAssertEqual(f.fingerprint, before)

    for path in ["../outside.safetensors", "/tmp/x.safetensors", "checkpoints/../../x.safetensors"] {
      let r = try XCTUnwrap(f.client.request("POST", "/api/models/m/save", json: ["path": path], headers: f.auth))
      XCTAssertEqual(r.status, 400, path)
      XCTAssertEqual(r.object["field"] as? String, "path")
    }
    try FileManager.default.createSymbolicLink(atPath: f.root.appendingPathComponent("escape").path, withDestinationPath: "/tmp")
    let link = try XCTUnwrap(f.client.request("POST", "/api/models/m/save", json: ["path": "escape/x.safetensors"], headers: f.auth))
    XCTAssertEqual(link.status, 403)

    let saved = try XCTUnwrap(f.client.request("POST", "/api/models/m/save", json: ["path": "checkpoints/a.safetensors"], headers: f.auth))
    XCTAssertEqual(saved.status, 200, saved.text)
    XCTAssertTrue(FileManager.default.fileExists(atPath: f.root.appendingPathComponent("checkpoints/a.safetensors").path))
    let list = try XCTUnwrap(f.client.request("GET", "/api/checkpoints")?.json as? [[String: Any]])
    XCTAssertEqual(list.first?["path"] as? String, "checkpoints/a.safetensors")
    let loaded = try XCTUnwrap(
      f.client.request("POST", "/api/load", json: ["path": "checkpoints/a.safetensors", "name": "n"], headers: f.auth))
    XCTAssertEqual(loaded.status, 200, loaded.text)
    let names = (f.client.request("GET", "/api/models")?.json as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    XCTAssertEqual(names, ["m", "n"])
    XCTAssertEqual(f.client.request("POST", "/api/models/n/drop", json: [:], headers: f.auth)?.status, 200)
    XCTAssertEqual(f.fingerprint.components(separatedBy: "\n").count, before.components(separatedBy: "\n").count)
  }

  func testAForeignHostHeaderIsRefused() throws {
    let f = try ServeFixture(for: self)
    let r = f.client.request("GET", "/api/models", headers: ["Host": "evil.example:8750"])
    // The client sends its own Host first; a second one must not slip through either.
    XCTAssertNotEqual(r?.status, 500)
    let raw = f.client.send(Data("GET /api/models HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".utf8))
    XCTAssertEqual(raw.flatMap(HTTPTestClient.parse)?.status, 403)
  }

  func testABusySessionAnswers409() throws {
    let f = try ServeFixture(for: self)
    let holding = expectation(description: "held")
    let release = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      _ = f.host.turn("train m steps 1000000", source: "repl", patience: nil, route: f.console) { _ in
        holding.fulfill()
        release.wait()
      }
    }
    wait(for: [holding], timeout: 10)
    let r = try XCTUnwrap(f.client.request("POST", "/api/models/m/sample", json: ["seed": 1, "length": 5]))
    XCTAssertEqual(r.status, 409)
    XCTAssertTrue((r.object["error"] as? String ?? "").contains("train m steps 1000000"))
    // The models list still answers (from the snapshot).
    XCTAssertEqual(f.client.request("GET", "/api/models")?.status, 200)
    release.signal()
  }

  func testActivationsColourEveryCharacter() throws {
    let f = try ServeFixture(for: self)
    let text = "Tyger Tyger, burning bright,\nIn the night;\n"
    let r = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/activations", json: ["text": text, "layer": 1, "unit": 3, "gate": "c"]))
    XCTAssertEqual(r.status, 200, r.text)
    XCTAssertEqual((r.object["shades"] as? [Double])?.count, text.unicodeScalars.count)
    XCTAssertEqual(r.object["text"] as? String, text)
    try f.client.assertRefused("POST", "/api/models/m/activations", json: ["text": text, "unit": 99], status: 400, field: "unit")
  }

  func testHistoryEvalAndTrainingFromTheAPI() throws {
    let f = try ServeFixture(for: self)
    let events = EventReader(port: f.server.port)
    let started = try XCTUnwrap(
      f.client.request("POST", "/api/models/m/train", json: ["steps": 30, "eval_every": 10, "batch": 4, "seq": 16], headers: f.auth))
    XCTAssertEqual(started.status, 200, started.text)
    XCTAssertTrue(events.waitFor("event: end", timeout: 120))
    let history = try XCTUnwrap(f.client.request("GET", "/api/models/m/history"))
    XCTAssertEqual(history.object["step"] as? Int, 30)
    XCTAssertEqual((history.object["train"] as? [[Double]])?.last?.first, 30)
    XCTAssertEqual((history.object["validation"] as? [[String: Any]])?.count, 3)
    XCTAssertTrue(events.text.contains("event: progress"))
    XCTAssertTrue(events.text.contains("event: validation"))
    XCTAssertTrue(events.text.contains("\"chars_per_second\""))
    let eval = try XCTUnwrap(f.client.request("POST", "/api/models/m/eval", json: ["text": "Tyger Tyger"]))
    XCTAssertEqual(eval.status, 200, eval.text)
    XCTAssertFalse((eval.object["output"] as? [String] ?? []).isEmpty)
    try f.client.assertRefused("POST", "/api/models/m/train", json: ["stepz": 3], headers: f.auth, status: 400, field: "stepz")
    events.close()
  }

  func testTrainingFromTheREPLSideReachesTheEventStreamAndStopStopsIt() throws {
    let f = try ServeFixture(for: self)
    let events = EventReader(port: f.server.port)
    XCTAssertTrue(events.waitFor("event: hello", timeout: 10))
    let done = expectation(description: "trained")
    DispatchQueue.global().async {
      f.run("train m steps 100000 batch 4 seq 16 eval_every 20")
      done.fulfill()
    }
    XCTAssertTrue(events.waitFor("event: validation", timeout: 120))
    let stop = try XCTUnwrap(f.client.request("POST", "/api/train/stop", json: [:], headers: f.auth))
    XCTAssertEqual(stop.status, 200)
    wait(for: [done], timeout: 60)
    XCTAssertTrue(f.console.transcript.contains("stopped at step"), f.console.transcript)
    events.close()
  }
}

/// Reads `GET /api/events` on a thread of its own, collecting the text.
final class EventReader: @unchecked Sendable {
  private let lock = NSLock()
  private var collected = ""
  private let fd: Int32

  init(port: UInt16) {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    let request = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    let socketFD = fd
    _ = request.withCString { send(socketFD, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    Thread.detachNewThread { [self] in
      var buffer = [UInt8](repeating: 0, count: 8192)
      while true {
        let n = recv(socketFD, &buffer, buffer.count, 0)
        if n <= 0 { break }
        lock.lock()
        collected += String(decoding: buffer[0..<n], as: UTF8.self)
        lock.unlock()
      }
    }
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return collected
  }

  func waitFor(_ needle: String, timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if text.contains(needle) { return true }
      usleep(20_000)
    }
    return false
  }

  func close() { shutdown(fd, Int32(SHUT_RDWR)) }
}
