/// What reading one line produced.
public enum LineReadResult: Sendable, Equatable {
  /// A line, without its newline.
  case line(String)
  /// Ctrl-C while the line was being typed: the half-typed line is dropped.
  case interrupted
  /// End of input (Ctrl-D on an empty line, or the end of a pipe).
  case endOfInput
  /// A SIGTERM arrived while waiting: the session should end (the half-typed line is dropped).
  case terminated
}

/// Where the REPL's lines come from: GNU readline on a terminal (``ReadlineLineReader``), plain
/// line reading otherwise (``PlainLineReader``), a list of lines in tests (``ScriptedLineReader``).
public protocol LineReader: AnyObject {
  /// Shows `prompt` (if the reader shows prompts) and reads one line.
  func readLine(prompt: String) -> LineReadResult
  /// Makes `entry` recallable (Up arrow). Called only for entries the ``History`` recorded.
  func addToHistory(_ entry: String)
  /// Called before each read with the session's names and the earlier lines of a statement still
  /// being typed (empty at a fresh prompt), for completion.
  func updateCompletions(_ names: [CompletionName], pendingInput: String)
}

extension LineReader {
  public func addToHistory(_ entry: String) {}
  public func updateCompletions(_ names: [CompletionName], pendingInput: String) {}
}

/// Reads from a fixed list of results (tests): each `.line`, `.interrupted` or `.endOfInput` is
/// returned in turn, then `.endOfInput` forever. Records the prompts it was shown.
public final class ScriptedLineReader: LineReader {
  private var pending: [LineReadResult]
  /// Every prompt shown, in order.
  public private(set) var prompts: [String] = []
  /// Every entry added to history, in order.
  public private(set) var historyEntries: [String] = []
  /// Runs before each read is answered (tests use it to inspect state between lines).
  public var beforeRead: ((Int) -> Void)?

  /// Creates a reader answering with `results`.
  public init(_ results: [LineReadResult]) { pending = results }

  /// Creates a reader answering with these lines, then end of input.
  public convenience init(lines: [String]) { self.init(lines.map { .line($0) }) }

  public func readLine(prompt: String) -> LineReadResult {
    beforeRead?(prompts.count)
    prompts.append(prompt)
    return pending.isEmpty ? .endOfInput : pending.removeFirst()
  }

  public func addToHistory(_ entry: String) { historyEntries.append(entry) }
}
