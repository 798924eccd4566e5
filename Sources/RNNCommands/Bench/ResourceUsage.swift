#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Process resource figures.
enum ResourceUsage {
  /// Peak resident set size of this process so far, in bytes: `VmHWM` of /proc/self/status, the
  /// high-water mark of this image's own memory. `getrusage`'s ru_maxrss survives an exec, so a
  /// benchmark child spawned by `rnn bench` (which has just multiplied two 2048² matrices) would
  /// report its parent's peak when its own is lower (77 MB for every small model instead of 35);
  /// the PyTorch peer reads VmHWM the same way. ru_maxrss (KiB on Linux) where /proc is missing.
  static var peakResidentBytes: Int {
    if let file = fopen("/proc/self/status", "r") {
      defer { fclose(file) }
      var buffer = [CChar](repeating: 0, count: 512)
      while fgets(&buffer, 512, file) != nil {
        let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard line.hasPrefix("VmHWM:") else { continue }
        let digits = line.dropFirst(6).filter { $0.isNumber }
        if let kib = Int(digits) { return kib * 1024 }
      }
    }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024
  }

  /// Seconds on a monotonic clock.
  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
}
