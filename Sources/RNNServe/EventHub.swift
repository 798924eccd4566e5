import Foundation

/// Fans the session's events out to every `GET /api/events` subscriber as Server-Sent Events
/// (`event: NAME` and one `data:` line of JSON each), keeping the latest ones so that a page
/// opened during a training run draws the curve from its start.
final class EventHub: @unchecked Sendable {
  private struct State {
    var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    var next = 0
    var recent: [String] = []
  }

  /// Events kept for replay.
  let replayLimit: Int
  private let state = Locked(State())

  init(replayLimit: Int = 2000) { self.replayLimit = replayLimit }

  /// Sends event `name` with `payload` (JSON-encodable) to every subscriber.
  func publish(_ name: String, _ payload: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]),
      let json = String(data: data, encoding: .utf8)
    else { return }
    let message = "event: \(name)\ndata: \(json)\n\n"
    let subscribers = state.withLock { s -> [AsyncStream<String>.Continuation] in
      s.recent.append(message)
      if s.recent.count > replayLimit { s.recent.removeFirst(s.recent.count - replayLimit) }
      return Array(s.subscribers.values)
    }
    for continuation in subscribers { continuation.yield(message) }
  }

  /// A new subscription: the kept events first, then each new one, and a comment line every
  /// `heartbeat` seconds (so a dead connection is noticed). Ends when the client goes away.
  func subscribe(heartbeat: Double = 10) -> AsyncStream<String> {
    AsyncStream(bufferingPolicy: .bufferingNewest(4096)) { continuation in
      let id = state.withLock { s -> Int in
        s.next += 1
        s.subscribers[s.next] = continuation
        for message in s.recent { continuation.yield(message) }
        return s.next
      }
      continuation.yield("event: hello\ndata: {}\n\n")
      let beat = Task {
        while !Task.isCancelled {
          try? await Task.sleep(nanoseconds: UInt64(heartbeat * 1e9))
          continuation.yield(": keep-alive\n\n")
        }
      }
      continuation.onTermination = { [weak self] _ in
        beat.cancel()
        self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
      }
    }
  }

  /// Subscribers now connected.
  var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
