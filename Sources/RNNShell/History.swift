import Foundation

/// The REPL's persistent history: what was typed, one entry per line of the history file.
///
/// Policy: an entry that starts with a space is not recorded (as in bash's `ignorespace`); an entry
/// equal to the previous one is not recorded again; blank entries are not recorded; only the last
/// ``capacity`` entries are kept. Multi-line input (a block) is recorded as one entry, its lines
/// joined with `; ` when that parses the same way (see ``REPL``), else line by line. The file is
/// rewritten (atomically) after every recorded entry, so a crash or a second Ctrl-C loses nothing.
public struct History: Sendable {
  /// Entries, oldest first.
  public private(set) var entries: [String] = []
  /// The most entries kept.
  public let capacity: Int
  /// The file, or `nil` for a history that lives only in memory.
  public let path: String?

  /// Creates a history backed by `path` (loaded now, if it exists).
  public init(path: String?, capacity: Int = 1000) {
    self.capacity = max(1, capacity)
    self.path = path
    if let path, let data = FileManager.default.contents(atPath: path) {
      entries = String(decoding: data, as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: true
      ).map(String.init)
      if entries.count > self.capacity { entries.removeFirst(entries.count - self.capacity) }
    }
  }

  /// The default file: `$RNN_HISTORY_FILE`, else `$XDG_STATE_HOME/rnn/history`, else
  /// `~/.local/state/rnn/history`. `RNN_HISTORY_FILE=` (empty) turns persistence off (`nil`).
  public static func defaultPath(environment: [String: String]) -> String? {
    if let explicit = environment["RNN_HISTORY_FILE"] { return explicit.isEmpty ? nil : explicit }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/rnn/history"
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.local/state/rnn/history"
  }

  /// Whether `entry` would be recorded now.
  public func accepts(_ entry: String) -> Bool {
    guard let first = entry.first, first != " ", first != "\t" else { return false }
    guard !entry.allSatisfy(\.isWhitespace) else { return false }
    return entries.last != entry
  }

  /// Records `entry` if the policy allows; returns whether it did. Saves the file.
  @discardableResult
  public mutating func record(_ entry: String) -> Bool {
    guard accepts(entry) else { return false }
    entries.append(entry)
    if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    save()
    return true
  }

  /// Writes the entries to the file (creating its directory). Failures are ignored: history is
  /// a convenience, never a reason to stop.
  public func save() {
    guard let path else { return }
    let url = URL(fileURLWithPath: path)
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let text = entries.map { $0 + "\n" }.joined()
    try? Data(text.utf8).write(to: url, options: .atomic)
  }
}
