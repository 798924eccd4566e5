import Foundation
import RNNDownload
import RNNInterpreter
import TestSupport
import XCTest

/// `corpus url` and `corpus tinyshakespeare` through the interpreter, against a server on
/// 127.0.0.1 that the test starts: the corpus options apply, the size and SHA-256 are shown, the
/// second load makes no request, and a failed download leaves the session as it was.
final class CorpusURLTests: XCTestCase {
  /// An interpreter on a temporary folder whose downloads go to a cache folder of its own.
  /// `localCopies` stands for `RNN_TINYSHAKESPEARE` and the like (none unless given, whatever the
  /// environment of the test run says).
  func makeInterpreter(localCopies: [String: String] = [:]) throws -> (Interpreter, RecordingSink, cache: String) {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-url")
    let cache = root.appendingPathComponent("cache").path
    let sink = RecordingSink()
    let policy = DownloadPolicy(cacheFolder: cache, timeout: 2, attempts: 2, backoff: 0.01, localCopies: localCopies)
    let interpreter = Interpreter(
      sink: sink, fileSystem: LocalFileSystem(root: root.path), settings: InterpreterSettings(showTimings: false, download: policy))
    return (interpreter, sink, cache)
  }

  func makeServer() throws -> LoopbackHTTPServer {
    let server = try LoopbackHTTPServer { request in
      switch request.path {
      case "/tiny.txt": return .text(tinyText)
      case "/page": return LoopbackHTTPServer.Response(headers: [("Content-Type", "application/pdf")], body: Array("%PDF".utf8))
      default: return LoopbackHTTPServer.Response(status: 404)
      }
    }
    addTeardownBlock { server.stop() }
    return server
  }

