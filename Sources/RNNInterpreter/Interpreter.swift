import RNNDownload
import RNNLanguage

/// Runs statements of the command language against a ``Session``, one at a time, writing only to
/// its ``OutputSink``.
///
/// Guarantees: every argument of a command is checked (``ArgumentBinder``) before the command
/// runs, and commands build new objects completely before binding them, so a statement that fails
/// leaves the session as it was. `shouldStop` is polled at every step boundary of `train`,
/// `sample` and `eval` (and between statements of a block); when it returns true the running
/// command stops cleanly and the statement ends with an ``InterpreterError/Kind/interrupted`` error.
public final class Interpreter {
  /// What the interpreter knows.
  public let session: Session
  /// Where output goes.
  public let sink: any OutputSink
  /// Files it may read and write.
  public let fileSystem: any FileSystem
  /// Polled at step boundaries; true asks the running command to stop (Ctrl-C).
  public var shouldStop: () -> Bool = { false }
  /// Settings that are not part of the language.
  public var settings: InterpreterSettings
  /// The numbers behind what the last command printed (``CommandData``), for a front end that
  /// draws them itself; nil when the last command has none.
  public internal(set) var lastData: CommandData?
  /// Drops ``lastData`` once a front end has read it, so that a long-lived session (the served
  /// page's) does not keep a large trace (`activations` of a long text) until the next command.
  public func forgetLastData() { lastData = nil }
  /// What the last `activations` coloured (``ActivationData``), for a front end that draws it.
  public var lastActivations: ActivationData? {
    if case .activations(let data)? = lastData { return data }
    return nil
  }
  /// Serves the session (`serve`), printing on the sink given; returns why it could not, or nil.
  /// Set by a front end that can serve (the REPL of `rnn`); nil elsewhere, where `serve` is an error.
  public var serveHandler: ((ServeRequest, any OutputSink) -> String?)?
  /// Loop variables in scope, innermost last.
  var scopes: [[String: Value]] = []
  /// The file of the statement being run, for diagnostics.
  var currentFile = SourceFile(name: "<input>", text: "")
  /// The range of the command being run, for runtime errors.
  var currentCommandRange = SourceRange(start: 0, end: 0)

  /// Creates an interpreter over a session.
  public init(
    session: Session = Session(), sink: any OutputSink, fileSystem: any FileSystem,
    settings: InterpreterSettings = InterpreterSettings()
  ) {
    self.session = session
    self.sink = sink
    self.fileSystem = fileSystem
    self.settings = settings
  }

  /// Runs one parsed statement from `file`. Errors are thrown, not printed (see ``report(_:in:)``).
  public func execute(_ statement: Statement, in file: SourceFile) throws(InterpreterError) {
    currentFile = file
    try execute(statement)
  }

  func execute(_ statement: Statement) throws(InterpreterError) {
    switch statement.kind {
    case .command(let command):
      try run(command, target: nil)
    case .assignment(let target, let command):
      try run(command, target: target)
    case .forLoop(let variable, let iterable, let body):
      guard case .list(let items) = ArgumentBinder.resolve(iterable, in: scopes) else {
        throw InterpreterError(
          "'for' needs a list to iterate over, like [0.5, 1.0]", at: iterable.range)
      }
      for item in items {
        scopes.append([variable.name: item])
        defer { scopes.removeLast() }
        try executeBlock(body)
      }
    case .repeatLoop(let count, let body):
      guard case .number(let n, _) = ArgumentBinder.resolve(count, in: scopes), n == n.rounded(),
        n >= 0, n <= 1_000_000
      else {
        throw InterpreterError(
          "'repeat' needs a whole number of times between 0 and 1000000", at: count.range)
      }
      for _ in 0..<Int(n) { try executeBlock(body) }
    }
  }

  private func executeBlock(_ block: Block) throws(InterpreterError) {
    for statement in block.statements {
      if shouldStop() { throw InterpreterError(.interrupted, "interrupted", at: statement.range) }
      try execute(statement)
    }
  }

  /// Looks the command up, validates its arguments, runs it, and binds or shows its result.
  private func run(_ command: Command, target: Identifier?) throws(InterpreterError) {
    guard let spec = CommandTable.spec(named: command.name.name) else {
      let suggestion = Suggestions.didYouMean(command.name.name, among: CommandTable.allNames)
      var notes: [String] = []
      if target == nil, command.arguments.isEmpty, session[command.name.name] != nil {
        notes.append("to see '\(command.name.name)', write: show \(command.name.name)")
      } else if suggestion == nil {
        notes.append("type 'help' for the list of commands")
      }
      throw InterpreterError(
        "unknown command '\(command.name.name)'", at: command.name.range, suggestion: suggestion,
        notes: notes)
    }
    if let target, !spec.producesValue {
      throw InterpreterError(
        "'\(spec.name)' produces no value to bind to '\(target.name)'", at: target.range)
    }
    if let target, CommandTable.spec(named: target.name) != nil {
      throw InterpreterError(
        "'\(target.name)' is a command name; choose another name", at: target.range)
    }
    let binder = ArgumentBinder(spec: spec, command: command, session: session, scopes: scopes)
    let invocation = try binder.bind(target: target?.name)
    currentCommandRange = command.name.range
    lastData = nil
    let result = try spec.action(self, invocation)
    if let target, let result {
      session.bind(target.name, to: result)
    }
    if shouldStop() { throw InterpreterError(.interrupted, "interrupted", at: command.range) }
  }

  /// Emits a line of output.
  func say(_ line: String) { sink.emit(.line(line)) }

  /// Emits a warning.
  func warn(_ message: String) { sink.emit(.warning(message)) }
}

/// Interpreter settings that come from the command line or the environment, not the language.
public struct InterpreterSettings: Sendable, Equatable {
  /// Multiplies every `train` step count and time budget (`RNN_STEPS_SCALE`; 1 = as written).
  /// Also the default for `set steps_scale`.
  public var stepsScale: Double
  /// Whether reports include wall-clock figures (time, characters per second). Golden tests turn
  /// them off so transcripts are reproducible.
  public var showTimings: Bool
  /// Columns of the terminal (or of the page) that charts and wrapped text fill; the front end
  /// sets it from `$COLUMNS` or `TIOCGWINSZ`. Commands with a `width` option override it.
  public var terminalWidth: Int
  /// Whether output goes to a colour terminal (ANSI escapes allowed in lines); off for files,
  /// pipes, tests and with `NO_COLOR`.
  public var colour: Bool
  /// Where `corpus url` keeps downloads, and its timeout, retries and limits.
  public var download: DownloadPolicy

  /// Creates settings.
  public init(
    stepsScale: Double = 1, showTimings: Bool = true, terminalWidth: Int = 80, colour: Bool = false,
    download: DownloadPolicy = DownloadPolicy()
  ) {
    self.download = download
    self.stepsScale = stepsScale
    self.showTimings = showTimings
    self.terminalWidth = terminalWidth
    self.colour = colour
  }
}
