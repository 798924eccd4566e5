extension CommandTable {
  /// `serve [port N] [host "ADDRESS"]`, `serve stop`
  static let serve = CommandSpec(
    "serve",
    summary: "Show the session in a web browser: a live page and a JSON API on this same session.",
    help: """
      Starts a web server on the session the REPL is using and prints its address with a random \
      token, `serving the session at http://127.0.0.1:8750/?token=…`: open it in a browser. The page \
      shows every model of the session with its configuration, live training curves, sampling (and \
      each kind's own action: a generator's labels, translate, tag, classify), a text coloured by \
      one unit with `cells`, gate saturation and gradient flow, and the checkpoints; the JSON API \
      does the same (docs/serve.md). The prompt stays usable: typed statements and the page's \
      requests take turns. It listens on 127.0.0.1 unless `host` says otherwise (then every request \
      needs the token, and a warning says so); `port` and `host` are remembered for the next \
      `serve`. `serve stop` stops it. Only a REPL serves (`rnn`, or `rnn serve [--port N] [--host \
      ADDRESS] [FILE.rnn …]` from the shell); elsewhere, as in a script run by `rnn FILE.rnn`, it is an error.
      """,
    parameters: ServeParameters.self,
    examples: ["serve", "serve port 9000", #"serve port 0 host "0.0.0.0""#, "serve stop"],
    action: { interpreter, arguments throws(InterpreterError) in try interpreter.serve(arguments) })
}

/// The parameters of `serve`.
struct ServeParameters: CommandParameters {
  let port = ParameterKey<Int?>.option(
    "port", .integer(0...65_535), note: "8750, or the last one given", "The port to listen on (0: any free port).")
  let host = ParameterKey<String?>.option(
    "host", .string, note: "\"127.0.0.1\", or the last one given",
    "The address to listen on (\"0.0.0.0\": every interface, every request needs the token).")
  let stop = ParameterKey<Bool>.option("stop", .bool, default: false, "Stop serving.")
}

/// What `serve` asks of the front end that serves (``Interpreter/serveHandler``).
public struct ServeRequest: Sendable, Equatable {
  /// Stop serving (`serve stop`); the other fields are then nil.
  public var stop: Bool
  /// The port and address given, if any (the front end keeps the last ones otherwise).
  public var port: UInt16?
  public var host: String?

  public init(stop: Bool, port: UInt16?, host: String?) {
    self.stop = stop
    self.port = port
    self.host = host
  }
}

extension Interpreter {
  func serve(_ arguments: Arguments<ServeParameters>) throws(InterpreterError) -> SessionObject? {
    guard let handler = serveHandler else {
      throw arguments.error(
        "serve works in the REPL: run `rnn` and type serve, or `rnn serve [--port N] [--host ADDRESS] [FILE.rnn …]` from the shell",
        kind: .invalid)
    }
    let host: PartialKeyPath<ServeParameters> = \.host, port: PartialKeyPath<ServeParameters> = \.port
    if arguments[\.stop] && (arguments.has(\.port) || arguments.has(\.host)) {
      throw arguments.error("serve stop takes no port or host", at: arguments.has(\.port) ? port : host, kind: .invalid)
    }
    let request = ServeRequest(stop: arguments[\.stop], port: arguments[\.port].map { UInt16($0) }, host: arguments[\.host])
    if let failure = handler(request, sink) { throw arguments.error(failure, at: arguments.has(\.host) ? host : nil) }
    return nil
  }
}
