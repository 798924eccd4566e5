import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One HTTP GET (FoundationNetworking's URLSession, libcurl underneath on Linux), its body appended
/// to an open file as it arrives. Redirects are not followed here: the answer is handed back so
/// that ``Downloader`` can bound and check them. Waits synchronously, polling `shouldStop`.
struct HTTPTransfer {
  /// What one request ended with.
  enum Outcome: Equatable {
    /// A 3xx with a Location header.
    case redirect(location: String)
    /// A status other than 200, 206 or a redirect (the body is not kept).
    case status(Int)
    /// The whole body arrived: `restarted` when the server sent it all (200) although a range was
    /// asked for, so the file now holds only this body.
    case complete(restarted: Bool)
    /// The transfer failed part way (timeout, connection lost, body cut short); what arrived is
    /// in the file, for a range request to continue.
    case cutShort(String)
  }

  let policy: DownloadPolicy

  /// GETs `url`; with `resumeFrom` > 0 asks for `bytes=resumeFrom-` (with `If-Range: validator`
  /// when known). `file` is positioned at its end. Returns the outcome and the response's
  /// validator (ETag, else Last-Modified).
  func get(
    _ url: URL, resumeFrom: Int64, validator: String?, file: FileHandle, shouldStop: () -> Bool
  ) throws(DownloadError) -> (Outcome, validator: String?) {
    // FoundationNetworking on Linux counts the timeout in whole seconds (0.5 s times out at once).
    let timeout = max(1, policy.timeout)
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
    request.setValue("rnn-playground", forHTTPHeaderField: "User-Agent")
    if resumeFrom > 0 {
      request.setValue("bytes=\(resumeFrom)-", forHTTPHeaderField: "Range")
      if let validator { request.setValue(validator, forHTTPHeaderField: "If-Range") }
    }
    let receiver = Receiver(file: file, offset: resumeFrom, policy: policy, url: url.absoluteString)
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.urlCache = nil
    let session = URLSession(configuration: configuration, delegate: receiver, delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    let task = session.dataTask(with: request)
    task.resume()
    while receiver.done.wait(timeout: .now() + 0.05) == .timedOut {
      if shouldStop() {
        receiver.fail(.interrupted)
        task.cancel()
      }
    }
    return try receiver.outcome()
  }
}

/// The URLSession delegate of one transfer: checks the response, writes the body, counts bytes.
/// `@unchecked Sendable`: every mutable property is read and written only under `lock` (by
/// URLSession's queue, and by the waiting thread after `done`); `file` is written only by the
/// delegate callbacks, which URLSession runs one at a time.
private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  let done = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private let file: FileHandle
  private let policy: DownloadPolicy
  private let url: String
  /// Where the body starts in the file (the range asked for).
  private let offset: Int64
  private var status = 0
  private var location: String?
  private var validator: String?
  private var expected: Int64?
  private var received: Int64 = 0
  private var restarted = false
  private var error: DownloadError?
  private var transferError: String?

  init(file: FileHandle, offset: Int64, policy: DownloadPolicy, url: String) {
    self.file = file
    self.offset = offset
    self.policy = policy
    self.url = url
  }

  /// Records a failure that ends the transfer (the first one wins).
  func fail(_ e: DownloadError) {
    lock.lock()
    if error == nil { error = e }
    lock.unlock()
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
  ) {
    completionHandler(nil)  // the Downloader follows it, bounded and checked
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
  ) {
    guard let http = response as? HTTPURLResponse else {
      fail(.transfer("not an HTTP response", url: url, attempts: 1))
      return completionHandler(.cancel)
    }
    lock.lock()
    defer { lock.unlock() }
    status = http.statusCode
    validator = http.value(forHTTPHeaderField: "ETag") ?? http.value(forHTTPHeaderField: "Last-Modified")
    if (300..<400).contains(status) {
      location = http.value(forHTTPHeaderField: "Location")
      return completionHandler(.cancel)
    }
    guard status == 200 || (status == 206 && offset > 0) else { return completionHandler(.cancel) }
    if let problem = check(http) {
      error = problem
      return completionHandler(.cancel)
    }
    if status == 200 && offset > 0 {
      // The server ignored the range (or the file changed): start the file again.
      do {
        try file.truncate(atOffset: 0)
        try file.seek(toOffset: 0)
      } catch {
        self.error = .cache("cannot restart the download: \(error.localizedDescription)")
        return completionHandler(.cancel)
      }
      restarted = true
    }
    completionHandler(.allow)
  }

  /// The content type, the range and the announced size, or the reason to refuse the body.
  private func check(_ http: HTTPURLResponse) -> DownloadError? {
    let type = http.value(forHTTPHeaderField: "Content-Type") ?? ""
    if !ContentTypePolicy.acceptsAsText(type) { return .notText(contentType: type, url: url) }
    if status == 206 {
      let range = http.value(forHTTPHeaderField: "Content-Range") ?? ""
      guard ContentTypePolicy.rangeStart(range) == offset else {
        return .transfer("the server sent the wrong range (\(range.debugDescription))", url: url, attempts: 1)
      }
    }
    if http.expectedContentLength >= 0 {
      let total = (status == 206 ? offset : 0) + http.expectedContentLength
      expected = http.expectedContentLength
      if total > policy.maxBytes { return .tooLarge(bytes: total, limit: policy.maxBytes, url: url) }
    }
    return nil
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    lock.lock()
    defer { lock.unlock() }
    guard error == nil else { return }
    received += Int64(data.count)
    let total = (restarted ? 0 : offset) + received
    if total > policy.maxBytes {
      error = .tooLarge(bytes: nil, limit: policy.maxBytes, url: url)
      return dataTask.cancel()
    }
    do { try file.write(contentsOf: data) } catch {
      self.error = .cache("cannot write the download: \(error.localizedDescription)")
      dataTask.cancel()
    }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
    lock.lock()
    // A failure after a good status (or before any) is the transfer's; after another status it is
    // only the cancel that this delegate asked for.
    if let error, self.error == nil, [0, 200, 206].contains(status) {
      let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
      transferError = underlying?.userInfo[NSLocalizedDescriptionKey] as? String ?? Self.describe(error)
    }
    lock.unlock()
    done.signal()
  }

  /// Words for URLSession's errors that come without a description.
  private static func describe(_ error: any Error) -> String {
    switch (error as NSError).code {
    case NSURLErrorTimedOut: return "timed out"
    case NSURLErrorCannotConnectToHost: return "could not connect"
    case NSURLErrorNetworkConnectionLost: return "the connection was lost"
    case NSURLErrorCannotFindHost: return "could not resolve the host"
    default: return "transfer failed (\(error.localizedDescription))"
    }
  }

  /// The result, once `done` has been signalled.
  func outcome() throws(DownloadError) -> (HTTPTransfer.Outcome, validator: String?) {
    lock.lock()
    defer { lock.unlock() }
    if let error { throw error }
    if let transferError { return (.cutShort(transferError), validator) }
    if (300..<400).contains(status) {
      guard let location else { return (.status(status), validator) }
      return (.redirect(location: location), validator)
    }
    guard status == 200 || status == 206 else { return (.status(status), validator) }
    if let expected, received != expected {
      return (.cutShort("the body ended after \(received) of \(expected) bytes"), validator)
    }
    return (.complete(restarted: restarted), validator)
  }
}
