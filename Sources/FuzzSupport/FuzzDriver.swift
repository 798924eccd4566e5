// The shared entry point of the libFuzzer targets (FuzzLanguage, FuzzCheckpoint, FuzzCorpus).
// SwiftPM links an executable target's entry point as `main` (via `<Module>_main`), so libFuzzer's own
// main cannot be used; `main` below hands over to libFuzzer's driver instead when built for fuzzing.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if FUZZING
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
  ) -> CInt
#endif

/// Runs `fuzz` as a libFuzzer target when built with `-DFUZZING` (scripts/fuzz.sh), otherwise
/// replays the files named on the command line through it (a crash or a corpus).
public enum FuzzDriver {
  public static func run(_ fuzz: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
    #if FUZZING
      var argc = CommandLine.argc
      var argv = CommandLine.unsafeArgv
      exit(LLVMFuzzerRunDriver(&argc, &argv, fuzz))
    #else
      // Plain build: `<target> FILE...` runs each file through `fuzz` (replays a crash or a corpus).
      let paths = CommandLine.arguments.dropFirst()
      if paths.isEmpty { print("usage: \(CommandLine.arguments[0]) FILE... (a plain build replays inputs)") }
      var unreadable = 0
      for path in paths {
        guard let file = fopen(path, "rb") else {
          print("\(path): cannot open")
          unreadable += 1
          continue
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
          let n = fread(&chunk, 1, chunk.count, file)
          if n <= 0 { break }
          bytes += chunk[0..<n]
        }
        fclose(file)
        bytes.append(0)  // not part of the input: a valid base address when the file is empty
        _ = bytes.withUnsafeBufferPointer { fuzz($0.baseAddress!, $0.count - 1) }
        print("\(path): \(bytes.count - 1) bytes, ok")
      }
      exit(unreadable > 0 ? 1 : 0)
    #endif
  }
}
