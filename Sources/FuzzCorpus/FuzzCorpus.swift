// libFuzzer target: the corpus loader (`Corpus(utf8:source:fractions:)`) and `BatchStreams` over
// every split of the result. The whole input is the text; the split fractions, batch and seq are
// derived from its length so that every input also exercises batching. scripts/fuzz.sh builds it with
// -sanitize=fuzzer and -DFUZZING; a plain build replays the files given as arguments.
import RNNModels

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let buffer = UnsafeBufferPointer(start: data, count: size)
  let train = [1.0, 0.9, 0.5, 0.34][size % 4]
  let validation = [nil, 0.0, 0.25, 0.33][(size / 4) % 4]
  guard let corpus = try? Corpus(utf8: buffer, source: "<fuzz>", fractions: SplitFractions(train: train, validation: validation))
  else { return 0 }
  precondition(corpus.tokens.count <= size, "more tokens than bytes")
  for i in 0..<corpus.tokens.count {
    precondition(Int(corpus.tokens[i]) < corpus.vocabulary.count, "token out of the vocabulary")
  }
  for split in CorpusSplits.Name.allCases {
    let tokens = corpus.tokens(of: split)
    let batch = 1 + size % 5
    let steps = 1 + (size / 5) % 8
    guard let streams = try? BatchStreams(tokenCount: tokens.count, batch: batch, steps: steps, split: split.rawValue)
    else { continue }
    var inputs = [Int32](repeating: -1, count: batch * steps)
    var targets = [Int32](repeating: -1, count: batch * steps)
    var cursor = 0
    for _ in 0..<min(streams.chunksPerEpoch + 1, 64) {
      cursor = inputs.withUnsafeMutableBufferPointer { i in
        targets.withUnsafeMutableBufferPointer { t in
          streams.fill(from: tokens, cursor: cursor, inputs: i.baseAddress!, targets: t.baseAddress!).next
        }
      }
      for t in inputs + targets {
        precondition(t >= 0 && Int(t) < corpus.vocabulary.count, "batch token out of the vocabulary")
      }
    }
  }
  return 0
}

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

@main struct Main {
  static func main() {
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
      if unreadable > 0 { exit(1) }
    #endif
  }
}
