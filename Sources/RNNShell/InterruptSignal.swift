import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ctrl-C and SIGTERM, the one handler for the REPL and for script runs. The handlers touch only
/// async-signal-safe state: atomics and `write(2)` to a self-pipe (so a reader waiting in `poll`
/// wakes up whichever thread the signal landed on), and `_exit` for a second signal while a stop
/// is pending.
///
/// - A script run (`rnn FILE.rnn`, `-e`, piped input) is busy from start to end: the first signal
///   stops the running command at a step boundary and the run ends there (status 130); the next
///   exits at once (130, or 143 for a SIGTERM).
/// - At the prompt, Ctrl-C wakes the reader, which drops the half-typed line; SIGTERM wakes it to
///   end the session (``isTerminationRequested``).
/// - While a statement runs (``isBusy``), the first Ctrl-C or SIGTERM sets the count the
///   interpreter's `shouldStop` polls (so `train` stops at a step boundary, autosaving first) and a
///   Ctrl-C says so (``stopNotice``); the next signal exits at once with status 130 (143 when it is
///   a SIGTERM). After a SIGTERM the REPL
///   leaves once the statement has stopped.
public enum InterruptSignal {
  /// SIGINTs received since the last ``reset()``.
  private static let count = Atomic<Int>(0)
  /// Whether a statement is running.
  private static let busy = Atomic<Bool>(false)
  /// The write end of the self-pipe, or -1.
  private static let wakeWrite = Atomic<Int32>(-1)
  /// The read end of the self-pipe, or -1.
  private static let wakeRead = Atomic<Int32>(-1)
  /// Whether a SIGTERM arrived (never reset: the session is ending).
  private static let terminated = Atomic<Bool>(false)
  /// Whether standard error is a terminal (the stop notice then erases the progress bar first).
  private static let stderrIsTerminal = Atomic<Bool>(false)

  /// What the first Ctrl-C during a statement prints (a static string: no allocation in the
  /// handler), after erasing the progress bar on a terminal.
  static let stopNotice: StaticString = "^C stopping after this step (Ctrl-C again to quit at once)\n"
  private static let eraseLine: StaticString = "\r\u{1B}[K"

  /// Whether a stop was requested since the last ``reset()``.
  public static var isSet: Bool { count.load(ordering: .acquiring) > 0 }

  /// Whether a SIGTERM asked the session to end.
  public static var isTerminationRequested: Bool { terminated.load(ordering: .acquiring) }

  /// Whether a statement is running (a second Ctrl-C then exits).
  public static var isBusy: Bool {
    get { busy.load(ordering: .acquiring) }
    set { busy.store(newValue, ordering: .releasing) }
  }

  /// Forgets earlier Ctrl-Cs and drains the self-pipe.
  public static func reset() {
    count.store(0, ordering: .releasing)
    let fd = wakeRead.load(ordering: .acquiring)
    guard fd >= 0 else { return }
    var byte: UInt8 = 0
    while read(fd, &byte, 1) > 0 {}
  }

  /// Installs the SIGINT and SIGTERM handlers (once). Without `SA_RESTART`, so blocking reads
  /// return `EINTR`.
  public static func install() {
    guard wakeRead.load(ordering: .acquiring) < 0 else { return }
    stderrIsTerminal.store(isatty(2) == 1, ordering: .releasing)
    // Initialise the notice's globals here, not lazily inside the handler.
    _ = stopNotice.utf8CodeUnitCount + eraseLine.utf8CodeUnitCount
    var fds: [Int32] = [0, 0]
    if pipe(&fds) == 0 {
      for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
      wakeRead.store(fds[0], ordering: .releasing)
      wakeWrite.store(fds[1], ordering: .releasing)
    }
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = { InterruptSignal.handle($0) }
    #else
      action.__sigaction_u.__sa_handler = { InterruptSignal.handle($0) }
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
  }

  /// The handler body: async-signal-safe operations only.
  private static func handle(_ signal: Int32) {
    if signal == SIGTERM { terminated.store(true, ordering: .releasing) }
    let n = count.add(1, ordering: .acquiringAndReleasing).newValue
    if busy.load(ordering: .acquiring) && n > 1 {
      var newline = UInt8(ascii: "\n")
      _ = write(2, &newline, 1)
      _exit(signal == SIGTERM ? 143 : 130)
    }
    if busy.load(ordering: .acquiring) && n == 1 && signal == SIGINT {
      if stderrIsTerminal.load(ordering: .acquiring) {
        _ = write(2, eraseLine.utf8Start, eraseLine.utf8CodeUnitCount)
      }
      _ = write(2, stopNotice.utf8Start, stopNotice.utf8CodeUnitCount)
    }
    var byte: UInt8 = 1
    let fd = wakeWrite.load(ordering: .acquiring)
    if fd >= 0 { _ = write(fd, &byte, 1) }
  }

  /// What waiting for input ended with.
  enum Wait { case ready, interrupted, terminated }

  /// Waits until `fd` is readable, Ctrl-C is pressed or a SIGTERM arrives.
  static func waitForInput(_ fd: Int32) -> Wait {
    let wake = wakeRead.load(ordering: .acquiring)
    while true {
      if isTerminationRequested { return .terminated }
      if isSet { return .interrupted }
      var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
      if wake >= 0 { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
      let n = poll(&fds, nfds_t(fds.count), -1)
      if n < 0 {
        if errno == EINTR { continue }
        return .ready
      }
      if fds.count > 1 && fds[1].revents != 0 {
        if isTerminationRequested { return .terminated }
        if isSet { return .interrupted }
        var byte: UInt8 = 0
        while read(wake, &byte, 1) > 0 {}
      }
      if fds[0].revents != 0 { return .ready }
    }
  }
}
