import Foundation
import RNNInterpreter

/// Prints interpreter output for the REPL and for batch runs: lines and samples on standard output
/// (samples streamed character by character), warnings and errors on standard error (coloured when
/// ``style`` is on), and progress as ``ProgressDisplay`` says.
///
/// The progress bar lives on standard error, redrawn in place (`\r`, erase to end of line) at most
/// every ``minimumRedrawInterval`` seconds, and is erased before anything else is printed, so
/// results and messages never mix with it.
public final class ConsoleSink: OutputSink {
  /// How progress is shown.
  public enum ProgressDisplay: Sendable, Equatable {
    /// A bar redrawn in place on standard error (a terminal).
    case bar
    /// A plain line on standard error every so many seconds (output that is not a terminal).
    case log(every: Double)
    /// Nothing.
    case none
  }

  /// Colours for messages.
  public let style: Style
  /// How progress is shown.
  public let progress: ProgressDisplay
  /// Seconds between redraws of the bar.
  public var minimumRedrawInterval = 0.1
  private let out: Int32
  private let err: Int32
  private var barShown = false
  private var lastDraw = -Double.infinity
  private var lastLog = 0.0
  private var lastDone = Int.max

  /// Creates a sink writing to `out` and `err` (file descriptors).
  public init(style: Style, progress: ProgressDisplay, out: Int32 = 1, err: Int32 = 2) {
    self.style = style
    self.progress = progress
    self.out = out
    self.err = err
  }

  public func emit(_ event: OutputEvent) {
    switch event {
    case .progress(let p):
      show(p)
    case .line(let text):
      finishProgress()
      Terminal.write(text + "\n", to: out)
    case .sampleBegan(_, let prime):
      finishProgress()
      Terminal.write(prime, to: out)
    case .sampleCharacter(let c):
      Terminal.write(c, to: out)
    case .sampleEnded:
      Terminal.write("\n", to: out)
    case .warning(let message):
      finishProgress()
      Terminal.write(style.warning("warning:") + " \(message)\n", to: err)
    case .error(let rendered):
      finishProgress()
      Terminal.write(colourDiagnostic(rendered), to: err)
    }
  }

  /// Erases the progress bar if it is showing (before a prompt or other output).
  public func finishProgress() {
    guard barShown else { return }
    Terminal.write("\r\u{1B}[K", to: err)
    barShown = false
  }

  private func show(_ p: ProgressEvent) {
    let restarted = p.done < lastDone
    lastDone = p.done
    switch progress {
    case .none:
      return
    case .bar:
      let finished = p.total.map { p.done >= $0 } ?? false
      guard restarted || finished || p.elapsed - lastDraw >= minimumRedrawInterval else { return }
      lastDraw = p.elapsed
      let width = Terminal.columns(err)
      Terminal.write("\r" + ProgressFormatter.bar(p, width: width) + "\u{1B}[K", to: err)
      barShown = true
    case .log(let every):
      if restarted { lastLog = 0 }
      guard p.elapsed - lastLog >= every else { return }
      lastLog = p.elapsed
      Terminal.write(ProgressFormatter.logLine(p) + "\n", to: err)
    }
  }

  /// Colours `error:`/`note:` labels and caret lines of a compiler-style diagnostic.
  func colourDiagnostic(_ text: String) -> String {
    guard style.enabled else { return text }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for i in lines.indices {
      let line = lines[i]
      if let r = line.range(of: " error: ")
        ?? (line.hasPrefix("error: ") ? line.range(of: "error: ") : nil)
      {
        lines[i] =
          style.bold(String(line[..<r.lowerBound])) + " " + style.error("error:") + " "
          + style.bold(String(line[r.upperBound...]))
      } else if let r = line.range(of: "note: "),
        r.lowerBound == line.startIndex || line[..<r.lowerBound].hasSuffix(" ")
      {
        lines[i] =
          String(line[..<r.lowerBound]) + style.dim("note:") + " " + String(line[r.upperBound...])
      } else if !line.isEmpty, line.contains("^"),
        line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "^" || $0 == "~" })
      {
        lines[i] = style.caret(line)
      }
    }
    return lines.joined(separator: "\n")
  }
}