  func testLoadsAURLOnceWithTheCorpusOptions() throws {
    let server = try makeServer()
    let (interpreter, sink, cache) = try makeInterpreter()
    let url = server.url("/tiny.txt")
    XCTAssertTrue(interpreter.run("c = corpus url \"\(url)\" split 0.8 tokens word"), sink.transcript)
    let sha = SHA256.hex(of: Array(tinyText.utf8))
    let bytes = Formatting.count(tinyText.utf8.count)
    XCTAssertTrue(sink.transcript.contains("\(url): \(bytes) bytes, SHA-256 \(sha) (downloaded to \(cache)/"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("\(bytes) characters as"), sink.transcript)
    guard case .corpus(let first)? = interpreter.session["c"] else { return XCTFail("no corpus c") }
    XCTAssertEqual(first.fractions.train, 0.8)
    sink.clear()
    XCTAssertTrue(interpreter.run("d = corpus url \"\(url)\" split 0.8 tokens word"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("(cached: \(cache)/"), sink.transcript)
    XCTAssertEqual(server.requests.count, 1, "the second load makes no request")
    guard case .corpus(let second)? = interpreter.session["d"] else { return XCTFail("no corpus d") }
    XCTAssertEqual(second.corpus.fingerprint, first.corpus.fingerprint)
  }

  func testAFailedDownloadIsAClearErrorAndChangesNothing() throws {
    let server = try makeServer()
    let (interpreter, sink, cache) = try makeInterpreter()
    XCTAssertTrue(interpreter.run("c = corpus \"corpora/tiny.txt\""), sink.transcript)
    let before = interpreter.session.fingerprint
    let cases: [(String, String)] = [
      ("c = corpus url \"\(server.url("/missing.txt"))\"", "answered HTTP 404 (not found)"),
      ("c = corpus url \"\(server.url("/page"))\"", "is \"application/pdf\", not text"),
      ("c = corpus url \"ftp://example.com/x.txt\"", "is not an http or https URL"),
      ("c = corpus url \"\(server.url("/tiny.txt"))\" \"corpora/tiny.txt\"", "unexpected argument"),
      ("c = corpus \"corpora/tiny.txt\" url \"\(server.url("/tiny.txt"))\"", "give one of PATH, `url` and `tinyshakespeare`"),
      ("c = corpus", "'corpus' needs a PATH"),
      ("c = corpus url \"\(server.url("/tiny.txt"))\" split 0.9 validation 0.5", "must not exceed 1"),
    ]
    for (statement, expected) in cases {
      sink.clear()
      XCTAssertFalse(interpreter.run(statement), statement)
      XCTAssertTrue(firstError(sink).contains(expected), "\(statement): \(firstError(sink))")
      XCTAssertEqual(interpreter.session.fingerprint, before, statement)
    }
    XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? [], [])
    XCTAssertEqual(server.requests.map(\.path), ["/missing.txt", "/page"], "no request for a call that cannot succeed")
  }

  /// `corpus tinyshakespeare` with a good copy already in the cache (the shared file under its
  /// cache name, with its record) loads it without any request. (A download whose size or
  /// SHA-256 is not the known one is refused: DownloaderTests.)
  func testTinyShakespeareFromTheCache() throws {
    guard let shared = Fixtures.tinyShakespearePath() else { throw XCTSkip("tinyshakespeare.txt is not beside the checkout") }
    let (interpreter, sink, cache) = try makeInterpreter()
    let known = KnownCorpus.tinyShakespeare
    let path = cache + "/" + CachedFile.name(for: URL(string: known.url)!)
    try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: shared, toPath: path)
    let record = #"{"bytes": 1115394, "sha256": "\#(known.expected.sha256)", "url": "\#(known.url)"}"#
    try record.write(toFile: path + ".json", atomically: true, encoding: .utf8)
    XCTAssertTrue(interpreter.run("ts = corpus tinyshakespeare split 0.9"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("1,115,394 bytes, SHA-256 \(known.expected.sha256) (cached"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("vocabulary 65"), sink.transcript)
  }

  /// `RNN_TINYSHAKESPEARE=PATH` makes `corpus tinyshakespeare` read that file where it is, after
  /// the same size and SHA-256 check as a download, with no request and nothing in the cache.
  func testTinyShakespeareFromALocalCopy() throws {
    guard let shared = Fixtures.tinyShakespearePath() else { throw XCTSkip("tinyshakespeare.txt is not beside the checkout") }
    let (interpreter, sink, cache) = try makeInterpreter(localCopies: ["tinyshakespeare": shared])
    XCTAssertTrue(interpreter.run("ts = corpus tinyshakespeare split 0.9"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("(local copy RNN_TINYSHAKESPEARE=\(shared))"), sink.transcript)
    XCTAssertTrue(sink.transcript.contains("train 1,003,854 / validation 111,540"), sink.transcript)
    XCTAssertFalse(FileManager.default.fileExists(atPath: cache), "nothing is written to the cache")
    XCTAssertEqual(KnownCorpus.localCopies(environment: ["RNN_TINYSHAKESPEARE": shared, "RNN_OTHER": "x"]), ["tinyshakespeare": shared])
    XCTAssertEqual(KnownCorpus.localCopies(environment: ["RNN_TINYSHAKESPEARE": ""]), [:])
  }

  /// A local copy that is missing or is not tiny Shakespeare is a clear error naming the variable and
  /// the path, and the session keeps what it had.
  func testAWrongLocalCopyIsAClearErrorAndChangesNothing() throws {
    let root = try makeTinyCorpusFolder(for: self, prefix: "rnn-local")
    let other = root.appendingPathComponent("corpora/tiny.txt").path
    for (path, message) in [
      (other, "RNN_TINYSHAKESPEARE=\(other) is not the file expected:"),
      (root.appendingPathComponent("missing.txt").path, "no readable file there"),
    ] {
      let (interpreter, sink, _) = try makeInterpreter(localCopies: ["tinyshakespeare": path])
      XCTAssertTrue(interpreter.run("ts = corpus \"corpora/tiny.txt\""), sink.transcript)
      XCTAssertFalse(interpreter.run("ts = corpus tinyshakespeare split 0.9"))
      XCTAssertTrue(sink.transcript.contains(message), sink.transcript)
      XCTAssertTrue(interpreter.run("show ts"), sink.transcript)
      XCTAssertTrue(sink.transcript.contains("corpora/tiny.txt"), sink.transcript)
    }
  }
}
