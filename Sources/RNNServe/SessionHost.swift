import Foundation
import RNNInterpreter
import RNNLanguage

/// The one session that the REPL (or a script) and the web server share. Whoever runs a statement
/// holds the session's baton: the REPL for each input, the API for each request (one at a time, on
/// its own queue), a training started from the page for as long as it runs. Output goes to the
/// holder's sink (``HostSink``); every event is also watched by the ``TrainingObserver``, which
/// feeds the page's event stream. A request that cannot get the baton within its patience answers
/// 409 busy instead of waiting behind a long `train`.
public final class SessionHost: @unchecked Sendable {
  /// The interpreter's sink: pass it to the ``Interpreter`` this host shares.
  let sink: HostSink
  /// The console's sink (REPL and script output).
  public let console: any OutputSink
  /// The event stream of the page.
  let hub = EventHub()
  private let observer: TrainingObserver
  private let baton = DispatchSemaphore(value: 1)
  private let queue = DispatchQueue(label: "rnn.serve.session")
  private let state = Locked(State())
  private var interpreterStorage: Interpreter?

  private struct State {
    var running: String?
    var stopRequested = false
    var snapshot = Snapshot()
  }

  /// A host whose REPL and scripts print through `console`.
  public init(console: any OutputSink) {
    self.console = console
    sink = HostSink(target: console)
    observer = TrainingObserver(hub: hub)
    sink.observer = { [observer] in observer.observe($0) }
    observer.onStep = { [state] model, step in
      state.withLock { s in
        if let i = s.snapshot.models.firstIndex(where: { $0.name == model }) { s.snapshot.models[i].step = step }
      }
    }
  }

  /// The sink to create the shared ``Interpreter`` with.
  public var interpreterSink: any OutputSink { sink }

  /// Shares `interpreter` (created with ``interpreterSink``): a stop requested from the page
  /// (`POST /api/train/stop`) stops its running command as Ctrl-C would.
  public func adopt(_ interpreter: Interpreter) {
    interpreterStorage = interpreter
    let base = interpreter.shouldStop
    interpreter.shouldStop = { [state] in base() || state.withLock { $0.stopRequested } }
    observer.validationCount = { [unowned interpreter] name in
      (interpreter.session.model(name)?.trainer.state.validationLosses ?? []).map { ($0.step, Double($0.loss)) }
    }
    state.withLock { $0.snapshot = Snapshot(session: interpreter.session) }
  }

  var interpreter: Interpreter { interpreterStorage! }

  /// What is running now (a statement's text), if anything.
  public var running: String? { state.withLock { $0.running } }

  /// The latest snapshot of the session's models and corpora.
  var snapshot: Snapshot { state.withLock { $0.snapshot } }

  /// Asks the running statement to stop at its next step boundary; returns what was running.
  func requestStop() -> String? {
    state.withLock { s in
      if s.running != nil { s.stopRequested = true }
      return s.running
    }
  }

  /// Runs `body` as the session's holder, on the calling thread, with output going to `route`.
  /// Waits for the baton at most `patience` seconds (forever when nil); nil when it did not get it.
  public func turn<T>(_ label: String, source: String, patience: Double?, route: any OutputSink, _ body: (Interpreter) -> T) -> T? {
    if let patience {
      guard baton.wait(timeout: .now() + patience) == .success else { return nil }
    } else {
      baton.wait()
    }
    let result = holding(label, source: source, route: route, body)
    baton.signal()
    return result
  }

  /// The part of a turn after the baton is taken (the baton is released by the caller).
  private func holding<T>(_ label: String, source: String, route: any OutputSink, _ body: (Interpreter) -> T) -> T {
    state.withLock {
      $0.running = label
      $0.stopRequested = false
    }
    let models = interpreter.session.modelNames
    sink.target = route
    observer.publishesLines = !(route is RequestSink)
    observer.begin(models: models)
    hub.publish("begin", ["statement": label, "source": source])
    let result = body(interpreter)
    observer.end(models: interpreter.session.modelNames)
    sink.target = console
    let snapshot = Snapshot(session: interpreter.session)
    state.withLock {
      $0.running = nil
      $0.stopRequested = false
      $0.snapshot = snapshot
    }
    hub.publish("end", ["statement": label, "source": source])
    hub.publish("models", ["models": snapshot.models.map(\.json)])
    return result
  }

  /// A turn for an API request, run on the host's queue (never on a Swift concurrency thread,
  /// which a long wait would starve); nil when the session stayed busy for `patience` seconds.
  func request<T: Sendable>(_ label: String, patience: Double = 1, _ body: @escaping @Sendable (Interpreter, RequestSink) -> T) async -> T?
  {
    await withCheckedContinuation { continuation in
      queue.async {
        let recorder = RequestSink()
        continuation.resume(
          returning: self.turn(label, source: "api", patience: patience, route: recorder) { body($0, recorder) })
      }
    }
  }

  /// Starts `statement` on a thread of its own (a training run from the page), printing on the
  /// console without a progress bar; `check` runs first, holding the session, and may refuse
  /// (then nothing starts). Returns nil once started, the refusal, or 409 when busy.
  func startInBackground(_ label: String, check: @escaping @Sendable (Interpreter) -> APIError?) async -> APIError? {
    await withCheckedContinuation { continuation in
      queue.async {
        guard self.baton.wait(timeout: .now() + 1) == .success else {
          continuation.resume(returning: .busy(self.running ?? "a statement"))
          return
        }
        if let refusal = check(self.interpreter) {
          self.baton.signal()
          continuation.resume(returning: refusal)
          return
        }
        self.state.withLock { $0.running = label }
        let thread = Thread {
          _ = self.holding(label, source: "api", route: QuietSink(self.console)) { interpreter in
            interpreter.run(SourceFile(name: "<api>", text: label))
          }
          self.baton.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        continuation.resume(returning: nil)
      }
    }
  }

  /// Runs a statement typed at the REPL, holding the session; if the page's training holds it,
  /// says so and waits (Ctrl-C stops that training).
  public func replTurn(_ text: String, _ run: () -> Void) {
    if baton.wait(timeout: .now()) != .success {
      console.emit(.warning("waiting for '\(running ?? "a request")' (from the browser) to finish; Ctrl-C stops it"))
      baton.wait()
    }
    holding(String(text.prefix(200)), source: "repl", route: console) { _ in run() }
    baton.signal()
  }
}

extension Snapshot.Model {
  /// The model as a JSON object (for events).
  var json: [String: Any] {
    guard let data = try? JSONEncoder().encode(self),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return ["name": name] }
    return object
  }
}
