import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (a port the system picks) for the download tests: one
/// thread accepts, one thread per connection answers with what the handler says, then closes the
/// connection. It can misbehave on purpose: announce more bytes than it sends, or stall.
/// `@unchecked Sendable`: `received` and `stopped` are only touched under `lock`; the rest is
/// immutable after `init`.
public final class LoopbackHTTPServer: @unchecked Sendable {
  /// A request as received: method, path (with query), headers with lower-case names.
  public struct Request: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
  }

  /// What to answer.
  public struct Response: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Content-Length to announce (default: the body's size); negative: none (the body ends when
    /// the connection closes).
    public var contentLength: Int?
    /// Send only this many body bytes, then `stall` seconds of silence, then close.
    public var sendOnly: Int?
    /// Seconds to wait before the status line (a server that does not answer), or after `sendOnly`.
    public var stall: Double
    /// Seconds between the body's ten pieces (a slow but steady server); 0: all at once.
    public var trickle: Double = 0

    public init(
      status: Int = 200, headers: [(String, String)] = [("Content-Type", "text/plain; charset=utf-8")], body: [UInt8] = [],
      contentLength: Int? = nil, sendOnly: Int? = nil, stall: Double = 0
    ) {
      self.status = status
      self.headers = headers
      self.body = body
      self.contentLength = contentLength
      self.sendOnly = sendOnly
      self.stall = stall
    }

    /// A 200 with a UTF-8 text body.
    public static func text(_ s: String, type: String = "text/plain; charset=utf-8") -> Response {
      Response(headers: [("Content-Type", type)], body: Array(s.utf8))
    }

    /// A redirect to `location`.
    public static func redirect(_ location: String, status: Int = 302) -> Response {
      Response(status: status, headers: [("Location", location)])
    }
  }

  public let port: Int
  private let listener: Int32
  private let handler: @Sendable (Request) -> Response
  private let lock = NSLock()
  private var received: [Request] = []
  private var stopped = false

  /// Starts listening; the handler runs on the connection's thread.
  public init(handler: @escaping @Sendable (Request) -> Response) throws {
    self.handler = handler
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    listener = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  deinit { stop() }

  /// `http://127.0.0.1:PORT` + `path`.
  public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

  /// The requests received so far, in order.
  public var requests: [Request] {
    lock.lock()
    defer { lock.unlock() }
    return received
  }

  /// Stops accepting; stalled connections end within 50 ms.
  public func stop() {
    lock.lock()
    let wasStopped = stopped
    stopped = true
    lock.unlock()
    if !wasStopped {
      shutdown(listener, Int32(SHUT_RDWR))
      close(listener)
    }
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  private func acceptLoop() {
    while !isStopped {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        if errno == EINTR { continue }
        return
      }
      Thread.detachNewThread { [self] in serve(connection) }
    }
  }

  private func serve(_ connection: Int32) {
    defer { close(connection) }
    guard let request = readRequest(connection) else { return }
    lock.lock()
    received.append(request)
    lock.unlock()
    let response = handler(request)
    if response.sendOnly == nil { pause(response.stall) }
    var head = "HTTP/1.1 \(response.status) Status\r\n"
    for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
    let length = response.contentLength ?? response.body.count
    if length >= 0 { head += "Content-Length: \(length)\r\n" }
    head += "Connection: close\r\n\r\n"
    send(connection, Array(head.utf8))
    let body = Array(response.body.prefix(response.sendOnly ?? response.body.count))
    if response.trickle > 0 {
      let piece = max(1, (body.count + 9) / 10)
      for start in stride(from: 0, to: body.count, by: piece) {
        send(connection, Array(body[start..<min(body.count, start + piece)]))
        pause(response.trickle)
      }
    } else {
      send(connection, body)
    }
    if response.sendOnly != nil { pause(response.stall) }
  }

  /// Reads up to the blank line after the headers (requests here have no body).
  private func readRequest(_ connection: Int32) -> Request? {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 65536 {
      let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return nil }
      bytes += buffer[0..<n]
      if let text = String(bytes: bytes, encoding: .utf8), let end = text.range(of: "\r\n\r\n") {
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
          guard let colon = line.firstIndex(of: ":") else { continue }
          headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers)
      }
    }
    return nil
  }

  private func send(_ connection: Int32, _ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    var sent = 0
    while sent < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        #if canImport(Glibc)
          Glibc.send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        #else
          Darwin.send(connection, raw.baseAddress! + sent, raw.count - sent, 0)
        #endif
      }
      if n <= 0 { return }
      sent += n
    }
  }

  /// Waits `seconds`, ending early when the server stops.
  private func pause(_ seconds: Double) {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end && !isStopped { Thread.sleep(forTimeInterval: 0.02) }
  }
}
