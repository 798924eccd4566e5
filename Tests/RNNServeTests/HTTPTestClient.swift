import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over a loopback socket, for the tests: sends bytes exactly as
/// given (so malformed requests can be sent too) and reads the answer until the server closes.
struct HTTPTestClient: Sendable {
  let port: UInt16

  struct Response {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
  }

  /// Sends a well-formed request (`Connection: close`) and parses the answer.
  func request(
    _ method: String, _ path: String, json: Any? = nil, body: Data? = nil, headers: [String: String] = [:]
  ) -> Response? {
    var payload = body ?? Data()
    if let json { payload = (try? JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])) ?? Data() }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    if !payload.isEmpty || method == "POST" { head += "Content-Length: \(payload.count)\r\n" }
    head += "\r\n"
    guard let raw = send(Data(head.utf8) + payload) else { return nil }
    return Self.parse(raw)
  }

  /// Sends `bytes`, half-closes, and returns everything the server answers (nil if it could not connect).
  func send(_ bytes: Data, timeout: Double = 30) -> Data? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    var sent = 0
    let all = [UInt8](bytes)
    while sent < all.count {
      let n = all[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { break }
      sent += n
    }
    shutdown(fd, Int32(SHUT_WR))
    var answer = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      answer.append(contentsOf: buffer[0..<n])
    }
    return answer
  }

  /// Reads a status line, headers and body (de-chunked when chunked); nil for an unreadable answer.
  static func parse(_ raw: Data) -> Response? {
    let bytes = [UInt8](raw)
    guard let end = findHeaderEnd(bytes) else { return nil }
    let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = head.first?.split(separator: " ") ?? []
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      if let colon = line.firstIndex(of: ":") {
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    var body = Array(bytes[(end + 4)...])
    if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
    return Response(status: status, headers: headers, body: Data(body))
  }

  private static func findHeaderEnd(_ b: [UInt8]) -> Int? {
    guard b.count >= 4 else { return nil }
    for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
    return nil
  }

  private static func dechunk(_ b: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < b.count {
      var j = i
      while j + 1 < b.count, !(b[j] == 13 && b[j + 1] == 10) { j += 1 }
      guard let size = Int(String(decoding: b[i..<j], as: UTF8.self), radix: 16), size > 0, j + 2 + size <= b.count else { break }
      out += b[(j + 2)..<(j + 2 + size)]
      i = j + 2 + size + 2
    }
    return out
  }
}
