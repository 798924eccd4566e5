import ArgumentParser
import Foundation
import NumericCore
import RNNModels

/// `rnn bench`: training and sampling throughput of standard configurations.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training and sampling speed, memory and FLOP utilisation.",
    discussion: """
      Each configuration trains on random tokens (V=65, E=64, Adam lr 2e-3, clip 5) for --seconds \
      after a short warm-up, then samples 2,000 characters one at a time (batch 1) and evaluates \
      20,000 characters as one stream and 111,540 (the size of tiny-Shakespeare's validation \
      split) as B side-by-side streams. Each runs in its own process so that its peak memory is its \
      own. The default set is LSTM, GRU and RNN at H=128 L=1 B=32 T=64, H=256 L=2 B=32 T=64, \
      H=512 L=2 B=64 T=64 and H=1024 L=1 B=64 T=100, then min-char-rnn's setting \
      (rnn:100:1:1:25:adagrad). The sgemm ceiling is a 2048×2048 cblas_sgemm with OpenBLAS's own \
      threads, in the same run. With --precision bf16 the models train, sample and evaluate in bf16 \
      (`precision bf16`), and the utilisation is against a bf16 GEMM ceiling (2048×2048×2048 with \
      the engine's bf16 kernel on the engine's threads), also measured in the same run.
      """)

  @Option(
    name: .customLong("config"),
    help: "A configuration cell:H:L:B:T[:adagrad], e.g. lstm:256:2:32:64 (repeatable). Default: the standard set.")
  var configs: [BenchConfiguration] = []

  @Option(help: "Seconds of timed training per configuration.")
  var seconds: Double = 10

  @Option(help: "Cores to use (the engine's own threads; OpenBLAS runs single-threaded inside them).")
  var threads: Int = 2

  @Option(help: "fp32 or bf16: the precision of the big matrix products (train, sample, eval).")
  var precision: Precision = .fp32

  @Flag(help: "Print one JSON object per configuration per line.")
  var json = false

  @Flag(help: "Measure checkpoint save/load time and size instead (default configuration lstm:512:2:64:64).")
  var checkpoint = false

  @Option(help: .hidden)
  var ceiling: Double?

  @Option(help: .hidden)
  var bf16Ceiling: Double?

  @Flag(help: .hidden)
  var child = false

  func validate() throws {
    guard seconds > 0 else { throw ValidationError("--seconds must be > 0") }
    guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
  }

  func run() throws {
    BLAS.threads = threads
    if checkpoint {
      for c in configs.isEmpty ? [BenchConfiguration(.lstm, 512, 2, 64, 64)] : configs {
        print(try CheckpointBenchmark.run(c))
      }
      return
    }
    let gflops = ceiling ?? Benchmark.sgemmCeiling()
    let bf16 = precision == .bf16 ? bf16Ceiling ?? Benchmark.bf16Ceiling() : nil
    let list = configs.isEmpty ? BenchConfiguration.standard + [.minCharRNN] : configs
    if child {
      for c in list {
        try emit(Benchmark.run(c, seconds: seconds, ceiling: gflops, precision: precision, bf16Ceiling: bf16))
      }
      return
    }
    if let note = precision.portableNote { FileHandle.standardError.write(Data(("warning: " + note + "\n").utf8)) }
    if !json {
      print(String(format: "sgemm ceiling (2048², %d threads): %.1f GFLOP/s", threads, gflops))
      if let bf16 {
        print(String(format: "bf16 GEMM ceiling (2048², %d threads): %.1f GFLOP/s (utilisation below is against it)", threads, bf16))
      }
      print(
        "config                     train chars/s  sample chars/s  eval chars/s (1 / B streams)  first char  peak RSS    FLOP/char  utilisation"
      )
    }
    for c in list {
      let output = try runChild(c, ceiling: gflops, bf16Ceiling: bf16)
      if json {
        print(output, terminator: "")
      } else if let data = output.data(using: .utf8), let r = try? JSONDecoder().decode(Benchmark.Result.self, from: data) {
        print(
          String(
            format: "%-26@ %13.0f  %14.0f  %12.0f / %-14.0f  %7.2f ms  %6.1f MB  %9.2fM  %9.1f%%",
            c.description, r.train_chars_per_s, r.sample_chars_per_s, r.eval_chars_per_s, r.eval_batched_chars_per_s,
            r.first_char_ms,
            Double(r.peak_rss_bytes) / 1e6, r.flops_per_char / 1e6, r.utilisation * 100))
      } else {
        print("\(c): failed: \(output)")
      }
    }
  }

  private func emit(_ r: Benchmark.Result) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(r), as: UTF8.self))
  }

  /// Runs one configuration in a fresh process of this executable and returns its JSON line.
  private func runChild(_ c: BenchConfiguration, ceiling: Double, bf16Ceiling: Double?) throws -> String {
    let process = Process()
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    process.executableURL = URL(fileURLWithPath: exe)
    process.arguments =
      [
        "bench", "--child", "--config", c.description, "--seconds", String(seconds), "--threads", String(threads),
        "--ceiling", String(ceiling), "--precision", precision.rawValue,
      ] + (bf16Ceiling.map { ["--bf16-ceiling", String($0)] } ?? [])
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}

extension Precision: ExpressibleByArgument {}
