import Foundation
import RNNDownload
import TestSupport
import XCTest

/// `Downloader` against a server on 127.0.0.1 that each test starts: success and the cache, HTTP
/// errors, timeouts, bodies cut short, resumption, redirects, content types, UTF-8, checksums,
/// interruption. After every failure the cache holds neither a final file nor a part file.
final class DownloaderTests: XCTestCase {
  let text = String(repeating: "To be, or not to be: that is the question.\n", count: 40)

  /// A cache folder removed when the test ends, and a policy with short waits.
  func makePolicy(attempts: Int = 3, timeout: Double = 5) -> DownloadPolicy {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-cache-\(UUID().uuidString)").path
    addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
    return DownloadPolicy(cacheFolder: folder + "/nested", timeout: timeout, attempts: attempts, backoff: 0.01, maxRedirects: 5)
  }

  func makeServer(_ handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response) throws
    -> LoopbackHTTPServer
  {
    let server = try LoopbackHTTPServer(handler: handler)
    addTeardownBlock { server.stop() }
    return server
  }

  /// The files in the cache folder (empty when it does not exist).
  func cacheFiles(_ policy: DownloadPolicy) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: policy.cacheFolder)) ?? []).sorted()
  }

  /// `body` fails with exactly `expected`, and leaves the cache without any file.
  func assertFails(
    _ expected: DownloadError, _ policy: DownloadPolicy, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Void
  ) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
      XCTAssertEqual(error as? DownloadError, expected, file: file, line: line)
    }
    XCTAssertEqual(cacheFiles(policy), [], "nothing is left in the cache", file: file, line: line)
  }

  func testDownloadsOnceThenLoadsFromTheCacheWithoutARequest() throws {
    let text = self.text
    let server = try makeServer { _ in .text(text) }
    let policy = makePolicy()
    let first = try Downloader(policy: policy).fetch(server.url("/data/input.txt"))
    XCTAssertFalse(first.fromCache)
    XCTAssertEqual(try String(contentsOfFile: first.path, encoding: .utf8), text)
    XCTAssertEqual(
      first.record, CachedFile(url: server.url("/data/input.txt"), bytes: Int64(text.utf8.count), sha256: SHA256.hex(of: Array(text.utf8))))
    XCTAssertTrue(first.path.hasSuffix("-input.txt"), first.path)
    XCTAssertEqual(cacheFiles(policy).count, 2, "the file and its sidecar: \(cacheFiles(policy))")
    let second = try Downloader(policy: policy).fetch(server.url("/data/input.txt"))
    XCTAssertTrue(second.fromCache)
    XCTAssertEqual(second.record, first.record)
    XCTAssertEqual(server.requests.count, 1, "the second load makes no request")
  }

  func testACachedCopyThatNoLongerMatchesItsRecordIsDownloadedAgain() throws {
    let text = self.text
    let server = try makeServer { _ in .text(text) }
    let policy = makePolicy()
    let first = try Downloader(policy: policy).fetch(server.url("/t.txt"))
    try "tampered".write(toFile: first.path, atomically: true, encoding: .utf8)
    var notes: [String] = []
    let again = try Downloader(policy: policy).fetch(server.url("/t.txt"), note: { notes.append($0) })
    XCTAssertFalse(again.fromCache)
    XCTAssertEqual(try String(contentsOfFile: again.path, encoding: .utf8), text)
    XCTAssertEqual(server.requests.count, 2)
    XCTAssertTrue(notes.joined().contains("does not match its record"), "\(notes)")
  }

  func testNotFoundIsAnErrorWithoutRetries() throws {
    let server = try makeServer { _ in LoopbackHTTPServer.Response(status: 404, body: Array("no".utf8)) }
    let policy = makePolicy()
    assertFails(.httpStatus(404, url: server.url("/missing.txt")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/missing.txt"))
    }
    XCTAssertEqual(server.requests.count, 1)
  }

  func testServerErrorsAreRetriedAndThenSucceed() throws {
    let text = self.text
    let calls = Counter()
    let server = try makeServer { _ in calls.next() < 2 ? LoopbackHTTPServer.Response(status: 503) : .text(text) }
    let policy = makePolicy(attempts: 3)
    var notes: [String] = []
    let file = try Downloader(policy: policy).fetch(server.url("/flaky.txt"), note: { notes.append($0) })
    XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), text)
    XCTAssertEqual(server.requests.count, 3)
    XCTAssertEqual(notes.count, 2, "one note per retry: \(notes)")
    XCTAssertTrue(notes[0].contains("HTTP 503"), notes[0])
  }

  func testATimeoutFailsAfterTheBoundedAttempts() throws {
    let server = try makeServer { _ in LoopbackHTTPServer.Response(body: Array("late".utf8), stall: 10) }
    let policy = makePolicy(attempts: 2, timeout: 1)
    let start = Date()
    assertFails(.transfer("timed out", url: server.url("/slow.txt"), attempts: 2), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/slow.txt"))
    }
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertGreaterThan(elapsed, 1.8, "each attempt waited for its timeout")
    XCTAssertLessThan(elapsed, 8, "the timeout, not the server, ended each attempt")
    XCTAssertEqual(server.requests.count, 2)
  }

  /// The timeout is for silence, not for the whole transfer: a body that keeps coming for longer
  /// than the timeout arrives whole.
  func testASlowButSteadyBodyIsNotATimeout() throws {
    let text = self.text
    let server = try makeServer { _ in
      var response = LoopbackHTTPServer.Response.text(text)
      response.trickle = 0.3
      return response
    }
    let policy = makePolicy(attempts: 1, timeout: 1)
    let start = Date()
    let file = try Downloader(policy: policy).fetch(server.url("/steady.txt"))
    XCTAssertGreaterThan(Date().timeIntervalSince(start), 2.5, "longer than the timeout in all")
    XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), text)
  }

  /// Content-Length larger than the body, every time: each retry asks for the rest with a range
  /// request; the server ignores it and the file starts again; after the attempts it is an error.
  func testABodyCutShortIsRetriedWithARangeAndFailsWhenItStaysShort() throws {
    let text = self.text
    let server = try makeServer { _ in
      LoopbackHTTPServer.Response(body: Array(text.utf8), contentLength: text.utf8.count + 100)
    }
    let policy = makePolicy(attempts: 3)
    XCTAssertThrowsError(try Downloader(policy: policy).fetch(server.url("/short.txt"))) { error in
      guard case .transfer(_, let url, let attempts)? = error as? DownloadError else { return XCTFail("\(error)") }
      XCTAssertEqual(url, server.url("/short.txt"))
      XCTAssertEqual(attempts, 3)
    }
    XCTAssertEqual(cacheFiles(policy), [])
    let ranges = server.requests.map { $0.headers["range"] }
    XCTAssertEqual(ranges, [nil, "bytes=\(text.utf8.count)-", "bytes=\(text.utf8.count)-"])
  }

  /// A server that honours ranges: the first answer is cut short, the retry continues from there
  /// (206), and the file is whole.
  func testACutShortDownloadResumesWithARange() throws {
    let body = Array(text.utf8)
    let server = try makeServer { request in
      guard let range = request.headers["range"] else {
        return LoopbackHTTPServer.Response(headers: [("Content-Type", "text/plain"), ("ETag", "\"v1\"")], body: body, sendOnly: 100)
      }
      let start = Int(range.dropFirst("bytes=".count).dropLast())!
      return LoopbackHTTPServer.Response(
        status: 206,
        headers: [("Content-Type", "text/plain"), ("ETag", "\"v1\""), ("Content-Range", "bytes \(start)-\(body.count - 1)/\(body.count)")],
        body: Array(body[start...]))
    }
    let policy = makePolicy()
    let file = try Downloader(policy: policy).fetch(server.url("/resume.txt"))
    XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path))), body)
    XCTAssertEqual(server.requests.count, 2)
    XCTAssertEqual(server.requests[1].headers["range"], "bytes=100-")
    XCTAssertEqual(server.requests[1].headers["if-range"], "\"v1\"")
  }

  func testRedirectsAreFollowedAndRecordTheURLAskedFor() throws {
    let text = self.text
    let server = try makeServer { request in
      switch request.path {
      case "/old": return .redirect("/moved", status: 301)
      case "/moved": return .redirect("/final.txt", status: 307)
      default: return .text(text)
      }
    }
    let policy = makePolicy()
    let file = try Downloader(policy: policy).fetch(server.url("/old"))
    XCTAssertEqual(file.record.url, server.url("/old"))
    XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), text)
    XCTAssertEqual(server.requests.map(\.path), ["/old", "/moved", "/final.txt"])
  }

  func testARedirectLoopIsAnError() throws {
    let server = try makeServer { request in .redirect(request.path == "/a" ? "/b" : "/a") }
    let policy = makePolicy()
    assertFails(.tooManyRedirects(url: server.url("/a"), count: 5), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/a"))
    }
    XCTAssertEqual(server.requests.map(\.path), ["/a", "/b"], "stopped at the first URL seen twice")
  }

  func testMoreRedirectsThanTheLimitIsAnError() throws {
    let server = try makeServer { request in .redirect(request.path + "x") }
    let policy = makePolicy()
    assertFails(.tooManyRedirects(url: server.url("/r"), count: 5), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/r"))
    }
    XCTAssertEqual(server.requests.count, 6, "the request and its 5 redirects")
  }

  func testOnlyHTTPAndHTTPSAreFetchedOrFollowed() throws {
    let server = try makeServer { _ in .redirect("file:///etc/passwd") }
    let policy = makePolicy()
    assertFails(.unsupportedURL("file:///etc/passwd"), policy) { _ = try Downloader(policy: policy).fetch(server.url("/x")) }
    assertFails(.unsupportedURL("ftp://example.com/a.txt"), policy) {
      _ = try Downloader(policy: policy).fetch("ftp://example.com/a.txt")
    }
    assertFails(.unsupportedURL("input.txt"), policy) { _ = try Downloader(policy: policy).fetch("input.txt") }
  }

  func testAContentTypeThatIsNotTextIsRefused() throws {
    let server = try makeServer { request in
      request.path == "/image.png"
        ? LoopbackHTTPServer.Response(headers: [("Content-Type", "image/png")], body: [0x89, 0x50])
        : .text("caf\u{E9}", type: "text/plain; charset=iso-8859-1")
    }
    let policy = makePolicy()
    assertFails(.notText(contentType: "image/png", url: server.url("/image.png")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/image.png"))
    }
    assertFails(.notText(contentType: "text/plain; charset=iso-8859-1", url: server.url("/latin1.txt")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/latin1.txt"))
    }
  }

  func testABodyThatIsNotUTF8IsRefused() throws {
    let server = try makeServer { _ in
      LoopbackHTTPServer.Response(headers: [("Content-Type", "application/octet-stream")], body: Array("abc".utf8) + [0xFF, 0x41])
    }
    let policy = makePolicy()
    assertFails(.notUTF8(offset: 3, url: server.url("/bytes.bin")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/bytes.bin"))
    }
  }

  func testAFileOverTheSizeLimitIsRefused() throws {
    let text = self.text
    let server = try makeServer { _ in .text(text) }
    var policy = makePolicy()
    policy.maxBytes = 100
    assertFails(.tooLarge(bytes: Int64(text.utf8.count), limit: 100, url: server.url("/big.txt")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/big.txt"))
    }
  }

  /// Without a Content-Length the limit is checked while the body arrives.
  func testABodyWithoutALengthIsCutOffAtTheSizeLimit() throws {
    let text = self.text
    let server = try makeServer { _ in LoopbackHTTPServer.Response(body: Array(text.utf8), contentLength: -1) }
    var policy = makePolicy()
    policy.maxBytes = 100
    assertFails(.tooLarge(bytes: nil, limit: 100, url: server.url("/endless.txt")), policy) {
      _ = try Downloader(policy: policy).fetch(server.url("/endless.txt"))
    }
    policy.maxBytes = Int64(text.utf8.count)
    let file = try Downloader(policy: policy).fetch(server.url("/endless.txt"))
    XCTAssertEqual(file.record.bytes, Int64(text.utf8.count), "exactly the limit is allowed")
  }

  /// The known corpus's size and SHA-256 are checked: another file at its URL is refused.
  func testAChecksumMismatchIsRefusedAndNothingIsKept() throws {
    let text = self.text
    let server = try makeServer { _ in .text(text) }
    let policy = makePolicy()
    let expected = KnownCorpus.tinyShakespeare.expected
    XCTAssertThrowsError(try Downloader(policy: policy).fetch(server.url("/input.txt"), expected: expected)) { error in
      guard case .checksumMismatch(let want, let got, _)? = error as? DownloadError else { return XCTFail("\(error)") }
      XCTAssertTrue(want.contains(expected.sha256), want)
      XCTAssertTrue(got.contains(SHA256.hex(of: Array(text.utf8))), got)
    }
    XCTAssertEqual(cacheFiles(policy), [])
  }

  /// Stopped (Ctrl-C) half way through the body: an interruption error, no file at the final
  /// path, no part file.
  func testAnInterruptedDownloadLeavesNoFile() throws {
    let body = Array(text.utf8)
    let server = try makeServer { _ in LoopbackHTTPServer.Response(body: body, sendOnly: body.count / 2, stall: 10) }
    let policy = makePolicy()
    let start = Date()
    let url = server.url("/stalls.txt")
    assertFails(.interrupted, policy) {
      _ = try Downloader(policy: policy).fetch(url, shouldStop: { Date().timeIntervalSince(start) > 0.5 })
    }
    let final = policy.cacheFolder + "/" + CachedFile.name(for: URL(string: url)!)
    XCTAssertFalse(FileManager.default.fileExists(atPath: final))
  }

  /// The part file of a process that was killed is removed by the next download, and never seen
  /// as the final file.
  func testAPartFileOfADeadProcessIsRemoved() throws {
    let text = self.text
    let server = try makeServer { _ in .text(text) }
    let policy = makePolicy()
    let name = CachedFile.name(for: URL(string: server.url("/p.txt"))!)
    try FileManager.default.createDirectory(atPath: policy.cacheFolder, withIntermediateDirectories: true)
    let stale = "\(policy.cacheFolder)/.\(name).part-999999999"
    try "half a fi".write(toFile: stale, atomically: false, encoding: .utf8)
    let file = try Downloader(policy: policy).fetch(server.url("/p.txt"))
    XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), text)
    XCTAssertEqual(cacheFiles(policy), [name, name + ".json"])
  }

  func testContentTypePolicy() {
    for accepted in [
      "", "text/plain", "text/plain; charset=utf-8", "Text/Markdown;charset=\"UTF-8\"", "application/octet-stream",
      "text/csv; charset=us-ascii",
    ] {
      XCTAssertTrue(ContentTypePolicy.acceptsAsText(accepted), accepted)
    }
    for refused in ["image/png", "application/json", "text/plain; charset=iso-8859-1", "application/zip"] {
      XCTAssertFalse(ContentTypePolicy.acceptsAsText(refused), refused)
    }
  }
}

/// A thread-safe counter for handlers (`@unchecked Sendable`: `value` only under `lock`).
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  /// The value before this call.
  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value - 1
  }
}
