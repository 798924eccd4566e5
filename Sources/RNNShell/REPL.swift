import Foundation
import RNNInterpreter
import RNNLanguage

/// The read–eval–print loop: reads lines from a ``LineReader`` until a statement is complete
/// (showing the continuation prompt while a block, string or list is open), runs it with the
/// ``Interpreter``, and records it in the ``History``. Each input is parsed once: the parse that
/// shows it complete is the one the history and the interpreter use.
///
/// - Errors print with a caret under what was just typed; the session is unchanged (the
///   interpreter's guarantee) and the prompt comes back.
/// - Ctrl-C at a prompt drops what was typed (including earlier lines of an open block); during a
///   statement it stops `train`/`sample`/`eval` at the next step boundary (``InterruptSignal``).
/// - Ctrl-D on an empty prompt exits, after warning once if models have unsaved training; inside an
///   open block it drops the block. `quit` and `exit` also leave (the same warning applies).
/// - SIGTERM during a statement stops it like Ctrl-C (a `train` with `autosave` saves first); at
///   the prompt, or once that statement has stopped, the REPL leaves with status 143, saving the
///   history and warning about unsaved training without waiting for an answer.
public final class REPL {
  /// The prompt for a new statement.
  public var prompt = "rnn> "
  /// The prompt while a statement continues.
  public var continuationPrompt = "...> "
  /// Runs statements.
  public let interpreter: Interpreter
  /// Where lines come from.
  public let reader: any LineReader
  /// What was typed.
  public private(set) var history: History
  /// Called before each prompt (the console erases its progress bar).
  public var beforePrompt: () -> Void = {}
  /// Whether a stop has been requested (Ctrl-C); reset before each statement.
  public var stopRequested: () -> Bool = { false }
  /// Forgets a stop request; called before each statement and prompt.
  public var resetStop: () -> Void = {}
  /// Marks a statement as running (a second Ctrl-C then exits).
  public var setBusy: (Bool) -> Void = { _ in }
  /// Whether a SIGTERM asked the session to end (checked after each statement).
  public var terminationRequested: () -> Bool = { false }
  /// The exit status after a SIGTERM (128 + 15, as a shell reports a process it terminated).
  public static let terminatedStatus: Int32 = 143
  /// Runs one input (its text, and the run); a host that shares the interpreter with another
  /// front end (`serve`) wraps it to take its turn with the session.
  public var aroundStatement: (String, () -> Void) -> Void = { $1() }
  /// Statements run so far (one per complete input).
  public private(set) var inputsRun = 0
  private var warnedUnsaved = false

  /// Creates a loop.
  public init(interpreter: Interpreter, reader: any LineReader, history: History) {
    self.interpreter = interpreter
    self.reader = reader
    self.history = history
    for entry in history.entries { reader.addToHistory(entry) }
    interpreter.shouldStop = { [unowned self] in self.stopRequested() }
  }

  /// The banner printed on start.
  public static func banner(version: String) -> String {
    "rnn \(version) — recurrent language models. Type 'help' for the commands, 'help train' for one; "
      + "Ctrl-D or 'quit' to leave."
  }

