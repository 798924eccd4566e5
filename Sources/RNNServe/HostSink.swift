import RNNInterpreter

/// The interpreter's sink while a session is shared: every event goes to the observer (the event
/// stream of the page) and to the current target, which is the console for the REPL and scripts
/// and a request's own recorder while an API request runs. Only the thread holding the session
/// (``SessionHost``) emits or changes the target.
final class HostSink: OutputSink, @unchecked Sendable {
  /// Where events go now.
  var target: any OutputSink
  /// Sees every event first.
  var observer: (OutputEvent) -> Void = { _ in }

  init(target: any OutputSink) { self.target = target }

  func emit(_ event: OutputEvent) {
    observer(event)
    target.emit(event)
  }
}

/// Forwards lines, warnings and errors but no progress: a training started from the page prints
/// its loss lines on the console without drawing a progress bar over the prompt.
final class QuietSink: OutputSink {
  let base: any OutputSink

  init(_ base: any OutputSink) { self.base = base }

  func emit(_ event: OutputEvent) {
    if case .progress = event { return }
    base.emit(event)
  }
}

/// Collects what an API request's statement printed, and passes each sampled character on as it
/// is drawn (a streamed sample).
final class RequestSink: OutputSink {
  private(set) var lines: [String] = []
  private(set) var warnings: [String] = []
  private(set) var sample = ""
  var onCharacter: (String) -> Void = { _ in }

  func emit(_ event: OutputEvent) {
    switch event {
    case .line(let text): lines.append(text)
    case .warning(let text): warnings.append(text)
    case .sampleBegan(_, let prime):
      sample = prime
      if !prime.isEmpty { onCharacter(prime) }
    case .sampleCharacter(let c):
      sample += c
      onCharacter(c)
    case .sampleEnded, .progress, .error: break
    }
  }
}
