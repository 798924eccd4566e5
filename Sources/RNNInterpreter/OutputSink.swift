/// Progress of a long-running command (`train`, `eval`), reported after every step so that a front
/// end can draw a progress bar (a terminal) or ignore it (a script's log).
public struct ProgressEvent: Sendable, Equatable {
  /// What is running.
  public enum Activity: String, Sendable, Equatable {
    case training, evaluating
  }

  /// What is running.
  public var activity: Activity
  /// The model's name.
  public var model: String
  /// Units done in this command (steps for training, characters for evaluation).
  public var done: Int
  /// Units planned, or `nil` for a time budget.
  public var total: Int?
  /// The model's global step (training) after this unit.
  public var step: Int
  /// Latest training loss in nats/char (training only).
  public var loss: Float?
  /// Wall-clock seconds since the command started.
  public var elapsed: Double
  /// Characters processed per second so far.
  public var charactersPerSecond: Double
  /// The time budget in seconds (`train m for 2m`), if any.
  public var budget: Double?

  /// Creates an event.
  public init(
    activity: Activity, model: String, done: Int, total: Int?, step: Int, loss: Float?,
    elapsed: Double,
    charactersPerSecond: Double, budget: Double? = nil
  ) {
    self.activity = activity
    self.model = model
    self.done = done
    self.total = total
    self.step = step
    self.loss = loss
    self.elapsed = elapsed
    self.charactersPerSecond = charactersPerSecond
    self.budget = budget
  }
}

/// Everything the interpreter says. It never prints: a front end (the CLI, the REPL, a test)
/// receives these and decides how to show them.
public enum OutputEvent: Sendable, Equatable {
  /// One line of ordinary output (no trailing newline).
  case line(String)
  /// A sample is about to stream (`sample m …`); `prime` is the text it continues.
  case sampleBegan(model: String, prime: String)
  /// One generated character, sent as soon as it exists.
  case sampleCharacter(String)
  /// The sample is complete (a front end ends the line).
  case sampleEnded
  /// A step of a long command finished.
  case progress(ProgressEvent)
  /// Something worth knowing that is not an error (a command stopped early, a clamped value).
  case warning(String)
  /// An error, already rendered compiler-style (`file:line:col: error: …`, source line, caret);
  /// ends with a newline.
  case error(String)
}

/// Where the interpreter's output goes. Only the CLI and the REPL print; tests record.
public protocol OutputSink: AnyObject {
  /// Receives one event, in order.
  func emit(_ event: OutputEvent)
}

/// A sink that keeps every event, and renders them as the plain text a script run prints.
public final class RecordingSink: OutputSink {
  /// Every event received, in order.
  public private(set) var events: [OutputEvent] = []

  /// Creates an empty recorder.
  public init() {}

  public func emit(_ event: OutputEvent) { events.append(event) }

  /// Forgets what was recorded.
  public func clear() { events.removeAll() }

  /// The events as a transcript: lines, samples on their own lines, `warning:` lines, errors;
  /// progress events are left out (they only drive progress bars).
  public var transcript: String { PlainTextRenderer.render(events) }
}

/// Renders events as plain text, the way `rnn FILE.rnn > out.txt` prints them.
public enum PlainTextRenderer {
  /// The text of `events`, progress events omitted; errors included (in a real run they go to stderr).
  public static func render(_ events: [OutputEvent]) -> String {
    var out = ""
    for event in events { out += text(of: event) ?? "" }
    return out
  }

  /// The text one event prints on standard output or standard error, or `nil` for progress.
  public static func text(of event: OutputEvent) -> String? {
    switch event {
    case .line(let line): return line + "\n"
    case .sampleBegan(_, let prime): return prime
    case .sampleCharacter(let c): return c
    case .sampleEnded: return "\n"
    case .progress: return nil
    case .warning(let message): return "warning: \(message)\n"
    case .error(let rendered): return rendered
    }
  }
}
