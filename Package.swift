// swift-tools-version: 6.0
// RNN Playground: a Swift command-line playground for recurrent language models.
// Design: docs/design.md. Layers (arrows point at what is depended on; section 2 there):
//   rnn ─► RNNCommands ─► RNNShell ─► RNNInterpreter ─► RNNLanguage
//       └──► RNNServe (the HTTP server of `serve`, a sibling of RNNShell) ─► RNNInterpreter, FlyingFox
//                             │                    └──► RNNModels ─► SafeTensors
//                             └──► CReadline                     └──► NumericCore ─► COpenBLAS
//   RNNModels, NumericCore ─► CKernels (C);  RNNLanguage, SafeTensors, RNNModels ─► StrictUTF8;
//   RNNModels, RNNInterpreter ─► RNNTokenizers (char, word, byte-level BPE; depends on nothing)
//   RNNInterpreter ─► RNNDownload ─► StrictUTF8 (`corpus url`: URLSession from the toolchain's
//   FoundationNetworking, so no HTTP package)
import PackageDescription

// Release flags: every target -O -wmo, so the overflow, bounds, precondition and exclusivity checks
// stay everywhere, above all in the code that reads untrusted bytes (SafeTensors, RNNLanguage, the
// corpus reader in RNNModels, the interpreter). -Ounchecked does not pay on the numeric kernel
// targets either, so no target uses it. Measured (callgrind instruction counts, single-threaded run
// of the former `rnn demo` training path, since replaced by the demo script: `rnn demo --threads 1
// --hidden 256 --layers 2 --steps 4 --batch 8 --seq 32 --split 0.999 --eval-every 0
// --sample-length 20`, which loaded the 1 MB Shakespeare corpus, trained, evaluated and
// sampled): all -O 1,478.3 M; NumericCore -Ounchecked +0.001% (no change); NumericCore and RNNModels
// -Ounchecked 1,469.0 M (-0.63%, of which 86% in the corpus reader, which must stay checked, and
// 0.09% of the run in training and evaluation); everything -Ounchecked (the old build) 1,469.0 M.
// Wall clock (`rnn bench --config lstm:256:2:32:64 --seconds 5`, 3 alternating rounds) was within
// the noise of the shared machine. README, "Build flags".
// RNN_UNCHECKED_TARGETS=A,B builds the targets named -Ounchecked, to measure again; RNN_CHECKED=1
// (scripts/asan.sh, scripts/fuzz.sh) overrides it: every target -O.
let checked = Context.environment["RNN_CHECKED"] == "1"
let uncheckedTargets: Set<String> =
  checked ? [] : Set((Context.environment["RNN_UNCHECKED_TARGETS"] ?? "").split(separator: ",").map(String.init))

/// The release flags of `target`: -O -wmo (-Ounchecked -wmo if RNN_UNCHECKED_TARGETS names it).
func optimized(_ target: String) -> [SwiftSetting] {
  [.unsafeFlags([uncheckedTargets.contains(target) ? "-Ounchecked" : "-O", "-wmo"], .when(configuration: .release))]
}

