import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The REPL of the built `rnn` binary, driven through a pseudo-terminal as a user would: typing,
/// the Up arrow, Tab completion, Ctrl-C during training and at the prompt, Ctrl-D; the history
/// file; and batch output that carries no escape codes.
final class ReplPTYTests: XCTestCase {
  var rnn: RNNBinary!

  override func setUpWithError() throws { rnn = try RNNBinary() }
  override func tearDown() { rnn?.cleanUp() }

  func testTypeRecallCompleteInterruptResumeAndLeave() throws {
    let historyFile = rnn.workingDirectory.appendingPathComponent("history").path
    let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": historyFile])
    defer { shell.terminate() }
    try shell.expect("Ctrl-D or 'quit' to leave")
    try shell.expect("rnn> ")

    // Type a statement; recall it with the Up arrow.
    shell.type("print \"hel\" \"lo\"\r")
    try shell.expect("hel lo\r\n")
    try shell.expect("rnn> ")
    shell.type("\u{1B}[A")
    try shell.expect("print \"hel\" \"lo\"")
    shell.type("\r")
    try shell.expect("hel lo\r\n")

    // Tab completes a path inside a string, a command and an option.
    shell.type("c = corpus \"corpora/hel\t")
    try shell.expect("lo.txt\"")
    shell.type(" split 1\r")
    try shell.expect("c: corpus")
    shell.type("m = rn\t")
    try shell.expect("m = rnn ")
    shell.type("c hid\t")
    try shell.expect("hidden ")
    shell.type("8 seed 1\r")
    try shell.expect("m: RNN")

    // A long train, stopped with Ctrl-C once the progress bar shows.
    shell.type("train m steps 100000000 batch 1 seq 4\r")
    try shell.expect("ETA")
    shell.type("\u{3}")
    let stopped = try shell.expect(#/stopped at step (\d+) after/#)
    let step = Int(stopped.output.1)!
    XCTAssertGreaterThan(step, 0)
    try shell.expect("rnn> ")

    // The model is at exactly that step, and keeps training from there.
    shell.type("show m\r")
    try shell.expect("trained     \(step) steps")
    shell.type("train m steps 5\r")
    try shell.expect("now at step \(step + 5),")
    try shell.expect("rnn> ")

    // Ctrl-C at the prompt drops the half-typed line.
    shell.type("print \"never run\"")
    try shell.expect("never run\"")
    shell.type("\u{3}")
    try shell.expect("^C")
    try shell.expect("rnn> ")

    // Ctrl-D warns once about unsaved training, then leaves.
    shell.type("\u{4}")
    try shell.expect("training that was never saved")
    try shell.expect("rnn> ")
    shell.type("\u{4}")
    XCTAssertEqual(try shell.waitForExit(), 0)
    XCTAssertFalse(shell.transcript.contains("never run\r\n"))

    let history = try String(contentsOfFile: historyFile, encoding: .utf8)
    XCTAssertEqual(
      history,
      """
      print "hel" "lo"
      c = corpus "corpora/hello.txt" split 1
      m = rnn c hidden 8 seed 1
      train m steps 100000000 batch 1 seq 4
      show m
      train m steps 5

      """)
  }

  /// Issue 16's prompt details: a folder completed inside a string keeps the string open; Tab
  /// offers true/false for a boolean option; Ctrl-C at a prompt prints `^C` after what was typed
  /// (never over the prompt) and a fresh prompt below; the first Ctrl-C during training says what
  /// happens next.
  func testCompletionAndCtrlCAtThePromptAndDuringTraining() throws {
    let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": ""])
    defer { shell.terminate() }
    try shell.expect("rnn> ")
    shell.type("\u{3}")
    // `^C` right after the prompt (no carriage return first), then a fresh prompt below.
    XCTAssertEqual(try shell.expect("^C"), "^C")
    try shell.expect("\r\n")
    try shell.expect("rnn> ")

    shell.type("c = corpus \"corp\t")
    try shell.expect("corpora/")
    shell.type("hel\t")
    try shell.expect("hello.txt\"")
    XCTAssertFalse(shell.transcript.contains("corpora/\""), shell.transcript)
    shell.type(" split 1; m = rnn c hidden 8\r")
    try shell.expect("m: RNN")
    try shell.expect("rnn> ")

    shell.type("train m keep_best t\t")
    try shell.expect("keep_best true ")
    shell.type("\u{3}")
    XCTAssertEqual(try shell.expect("^C"), "^C", "right after what was typed")
    try shell.expect("\r\n")
    try shell.expect("rnn> ")
    XCTAssertFalse(shell.transcript.contains("\r^C"), shell.transcript)

    shell.type("train m steps 100000000 batch 1 seq 4\r")
    try shell.expect("ETA")
    shell.type("\u{3}")
    try shell.expect("^C stopping after this step (Ctrl-C again to quit at once)")
    try shell.expect(#/stopped at step \d+ after/#)
    try shell.expect("rnn> ")
    shell.type("quit\r")
    shell.type("quit\r")
    _ = try shell.waitForExit()
  }

  func testSecondCtrlCWhileAStopIsPendingExitsWith130() throws {
    try rnn.write(
      "big.txt", String(repeating: "To be, or not to be, that is the question.\n", count: 2000))
    let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": ""])
    defer { shell.terminate() }
    try shell.expect("rnn> ")
    shell.type("c = corpus \"big.txt\" split 1; m = lstm c hidden 384 embed 16\r")
    try shell.expect("m: LSTM")
    shell.type("train m steps 1000 batch 32 seq 200\r")
    try shell.expect("ETA", timeout: 30)
    // Well inside the next step (each takes about a second here), so the first Ctrl-C leaves a
    // stop pending until that step ends; the second one, sent once the first has been taken
    // (two sent back to back can reach the process as one signal), arrives while it is.
    usleep(100_000)
    shell.type("\u{3}")
    try shell.expect("stopping after this step")
    shell.type("\u{3}")
    XCTAssertEqual(try shell.waitForExit(), 130)
  }

  func testHistoryRecallsPreviousSessionsAndSkipsLeadingSpace() throws {
    let historyFile = rnn.workingDirectory.appendingPathComponent("h2").path
    try "print \"from before\"\n".write(toFile: historyFile, atomically: true, encoding: .utf8)
    let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": historyFile])
    defer { shell.terminate() }
    try shell.expect("rnn> ")
    shell.type(" print \"secret\"\r")
    try shell.expect("secret\r\n")
    shell.type("\u{1B}[A\u{1B}[A\r")
    try shell.expect("from before\r\n")
    shell.type("for t in [1, 2] {\r")
    try shell.expect("...> ")
    shell.type("print t * \r")
    try shell.expect("...> ")
    shell.type("}\r")
    try shell.expect("error:")
    try shell.expect("rnn> ")
    shell.type("quit\r")
    XCTAssertEqual(try shell.waitForExit(), 0)
    let history = try String(contentsOfFile: historyFile, encoding: .utf8)
    // Not the space-led line; the recalled line only once (a consecutive duplicate); a block with
    // an error line by line.
    XCTAssertEqual(history, "print \"from before\"\nfor t in [1, 2] {\nprint t * \n}\nquit\n")
  }

  func testBatchOutputToAFileHasNoEscapeCodes() throws {
    let script = try rnn.write(
      "run.rnn",
      """
      c = corpus "corpora/hello.txt" split 1
      m = rnn c hidden 8 seed 1
      train m steps 50 batch 1 seq 4 every 25
      sample m length 20 prime "he" seed 1
      show m
      eval m file "no-such.txt"
      """)
    let outPath = rnn.workingDirectory.appendingPathComponent("out.txt").path
    let errPath = rnn.workingDirectory.appendingPathComponent("err.txt").path
    for colour in ["auto", "never"] {
      _ = FileManager.default.createFile(atPath: outPath, contents: nil)
      _ = FileManager.default.createFile(atPath: errPath, contents: nil)
      let process = Process()
      process.executableURL = rnn.url
      process.arguments = ["--color", colour, script]
      process.currentDirectoryURL = rnn.workingDirectory
      var env = ProcessInfo.processInfo.environment
      env["TERM"] = "xterm-256color"
      env.removeValue(forKey: "NO_COLOR")
      process.environment = env
      process.standardOutput = FileHandle(forWritingAtPath: outPath)
      process.standardError = FileHandle(forWritingAtPath: errPath)
      try process.run()
      process.waitUntilExit()
      XCTAssertEqual(process.terminationStatus, 1)
      let out = try String(contentsOfFile: outPath, encoding: .utf8)
      let err = try String(contentsOfFile: errPath, encoding: .utf8)
      XCTAssertTrue(out.contains("m: trained 50 steps"), out)
      XCTAssertTrue(out.contains("trained     50 steps"), out)
      XCTAssertFalse(out.contains("\u{1B}"), out)
      XCTAssertFalse(out.contains("\r"), out)
      XCTAssertTrue(err.contains("no-such.txt"), err)
      XCTAssertFalse(err.contains("\u{1B}"), err)
    }
    // --echo prints each statement before it runs.
    let echoed = try rnn.run(["--echo", "-e", "print 1; print 2"])
    XCTAssertEqual(echoed.stdout, "rnn> print 1\n1\nrnn> print 2\n2\n")
  }

  /// Startup time to the first prompt (median of 7) and idle memory, printed for the record.
  func testStartupTimeAndIdleMemory() throws {
    var times: [Double] = []
    var rss = 0
    for _ in 0..<7 {
      let start = Date()
      let shell = try PTYProcess(rnn, environment: ["RNN_HISTORY_FILE": ""])
      try shell.expect("rnn> ")
      times.append(Date().timeIntervalSince(start))
      usleep(100_000)
      rss = max(rss, shell.residentKilobytes())
      shell.type("\u{4}")
      XCTAssertEqual(try shell.waitForExit(), 0)
    }
    times.sort()
    let median = times[times.count / 2]
    print(
      "REPL startup to first prompt: median \(String(format: "%.1f", median * 1000)) ms of \(times.count) "
        + "(min \(String(format: "%.1f", times[0] * 1000)) ms); idle RSS \(rss / 1024) MiB (\(rss) kB)"
    )
    XCTAssertLessThan(median, 2.0)
  }
}

/// A child process on a pseudo-terminal: its own session with the terminal as controlling
/// terminal (so Ctrl-C written to the master raises SIGINT in it), started with `posix_spawn`.
final class PTYProcess {
  let pid: pid_t
  let master: Int32
  private var output: [UInt8] = []
  private var searchFrom = 0
  private var exitStatus: Int32?
  /// Whether the process exited by itself (`exit`/`_exit`) rather than being killed by a signal;
  /// set by ``waitForExit(timeout:)``.
  private(set) var exitedNormally = false

  /// Starts `rnn` with `TERM=xterm`, `NO_COLOR=1`, a 120×40 window, and `environment` added.
  init(_ rnn: RNNBinary, arguments: [String] = [], environment: [String: String] = [:]) throws {
    var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
    var masterFD: Int32 = -1
    var slave: Int32 = -1
    guard openpty(&masterFD, &slave, nil, nil, &size) == 0 else {
      throw XCTSkip("no pseudo-terminals here")
    }
    master = masterFD
    defer { close(slave) }
    var name = [CChar](repeating: 0, count: 256)
    guard ttyname_r(slave, &name, name.count) == 0 else { throw XCTSkip("ttyname failed") }
    for fd in [master, slave] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    env["RNN_NO_TIMINGS"] = "1"
    for (k, v) in environment { env[k] = v }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Opened after setsid (POSIX_SPAWN_SETSID), the terminal becomes the controlling terminal.
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    // glibc's posix_spawn_file_actions_addchdir_np (2.29+) is a GNU extension Swift does not
    // import; look it up.
    typealias AddChdir =
      @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
      ) -> Int32
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else {
      throw XCTSkip("posix_spawn_file_actions_addchdir_np is not available")
    }
    _ = unsafeBitCast(symbol, to: AddChdir.self)(&actions, rnn.workingDirectory.path)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    // POSIX_SPAWN_SETSID (glibc ≥ 2.26), a GNU extension Swift does not import.
    let setsid: Int32 = 0x80
    posix_spawnattr_setflags(
      &attributes, Int16(setsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([rnn.url.path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, rnn.url.path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    pid = child
  }

  /// Everything the terminal showed so far.
  var transcript: String { String(decoding: output, as: UTF8.self) }

  /// Sends keystrokes.
  func type(_ keys: String) {
    let bytes = Array(keys.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Waits until `text` appears after the previous match; returns everything up to it.
  @discardableResult
  func expect(
    _ text: String, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line
  )
    throws -> String
  {
    try wait(timeout, "'\(text)'") { haystack in
      haystack.range(of: text).map {
        haystack.distance(from: haystack.startIndex, to: $0.upperBound)
      }
    }
  }

  /// Waits until `pattern` matches after the previous match; returns the match.
  @discardableResult
  func expect<Output>(_ pattern: Regex<Output>, timeout: Double = 15) throws -> Regex<Output>.Match {
    var found: Regex<Output>.Match?
    _ = try wait(timeout, "a match of \(pattern)") { haystack in
      guard let m = try? pattern.firstMatch(in: haystack) else { return nil }
      found = m
      return haystack.distance(from: haystack.startIndex, to: m.range.upperBound)
    }
    return found!
  }

  /// Reads until `match` finds something in the unsearched output (a character offset of its end).
  private func wait(_ timeout: Double, _ what: String, _ match: (Substring) -> Int?) throws
    -> String
  {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let text = transcript
      let tail = text.dropFirst(searchFrom)
      if let end = match(tail) {
        let result = String(tail.prefix(end))
        searchFrom += end
        return result
      }
      guard Date() < deadline else {
        throw XCTSkipUnlessFailure(
          "timed out waiting for \(what); the terminal showed after the last match:\n\(tail.debugDescription)"
        )
      }
      pump(0.05)
    }
  }

  /// Reads what is available within `seconds`.
  private func pump(_ seconds: Double) {
    var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
    guard poll(&fds, 1, Int32(seconds * 1000)) > 0 else { return }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
    if n > 0 { output += buffer[0..<n] }
  }

  /// Waits for the process to exit; returns its exit status (128 + signal if killed).
  func waitForExit(timeout: Double = 15) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      pump(0.02)
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        exitedNormally = (status & 0x7f) == 0
        return code
      }
    }
    throw XCTSkipUnlessFailure(
      "the process did not exit; the terminal showed:\n\(transcript.suffix(2000).debugDescription)")
  }

  /// The process's resident memory in kB (from /proc).
  func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
      return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
  }

  /// Kills the process if it still runs, and closes the terminal.
  func terminate() {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    close(master)
  }
}

/// A failure thrown from a helper (an error, so the test stops there with the message).
struct XCTSkipUnlessFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
