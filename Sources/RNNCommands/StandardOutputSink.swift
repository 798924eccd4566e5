import Foundation
import RNNInterpreter

/// Prints interpreter output for batch runs: lines and samples on standard output (samples
/// streamed character by character), warnings and errors on standard error. No progress bar:
/// progress events are ignored in batch use.
final class StandardOutputSink: OutputSink {
  private var buffer = ""

  func emit(_ event: OutputEvent) {
    switch event {
    case .progress:
      return
    case .warning, .error:
      flush()
      FileHandle.standardError.write(Data((PlainTextRenderer.text(of: event) ?? "").utf8))
    case .sampleCharacter(let c):
      buffer += c
      flush()
    default:
      buffer += PlainTextRenderer.text(of: event) ?? ""
      if buffer.utf8.count > 4096 { flush() }
      if case .sampleEnded = event { flush() }
      if case .line = event { flush() }
    }
  }

  /// Writes what is buffered to standard output.
  func flush() {
    guard !buffer.isEmpty else { return }
    FileHandle.standardOutput.write(Data(buffer.utf8))
    buffer = ""
  }
}