let package = Package(
  name: "rnn-playground",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "rnn", targets: ["rnn"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // The HTTP server of `serve` (README, "Live view in the browser": build cost measured there).
    .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
  ],
  targets: [
    // System library: OpenBLAS's cblas (libopenblas-dev). Used by exactly one file of NumericCore.
    .systemLibrary(
      name: "COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "NumericCore", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: optimized("NumericCore")),
    // Strict UTF-8 validation and decoding, the one copy for SafeTensors, RNNLanguage and the corpus reader.
    .target(name: "StrictUTF8", swiftSettings: optimized("StrictUTF8")),
    .target(name: "SafeTensors", dependencies: ["StrictUTF8"], swiftSettings: optimized("SafeTensors")),
    // C (ckernels.h): the one CPU-feature check, the gate kernels, the batch-1 matvec, the packed
    // recurrent GEMM, the optimizer loops, the fork–join team of threads. Each AVX2/FMA path has a
    // portable twin with the same results. -ffp-contract=off: no fused multiply-add that the code
    // does not write (the C gate kernels give the Swift kernels' bits).
    .target(
      name: "CKernels",
      cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]),
    // Tokenizers (char, word, byte-level BPE): depends on nothing; RNNModels builds on it.
    .target(name: "RNNTokenizers", swiftSettings: optimized("RNNTokenizers")),
    .target(
      name: "RNNModels", dependencies: ["NumericCore", "SafeTensors", "CKernels", "StrictUTF8", "RNNTokenizers"],
      swiftSettings: optimized("RNNModels")),
    .target(name: "RNNLanguage", dependencies: ["StrictUTF8"], swiftSettings: optimized("RNNLanguage")),
    // Downloads into the corpus cache (`corpus url`): URLSession, SHA-256, checks, atomic rename.
    .target(name: "RNNDownload", dependencies: ["StrictUTF8"], swiftSettings: optimized("RNNDownload")),
    .target(
      name: "RNNInterpreter", dependencies: ["RNNLanguage", "RNNModels", "RNNTokenizers", "RNNDownload"],
      swiftSettings: optimized("RNNInterpreter")),
    // System library: GNU readline (libreadline-dev). No pkgConfig: readline.pc adds -D flags that
    // SwiftPM refuses. Used by exactly one file of RNNShell.
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
    .target(name: "RNNShell", dependencies: ["RNNInterpreter", "CReadline"], swiftSettings: optimized("RNNShell")),
    // `serve`: the web page and JSON API on the REPL's session (docs/serve.md).
    .target(
      name: "RNNServe",
      dependencies: ["RNNInterpreter", "RNNLanguage", .product(name: "FlyingFox", package: "FlyingFox")],
      swiftSettings: optimized("RNNServe")),
    .target(
      name: "RNNCommands",
      dependencies: [
        "RNNModels", "NumericCore", "RNNInterpreter", "RNNShell", "RNNServe",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: optimized("RNNCommands")
    ),
    .executableTarget(name: "rnn", dependencies: ["RNNCommands"], swiftSettings: optimized("rnn")),
    // Test tool: saves checkpoints in a loop so a test can kill it mid-write.
    .executableTarget(name: "checkpoint-stress", dependencies: ["RNNModels"], swiftSettings: optimized("checkpoint-stress")),
    // libFuzzer targets (scripts/fuzz.sh builds them with -sanitize=fuzzer -DFUZZING; a plain build
    // replays the files given as arguments).
    .target(name: "FuzzSupport"),
    .executableTarget(name: "FuzzLanguage", dependencies: ["FuzzSupport", "RNNLanguage"]),
    .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzSupport", "RNNModels", "SafeTensors"]),
    .executableTarget(name: "FuzzCorpus", dependencies: ["FuzzSupport", "RNNModels"]),
    .executableTarget(name: "FuzzTokenizer", dependencies: ["FuzzSupport", "RNNTokenizers"]),
    // Benchmark tool: trains and encodes with the BPE tokenizer (scripts/bench_tokenizers.py).
    .executableTarget(name: "tokenizer-bench", dependencies: ["RNNTokenizers"], swiftSettings: optimized("tokenizer-bench")),

    // Shared test support: tolerances, finite-difference gradient checker, fixtures, golden files.
    .target(name: "TestSupport", dependencies: ["NumericCore"], path: "Tests/TestSupport"),
    .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "CKernels", "TestSupport"]),
    .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "RNNModelsTests",
      dependencies: ["RNNModels", "NumericCore", "SafeTensors", "StrictUTF8", "RNNTokenizers", "TestSupport"],
      exclude: ["Fixtures"]
    ),
    .testTarget(name: "RNNLanguageTests", dependencies: ["RNNLanguage", "TestSupport"], exclude: ["Golden"]),
    .testTarget(
      name: "RNNInterpreterTests", dependencies: ["RNNInterpreter", "RNNModels", "RNNDownload", "TestSupport"],
      exclude: ["Golden"]),
    .testTarget(name: "RNNTokenizersTests", dependencies: ["RNNTokenizers", "TestSupport"]),
    .testTarget(name: "RNNDownloadTests", dependencies: ["RNNDownload", "TestSupport"]),
    // It imports RNNModels (to read the checkpoints `rnn` writes): without the dependency SwiftPM
    // may compile it against a stale RNNModels module (a struct layout from before a change).
    .testTarget(name: "EndToEndTests", dependencies: ["RNNModels", "TestSupport"]),
    .testTarget(name: "RNNServeTests", dependencies: ["RNNServe", "RNNInterpreter", "RNNLanguage", "TestSupport"]),
    .testTarget(
      name: "RNNShellTests", dependencies: ["RNNShell", "RNNInterpreter", "RNNLanguage", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
