import Foundation
import Synchronization

/// Ctrl-C (and SIGTERM) for batch runs: the first signal asks the running command to stop at its
/// next step boundary, leaving the model consistent; a second one exits at once (130 for SIGINT,
/// 143 for SIGTERM). The first Ctrl-C says so (a static string: nothing allocated in the handler).
enum InterruptFlag {
  private static let count = Atomic<Int>(0)
  private static let notice: StaticString = "^C stopping after this step (Ctrl-C again to quit at once)\n"

  /// Whether a stop was requested.
  static var isSet: Bool { count.load(ordering: .relaxed) > 0 }

  /// Installs the SIGINT and SIGTERM handlers.
  static func install() {
    _ = notice.utf8CodeUnitCount  // initialised here, not lazily inside the handler
    signal(SIGINT) { _ in
      if InterruptFlag.count.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
      _ = write(2, InterruptFlag.notice.utf8Start, InterruptFlag.notice.utf8CodeUnitCount)
    }
    signal(SIGTERM) { _ in
      if InterruptFlag.count.add(1, ordering: .relaxed).newValue > 1 { _exit(143) }
    }
  }
}
