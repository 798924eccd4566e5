import Foundation

extension Downloader {
  /// What one attempt (a request and the redirects it leads to) ended with.
  private enum Attempt {
    case complete
    /// A failure that may pass; the validator the server gave, for `If-Range`.
    case retry(String, validator: String?)
  }

  /// Downloads `url` into `file` (empty at first), retrying transient failures and continuing
  /// with a range request where the last attempt stopped.
  func transfer(_ url: URL, into file: FileHandle, shouldStop: () -> Bool, note: (String) -> Void) throws(DownloadError) {
    let http = HTTPTransfer(policy: policy)
    var validator: String?
    var failure = ""
    let attempts = max(1, policy.attempts)
    for n in 1...attempts {
      if n > 1 {
        let delay = policy.backoff * Double(1 << min(n - 2, 10))
        note("\(url.absoluteString): \(failure); trying again in \(formatSeconds(delay)) (attempt \(n) of \(attempts))")
        try wait(delay, shouldStop: shouldStop)
      }
      let have: Int64
      do { have = Int64(try file.offset()) } catch { throw .cache("cannot read the part file: \(error.localizedDescription)") }
      switch try attempt(url, http: http, resumeFrom: have, validator: validator, file: file, shouldStop: shouldStop) {
      case .complete: return
      case .retry(let why, let given):
        failure = why
        validator = given ?? validator
      }
    }
    throw .transfer(failure, url: url.absoluteString, attempts: attempts)
  }

  /// One request to `url`, and to where it redirects (at most `maxRedirects` times, no URL twice).
  private func attempt(
    _ url: URL, http: HTTPTransfer, resumeFrom have: Int64, validator: String?, file: FileHandle, shouldStop: () -> Bool
  ) throws(DownloadError) -> Attempt {
    var current = url
    var seen: Set<String> = [url.absoluteString]
    for _ in 0...policy.maxRedirects {
      let (outcome, given) = try http.get(current, resumeFrom: have, validator: validator, file: file, shouldStop: shouldStop)
      switch outcome {
      case .complete: return .complete
      case .cutShort(let why): return .retry(why, validator: given)
      case .status(416) where have > 0:
        // The range is not there (the file changed or shrank): start again from the first byte.
        do {
          try file.truncate(atOffset: 0)
          try file.seek(toOffset: 0)
        } catch { throw .cache("cannot restart the download: \(error.localizedDescription)") }
        return .retry("the server refused to continue from byte \(have)", validator: nil)
      case .status(let code) where code == 408 || code == 429 || code >= 500:
        return .retry("HTTP \(code)", validator: validator)
      case .status(let code):
        throw .httpStatus(code, url: current.absoluteString)
      case .redirect(let location):
        current = try Self.checkedURL(location, relativeTo: current)
        guard seen.insert(current.absoluteString).inserted else {
          throw .tooManyRedirects(url: url.absoluteString, count: policy.maxRedirects)
        }
      }
    }
    throw .tooManyRedirects(url: url.absoluteString, count: policy.maxRedirects)
  }

  /// Sleeps `seconds` in short slices, throwing `.interrupted` as soon as `shouldStop` says so.
  private func wait(_ seconds: Double, shouldStop: () -> Bool) throws(DownloadError) {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if shouldStop() { throw .interrupted }
      Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow)))
    }
    if shouldStop() { throw .interrupted }
  }

  private func formatSeconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }
}
