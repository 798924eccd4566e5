import RNNInterpreter
import RNNLanguage
import XCTest

/// `serve` in the command table: the interpreter parses and checks it (help and completion come
/// from the same entry) and hands the request to the front end that serves; without one it is an
/// error saying where it works.
final class ServeCommandTests: XCTestCase {
  func testWithoutAFrontEndServeSaysWhereItWorks() {
    let (interpreter, sink, _) = makeInterpreter()
    let before = interpreter.session.fingerprint
    XCTAssertFalse(interpreter.run(SourceFile(name: "<input>", text: "serve")).succeeded)
    XCTAssertTrue(sink.transcript.contains("serve works in the REPL"), sink.transcript)
    XCTAssertEqual(interpreter.session.fingerprint, before)
  }

  func testTheFrontEndGetsTheCheckedRequest() {
    let (interpreter, sink, _) = makeInterpreter()
    var requests: [ServeRequest] = []
    interpreter.serveHandler = { request, output in
      requests.append(request)
      output.emit(.line("serving"))
      return request.port == 1 ? "could not listen on 127.0.0.1:1" : nil
    }
    XCTAssertTrue(interpreter.run(SourceFile(name: "<input>", text: "serve")).succeeded)
    XCTAssertTrue(interpreter.run(SourceFile(name: "<input>", text: #"serve port 0 host "0.0.0.0""#)).succeeded)
    XCTAssertTrue(interpreter.run(SourceFile(name: "<input>", text: "serve stop")).succeeded)
    XCTAssertEqual(
      requests,
      [
        ServeRequest(stop: false, port: nil, host: nil), ServeRequest(stop: false, port: 0, host: "0.0.0.0"),
        ServeRequest(stop: true, port: nil, host: nil),
      ])
    XCTAssertEqual(sink.transcript, "serving\nserving\nserving\n")
    // The table checks the values before the front end sees them.
    sink.clear()
    XCTAssertFalse(interpreter.run(SourceFile(name: "<input>", text: "serve port 70000")).succeeded)
    XCTAssertTrue(sink.transcript.contains("between 0 and 65535"), sink.transcript)
    XCTAssertFalse(interpreter.run(SourceFile(name: "<input>", text: "serve stop port 9000")).succeeded)
    XCTAssertFalse(interpreter.run(SourceFile(name: "<input>", text: "serve prot 9000")).succeeded)
    XCTAssertTrue(sink.transcript.contains("did you mean 'port'"), sink.transcript)
    XCTAssertEqual(requests.count, 3)
    // The front end's refusal is the statement's error.
    sink.clear()
    XCTAssertFalse(interpreter.run(SourceFile(name: "<input>", text: "serve port 1")).succeeded)
    XCTAssertTrue(sink.transcript.contains("could not listen on 127.0.0.1:1"), sink.transcript)
  }

  func testHelpExplainsServe() {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(interpreter.run(SourceFile(name: "<input>", text: "help serve")).succeeded)
    for needle in ["usage: serve", "port", "host", "stop", "serving the session at http://127.0.0.1:8750/?token=", "rnn serve"] {
      XCTAssertTrue(sink.transcript.contains(needle), "help serve lacks \(needle): \(sink.transcript)")
    }
    sink.clear()
    XCTAssertTrue(interpreter.run(SourceFile(name: "<input>", text: "help")).succeeded)
    XCTAssertTrue(sink.transcript.contains("serve"), sink.transcript)
  }
}
