import FlyingFox
import FlyingSocks
import Foundation

/// The HTTP server of `serve` (FlyingFox): listens on one address, answers with ``WebAPI``.
public final class WebServer: @unchecked Sendable {
  /// The session it serves.
  public let host: SessionHost
  /// The token that requests needing one must carry.
  public let token: String
  /// The address asked for (`127.0.0.1`, `0.0.0.0`, `::1`, `localhost`).
  public let address: String
  /// The port it listens on (the one the system chose when 0 was asked for).
  public private(set) var port: UInt16 = 0
  private var server: HTTPServer?
  private var task: Task<Void, Never>?

  /// A server for `host`; nothing listens before ``start(port:limits:root:)``.
  public init(host: SessionHost, address: String = "127.0.0.1", token: String = WebServer.makeToken()) {
    self.host = host
    self.address = address
    self.token = token
  }

  /// Whether `address` is a loopback address (then only requests that change the session need the token).
  public static func isLoopback(_ address: String) -> Bool {
    address == "localhost" || address.hasPrefix("127.") || address == "::1"
  }

  /// 32 random hexadecimal digits.
  public static func makeToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
  }

  /// The page's address, with the token (as Jupyter prints it).
  public var url: String {
    let shown = address.contains(":") ? "[\(address)]" : (address == "0.0.0.0" ? "127.0.0.1" : address)
    return "http://\(shown):\(port)/?token=\(token)"
  }

  /// Starts listening (blocking until it does, at most 10 s); throws a message on failure (port in use).
  public func start(port: UInt16, limits: ServeLimits = ServeLimits(), root: String = FileManager.default.currentDirectoryPath)
    throws
  {
    let socketAddress: any SocketAddress
    do {
      switch address {
      case "localhost": socketAddress = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
      case let a where a.contains(":"): socketAddress = try sockaddr_in6.inet6(ip6: a, port: port)
      default: socketAddress = try sockaddr_in.inet(ip4: address, port: port)
      }
    } catch {
      throw ServeError("'\(address)' is not an IPv4 or IPv6 address")
    }
    let handler = WebAPI(
      host: host, token: token, loopbackOnly: Self.isLoopback(address), paths: PathGuard(root: root), limits: limits)
    let server = HTTPServer(config: .init(address: socketAddress, timeout: 60, logger: .disabled), handler: handler)
    self.server = server
    let failure = Locked<String?>(nil)
    task = Task {
      do { try await server.run() } catch { failure.withLock { $0 = "\(error)" } }
    }
    let ready = DispatchSemaphore(value: 0)
    let listening = Locked<UInt16?>(nil)
    Task {
      if (try? await server.waitUntilListening(timeout: 10)) != nil,
        case .ip4(_, let p)? = await server.listeningAddress.map(HTTPRequest.Address.make(from:))
      {
        listening.withLock { $0 = p }
      } else if case .ip6(_, let p)? = await server.listeningAddress.map(HTTPRequest.Address.make(from:)) {
        listening.withLock { $0 = p }
      }
      ready.signal()
    }
    ready.wait()
    guard let actual = listening.current else {
      task?.cancel()
      throw ServeError("could not listen on \(address):\(port): \(failure.current ?? "the address may be in use")")
    }
    self.port = actual
  }

  /// Stops listening (open event streams end).
  public func stop() {
    guard let server else { return }
    let done = DispatchSemaphore(value: 0)
    Task {
      await server.stop(timeout: 1)
      done.signal()
    }
    done.wait()
    task?.cancel()
    self.server = nil
  }
}

/// Why `serve` could not start.
public struct ServeError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
