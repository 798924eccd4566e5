import Foundation
import XCTest

@testable import RNNServe

/// Throws 10,000 malformed requests at a served session over loopback: raw garbage, broken request
/// lines and headers, lying Content-Length, bodies that are not JSON or have the wrong shapes,
/// hostile paths and names. Every answer must be a JSON error with a status a client can act on
/// (or a closed connection for bytes that are not HTTP); afterwards the session is exactly as it
/// was and the server still answers.
final class ServeFuzzTests: XCTestCase {
  /// How many (RNN_SERVE_FUZZ_REQUESTS overrides it, to replay a few quickly).
  static let requestCount = Int(ProcessInfo.processInfo.environment["RNN_SERVE_FUZZ_REQUESTS"] ?? "") ?? 10_000

  func testTenThousandMalformedRequestsLeaveTheSessionIntact() throws {
    let f = try ServeFixture(for: self, files: ServeKindsTests.files, setup: ServeKindsTests.setup)  // every model kind
    let before = f.fingerprint
    let client = f.client
    let allowed: Set<Int> = [200, 400, 401, 403, 404, 405, 409, 413, 422]
    let unexpected = Locked<[String]>([])
    let answered = Locked(0)
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      var rng = SplitMix(seed: UInt64(worker) &+ 1)
      for _ in 0..<(Self.requestCount / 4) {
        let bytes = Self.malformedRequest(&rng)
        guard let raw = client.send(bytes, timeout: 20) else { continue }
        guard !raw.isEmpty else { continue }  // not HTTP: the server closed the connection
        guard let response = HTTPTestClient.parse(raw) else {
          unexpected.withLock { $0.append("unparsable answer to \(String(decoding: bytes.prefix(80), as: UTF8.self))") }
          continue
        }
        answered.withLock { $0 += 1 }
        if !allowed.contains(response.status) {
          unexpected.withLock { $0.append("\(response.status) for \(String(decoding: bytes.prefix(120), as: UTF8.self))") }
        } else if response.status != 200, !(response.headers["content-type"] ?? "").contains("json"),
          !(response.status == 404 && Self.hasNonstandardMethod(bytes))
        {
          unexpected.withLock { $0.append("non-JSON error \(response.status) for \(String(decoding: bytes.prefix(120), as: UTF8.self))") }
        }
      }
    }
    XCTAssertEqual(unexpected.current.prefix(10), [], "\(unexpected.current.count) unexpected answers")
    XCTAssertGreaterThan(answered.current, Self.requestCount / 4)
    XCTAssertEqual(f.fingerprint, before)
    XCTAssertEqual(f.client.request("GET", "/api/models")?.status, 200)
    XCTAssertTrue(f.run("sample m length 10 seed 1"))
  }

  /// Whether the request's method is not one of HTTP's: FlyingFox answers those itself, with an
  /// empty 404, before the API sees them (docs/serve.md says so).
  static func hasNonstandardMethod(_ bytes: Data) -> Bool {
    let method = String(decoding: bytes.prefix(while: { $0 != UInt8(ascii: " ") }), as: UTF8.self)
    return !["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"].contains(method)
  }

  /// One malformed request: a mutation of a valid one, or garbage.
  static func malformedRequest(_ rng: inout SplitMix) -> Data {
    let paths = [
      "/api/models/m/sample", "/api/models/m/activations", "/api/models/m/eval", "/api/models/m/cells",
      "/api/models/m/history", "/api/models", "/api/models/m/save", "/api/load", "/api/models/m/drop",
      "/api/models/m/train", "/api/train/stop", "/api/events/x?token=x", "/api/models/%00/sample",
      "/api/models/m/saturation", "/api/models/m/gradients", "/api/models/m/classify", "/api/models/m/translate",
      "/api/models/m/tag", "/api/models/c/gradients", "/api/models/m/gradients?steps=9999", "/api/models/k/classify",
      "/api/models/t/translate", "/api/models/q/tag", "/api/models/g/sample", "/api/models/q/cells", "/api/models/g/drop",
      "/api/models/m%22%3B%20drop%20m/sample", "/api/models/../../etc/passwd", "/" + String(repeating: "a/", count: 300),
    ]
    let bodies = [
      #"{"length": -1}"#, #"{"length": 1e308}"#, #"{"temperature": "hot"}"#, #"{"prime": 5}"#, #"{"seed": -3}"#,
      #"{"top_k": 0, "top_p": 2}"#, #"{"text": "\u0000\ud800"}"#, #"{"path": "../../x"}"#, #"{"path": "/etc/passwd", "name": "x y"}"#,
      #"{"layer": 99, "unit": -1, "gate": "q"}"#, #"["a"]"#, "null", "\"str\"", "{", "{\"a\":", "{}}", #"{"prime": "\"; drop m; \""}"#,
      String(repeating: "[", count: 5000), #"{"length": 20, "seed": 1, "prime": "x\u0001"}"#, #"{"steps": "many"}"#,
      #"{"file": "/etc/passwd"}"#, #"{"split": "nope"}"#, #"{"stream": 1}"#, #"{"steps": 100000, "compare": "m"}"#,
      #"{"compare": ["m", "../x", 3]}"#, #"{"compare": [["m"]], "limit": 1e9}"#, #"{"label": 7, "count": -2}"#,
      #"{"label": "\"; drop m", "count": 100000}"#, #"{"text": "abc", "beam": 0, "length": 1e6}"#,
      #"{"text": "x", "probability": "yes"}"#, #"{"text": ["a", "b"], "unknown": "maybe"}"#, #"{"text": ""}"#,
    ]
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", "", "P OST"]
    switch rng.next() % 8 {
    case 0:  // raw garbage
      return Data((0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    case 1:  // a broken request line
      let line = [
        "GET", "GET /", "GET / HTTP/9.9", "/api/models HTTP/1.1", "GET /api/models HTTP/1.1 extra", "\r\n\r\n",
      ][Int(rng.next() % 6)]
      return Data((line + "\r\n\r\n").utf8)
    case 2:  // a lying or absurd Content-Length
      let length = ["-5", "99999999999999999999", "abc", "10", "0"][Int(rng.next() % 5)]
      return Data("POST /api/models/m/sample HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n{}".utf8)
    case 3:  // headers without the blank line, or enormous
      return Data(("GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + String(repeating: "y", count: Int(rng.next() % 20000))).utf8)
    default:  // a well-formed request with hostile parts
      let method = methods[Int(rng.next() % UInt64(methods.count))]
      let path = paths[Int(rng.next() % UInt64(paths.count))]
      var body = Array(bodies[Int(rng.next() % UInt64(bodies.count))].utf8)
      if rng.next() % 3 == 0, !body.isEmpty {  // flip or cut a byte
        let i = Int(rng.next() % UInt64(body.count))
        if rng.next() % 2 == 0 { body[i] = UInt8(truncatingIfNeeded: rng.next()) } else { body = Array(body[..<i]) }
      }
      var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
      if rng.next() % 4 == 0 { head += "Authorization: Bearer \(String(rng.next(), radix: 16))\r\n" }
      if rng.next() % 6 == 0 { head += "Transfer-Encoding: chunked\r\n" }
      return Data((head + "\r\n").utf8) + Data(body)
    }
  }
}

/// A small deterministic generator (SplitMix64), so a failing request can be replayed.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
