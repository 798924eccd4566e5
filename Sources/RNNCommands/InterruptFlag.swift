import Foundation
import Synchronization

/// Ctrl-C for batch runs: the first SIGINT asks the running command to stop at its next step
/// boundary; a second one exits at once with status 130.
enum InterruptFlag {
  private static let count = Atomic<Int>(0)

  /// Whether a stop was requested.
  static var isSet: Bool { count.load(ordering: .relaxed) > 0 }

  /// Installs the SIGINT handler.
  static func install() {
    signal(SIGINT) { _ in
      if InterruptFlag.count.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
    }
  }
}
