// The one file that talks to GNU readline (design section 2: C stays at the edges).
@preconcurrency import CReadline
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Line editing with GNU readline on a terminal: Emacs/vi keys, the Up arrow through history, Tab
/// completion (``Completer``). The prompt and every escape code go to standard error, so standard
/// output carries only results.
///
/// Uses readline's callback interface under a `poll` loop, so Ctrl-C is handled by
/// ``InterruptSignal`` (readline's own signal handlers are off): it wakes the loop, which drops the
/// half-typed line and returns ``LineReadResult/interrupted`` (``LineReadResult/terminated`` for a
/// SIGTERM).
///
/// readline keeps its state in C globals, so at most one reader may exist in a process; the
/// completion words and the line handed to the callback live in ``ReadlineState`` (a `Mutex`).
public final class ReadlineLineReader: LineReader {
  /// Creates the reader and configures readline (history size `historyCapacity`).
  public init(historyCapacity: Int = 1000) {
    rl_readline_name = UnsafePointer(strdup("rnn")!)
    rl_outstream = fdopen(2, "w")
    rl_catch_signals = 0
    rl_attempted_completion_function = { text, start, _ in
      ReadlineState.complete(text.map { String(cString: $0) } ?? "", start: Int(start))
    }
    rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"=;{}[],")!)
    // Otherwise readline takes the `"` that starts a path as a delimiter and closes the string
    // after every completion, a folder's too (``complete(_:start:)`` closes it for files).
    rl_basic_quote_characters = UnsafePointer(strdup("")!)
    using_history()
    stifle_history(Int32(historyCapacity))
  }

  public func readLine(prompt: String) -> LineReadResult {
    ReadlineState.line.withLock { $0 = nil }
    // The handler removes itself: removed any later, readline would redraw the prompt first.
    rl_callback_handler_install(prompt) { line in
      let result: LineReadResult = line.map { .line(String(cString: $0)) } ?? .endOfInput
      free(line)
      rl_callback_handler_remove()
      ReadlineState.line.withLock { $0 = result }
    }
    while true {
      if let result = ReadlineState.line.withLock({ $0 }) {
        if result == .endOfInput { Terminal.write("\n", to: 2) }
        return result
      }
      switch InterruptSignal.waitForInput(0) {
      case .interrupted:
        // As bash and Python do: `^C` after what was typed, then a fresh prompt on the next
        // line. Written before the handler goes: removing it ends bracketed paste with a `\r`.
        rl_point = rl_end
        rl_redisplay()
        Terminal.write("^C", to: 2)
        abandonLine()
        Terminal.write("\n", to: 2)
        return .interrupted
      case .terminated:
        // Removing the handler also restores the terminal's modes.
        abandonLine()
        Terminal.write("\n", to: 2)
        return .terminated
      case .ready:
        rl_callback_read_char()
      }
    }
  }

  /// Drops the half-typed line and readline's callback handler (the next read installs it again).
  private func abandonLine() {
    rl_free_line_state()
    rl_callback_sigcleanup()
    rl_replace_line("", 0)
    rl_point = 0
    rl_end = 0
    rl_callback_handler_remove()
  }

  public func addToHistory(_ entry: String) { add_history(entry) }

  public func updateCompletions(_ names: [CompletionName], pendingInput: String) {
    ReadlineState.completion.withLock {
      $0.completer = Completer(names: names)
      $0.pendingInput = pendingInput
    }
  }
}

/// State shared with readline's C callbacks, which cannot capture context.
enum ReadlineState {
  /// What completion offers next.
  struct Completion: Sendable {
    var completer = Completer(names: [])
    var pendingInput = ""
    var candidates: [String] = []
    var next = 0
  }

  /// The line the callback handler received, until ``ReadlineLineReader/readLine(prompt:)`` takes it.
  static let line = Mutex<LineReadResult?>(nil)
  /// Completion words and the candidates being handed out.
  static let completion = Mutex(Completion())

  /// readline's attempted-completion hook: the word `text` starts at byte `start` of the line.
  static func complete(_ text: String, start: Int)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  {
    rl_attempted_completion_over = 1
    let before = String(
      decoding: UnsafeRawBufferPointer(start: rl_line_buffer, count: max(0, start)), as: UTF8.self)
    let result = completion.withLock { state in
      let result = state.completer.complete(before: state.pendingInput + before, word: text)
      state.candidates = result.candidates
      state.next = 0
      return result
    }
    guard !result.candidates.isEmpty else { return nil }
    if result.isPath, result.candidates.count == 1 {
      if result.candidates[0].hasSuffix("/") {
        rl_completion_suppress_append = 1
      } else {
        rl_completion_append_character = Int32(UInt8(ascii: "\""))
      }
    }
    return rl_completion_matches(text) { _, _ in
      ReadlineState.completion.withLock { state in
        guard state.next < state.candidates.count else { return nil }
        defer { state.next += 1 }
        return strdup(state.candidates[state.next])
      }
    }
  }
}
