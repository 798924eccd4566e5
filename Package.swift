// swift-tools-version: 6.0
// RNN Playground: a Swift command-line playground for recurrent language models.
// Layers (arrows point at what is depended on; see ../shared/design.md section 2):
//   rnn ─► RNNCommands ─► RNNShell ─► RNNInterpreter ─► RNNLanguage
//                                 │                  └──► RNNModels ─► NumericCore ─► COpenBLAS
//                                 └──► CReadline                   └──► SafeTensors
import PackageDescription

// scripts/fuzz.sh builds with RNN_FUZZ=1: -O instead of -Ounchecked, so that the fuzzer sees the
// overflow, bounds and precondition checks.
let fuzzing = Context.environment["RNN_FUZZ"] == "1"
let optimized: [SwiftSetting] = [
  .unsafeFlags([fuzzing ? "-O" : "-Ounchecked", "-wmo"], .when(configuration: .release))
]

let package = Package(
  name: "rnn-playground",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "rnn", targets: ["rnn"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // System library: OpenBLAS's cblas (libopenblas-dev). Used by exactly one file of NumericCore.
    .systemLibrary(
      name: "COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "NumericCore", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: optimized),
    // Strict UTF-8 validation and decoding, the one copy for SafeTensors, RNNLanguage and the corpus reader.
    .target(name: "StrictUTF8", swiftSettings: optimized),
    .target(name: "SafeTensors", dependencies: ["StrictUTF8"], swiftSettings: optimized),
    // C: element-wise loops whose square roots Swift cannot vectorise (ckernels.h), and the
    // fork–join team of threads (team.h).
    .target(
      name: "CKernels",
      cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]),
    .target(name: "RNNModels", dependencies: ["NumericCore", "SafeTensors", "CKernels", "StrictUTF8"], swiftSettings: optimized),
    .target(name: "RNNLanguage", dependencies: ["StrictUTF8"], swiftSettings: optimized),
    .target(name: "RNNInterpreter", dependencies: ["RNNLanguage", "RNNModels"], swiftSettings: optimized),
    // System library: GNU readline (libreadline-dev). No pkgConfig: readline.pc adds -D flags that
    // SwiftPM refuses. Used by exactly one file of RNNShell.
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
    .target(name: "RNNShell", dependencies: ["RNNInterpreter", "CReadline"], swiftSettings: optimized),
    .target(
      name: "RNNCommands",
      dependencies: [
        "RNNModels", "NumericCore", "RNNInterpreter", "RNNShell",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: optimized
    ),
    .executableTarget(name: "rnn", dependencies: ["RNNCommands"], swiftSettings: optimized),
    // Test tool: saves checkpoints in a loop so a test can kill it mid-write.
    .executableTarget(name: "checkpoint-stress", dependencies: ["RNNModels"], swiftSettings: optimized),
    // libFuzzer targets (scripts/fuzz.sh builds them with -sanitize=fuzzer -DFUZZING; a plain build
    // replays the files given as arguments).
    .target(name: "FuzzSupport"),
    .executableTarget(name: "FuzzLanguage", dependencies: ["FuzzSupport", "RNNLanguage"]),
    .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzSupport", "RNNModels", "SafeTensors"]),
    .executableTarget(name: "FuzzCorpus", dependencies: ["FuzzSupport", "RNNModels"]),

    // Shared test support: tolerances, finite-difference gradient checker, fixtures, golden files.
    .target(name: "TestSupport", dependencies: ["NumericCore"], path: "Tests/TestSupport"),
    .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "TestSupport"]),
    .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "RNNModelsTests",
      dependencies: ["RNNModels", "NumericCore", "TestSupport"],
      exclude: ["Fixtures"]
    ),
    .testTarget(name: "RNNLanguageTests", dependencies: ["RNNLanguage", "TestSupport"], exclude: ["Golden"]),
    .testTarget(
      name: "RNNInterpreterTests", dependencies: ["RNNInterpreter", "RNNModels", "TestSupport"], exclude: ["Golden"]),
    .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    .testTarget(
      name: "RNNShellTests", dependencies: ["RNNShell", "RNNInterpreter", "RNNLanguage", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