  /// Runs until end of input, `quit` or a SIGTERM; returns the exit status (0, or
  /// ``terminatedStatus``).
  public func run() -> Int32 {
    var lines: [String] = []
    while true {
      beforePrompt()
      resetStop()
      reader.updateCompletions(
        CompletionName.all(in: interpreter.session),
        pendingInput: lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
      switch reader.readLine(prompt: lines.isEmpty ? prompt : continuationPrompt) {
      case .interrupted:
        lines = []
      case .terminated:
        return leaveOnTermination()
      case .endOfInput:
        if !lines.isEmpty {
          lines = []
          continue
        }
        if mayLeave() { return 0 }
      case .line(let line):
        lines.append(line)
        let text = lines.joined(separator: "\n")
        let file = SourceFile(name: "<input>", text: text)
        let parsed = Parser.parseAll(file)
        if parsed.needsMoreInput { continue }
        lines.removeAll()
        record(text, parsed: parsed)
        let trimmed = text.trimmingWhitespace
        if trimmed == "quit" || trimmed == "exit", interpreter.session[trimmed] == nil {
          if mayLeave() { return 0 }
          continue
        }
        execute(parsed, of: file)
        if terminationRequested() { return leaveOnTermination() }
      }
    }
  }

  /// Leaving because of a SIGTERM: nobody may be there to answer, so the unsaved-training warning
  /// is printed without waiting; the history is written once more.
  private func leaveOnTermination() -> Int32 {
    warnedUnsaved = false  // warn even when Ctrl-D already did
    _ = mayLeave(terminating: true)
    history.save()
    return Self.terminatedStatus
  }

  /// Whether leaving is fine now: warns (once) about models with training never saved.
  /// `terminating`: the session ends anyway (SIGTERM); the warning says so instead of asking.
  private func mayLeave(terminating: Bool = false) -> Bool {
    let unsaved = interpreter.session.modelNames.filter {
      interpreter.session.model($0)!.hasUnsavedTraining
    }
    guard !unsaved.isEmpty, !warnedUnsaved else { return true }
    warnedUnsaved = true
    let list = unsaved.map { "'\($0)'" }.joined(separator: ", ")
    let what = "\(unsaved.count == 1 ? "model" : "models") \(list) \(unsaved.count == 1 ? "has" : "have") training that was never saved"
    interpreter.sink.emit(
      .warning(
        terminating
          ? "terminated (SIGTERM): \(what); leaving anyway"
          : what + " (save \(unsaved[0]) \"checkpoints/\(unsaved[0]).safetensors\"); Ctrl-D or 'quit' again leaves anyway"
      ))
    return false
  }

  /// Runs one complete input.
  public func execute(_ text: String) {
    let file = SourceFile(name: "<input>", text: text)
    execute(Parser.parseAll(file), of: file)
  }

  /// Runs one complete input, already parsed.
  private func execute(_ parsed: ParseResult, of file: SourceFile) {
    inputsRun += 1
    resetStop()
    setBusy(true)
    defer {
      setBusy(false)
      resetStop()
    }
    aroundStatement(String(decoding: file.bytes, as: UTF8.self)) {
      _ = StatementRunner.run(parsed, of: file, with: interpreter)
    }
  }

  /// Records `text` (`parsed` is its parse): one entry, or its lines joined with `; ` when that
  /// still parses as the same statements (so the Up arrow brings a whole block back).
  private func record(_ text: String, parsed: ParseResult) {
    var entries = [text]
    if text.contains("\n") {
      let joined = History.joinLines(text, parsed: parsed)
      entries = joined.map { [$0] } ?? text.split(separator: "\n").map(String.init)
    }
    for entry in entries where history.record(entry) { reader.addToHistory(entry) }
  }
}

extension History {
  /// The lines of `text` joined into one line with `; ` (after `{` and before `}` too), if that
  /// parses to the same statements; else `nil` (a string spanning lines, say). `parsed`: the
  /// parse of `text`, when the caller has it.
  static func joinLines(_ text: String, parsed: ParseResult? = nil) -> String? {
    let parts = text.split(separator: "\n").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
    guard !parts.isEmpty, !parts.contains(where: { $0.contains("#") }) else { return nil }
    var joined = ""
    for part in parts {
      if joined.isEmpty {
        joined = part
      } else if joined.hasSuffix("{") || joined.hasSuffix("[") || joined.hasSuffix(",")
        || part.hasPrefix("]") || part.hasPrefix("}")
      {
        joined += " " + part
      } else {
        joined += "; " + part
      }
    }
    let a = parsed ?? Parser.parseAll(SourceFile(name: "", text: text))
    let b = Parser.parseAll(SourceFile(name: "", text: joined))
    guard a.errors.isEmpty, b.errors.isEmpty, a.statements.count == b.statements.count,
      shape(ASTDumper(file: SourceFile(name: "", text: text)).dump(a.statements))
        == shape(ASTDumper(file: SourceFile(name: "", text: joined)).dump(b.statements))
    else { return nil }
    return joined
  }
}

/// An AST dump without its source ranges (` @line:col-line:col` at the end of each line).
private func shape(_ dump: String) -> String {
  dump.split(separator: "\n").map { line in
    line.range(of: " @", options: .backwards).map { String(line[..<$0.lowerBound]) } ?? String(line)
  }.joined(separator: "\n")
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  var trimmingWhitespace: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}
