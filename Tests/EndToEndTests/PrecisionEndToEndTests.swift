import Foundation
import NumericCore
import SafeTensors
import XCTest

/// `train … precision fp32|bf16` through the built binary: fp32 (the default) is bit-identical to
/// the engine before bf16 existed, and `RNN_BF16_PORTABLE=1` runs bf16 on the portable C path
/// with a clear note and the same numbers.
final class PrecisionEndToEndTests: XCTestCase {
  /// The training losses (bit patterns) and an FNV-1a hash of the 32-bit words of every F32
  /// tensor except `state.*` (model weights and optimizer slots, tensors in name order), pinned
  /// from main's binary at commit 67a37fb (before the bf16 work; its engine last changed before
  /// 22:27 UTC, when that binary was built): the script of `script(cell:precision:)` without the
  /// precision option, run by /work/main/.build/release/rnn, and the saved checkpoint read with
  /// Python's struct module. AMD EPYC (Zen 4), AVX2/FMA kernels, OpenBLAS 0.3.21, 2 threads: the
  /// fp32 bits depend on the CPU's kernels (OpenBLAS picks its sgemm per CPU), so the pins are
  /// checked only where the AVX2/FMA kernels run.
  static let pinned: [String: (losses: [UInt32], hash: UInt64)] = [
    "lstm": ([0x4093_5167, 0x4092_73e1, 0x4092_58f4, 0x4092_08bc, 0x4091_d19e, 0x4090_690e], 0xb53f_1d9d_243b_f711),
    "gru": ([0x4094_02ad, 0x4093_0f51, 0x4092_14a7, 0x4090_c719, 0x4090_8ad4, 0x408d_69a3], 0x58e8_686c_72eb_7217),
    "rnn": ([0x4093_8634, 0x4091_b458, 0x4090_7495, 0x408f_c7c7, 0x408d_6430, 0x408b_1e7c], 0x9998_de7e_6fd9_f738),
  ]

  static func script(cell: String, precision: String?) -> String {
    """
    c = corpus "corpora/latex-guides.txt"
    m = \(cell) c hidden 40 layers 2 embed 16 dropout 0.1 seed 11
    train m steps 6 seq 16 batch 8 lr 3e-3\(precision.map { " precision " + $0 } ?? "")
    save m "out.safetensors"
    """
  }

  /// Runs the script and returns the checkpoint's training losses, its hash and stderr.
  func run(cell: String, precision: String?, environment: [String: String] = [:]) throws
    -> (losses: [UInt32], hash: UInt64, stderr: String)
  {
    let rnn = try RNNBinary()
    defer { rnn.cleanUp() }
    let result = try rnn.run(["-e", Self.script(cell: cell, precision: precision)], environment: environment)
    XCTAssertEqual(result.status, 0, result.stderr)
    let file = try SafeTensorsFile.read(path: rnn.workingDirectory.appendingPathComponent("out.safetensors").path)
    let losses = try file.tensor(named: "state.train_losses").floats().map(\.bitPattern)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for name in file.names.sorted() where !name.hasPrefix("state.") {
      let tensor = try file.tensor(named: name)
      guard tensor.dtype == .f32 else { continue }
      for value in try tensor.floats() { hash = (hash ^ UInt64(value.bitPattern)) &* 0x100_0000_01b3 }
    }
    return (losses, hash, result.stderr)
  }

  func testFP32IsBitIdenticalToMain() throws {
    try XCTSkipUnless(CPUFeatures.avx2FMA, "pins recorded with the AVX2/FMA kernels")
    for cell in ["lstm", "gru", "rnn"] {
      for precision in [nil, "fp32"] {
        let result = try run(cell: cell, precision: precision)
        XCTAssertEqual(result.losses, Self.pinned[cell]!.losses, "\(cell) \(precision ?? "default")")
        XCTAssertEqual(result.hash, Self.pinned[cell]!.hash, "\(cell) \(precision ?? "default")")
      }
    }
  }

  /// `RNN_BF16_PORTABLE=1` forces the portable path: a note names the missing feature and the path,
  /// and the numbers are those of the AVX-512 path (bit-identical on the CPUs tested; else within
  /// fp32 summation noise), close to fp32's.
  func testBF16PortablePathByEnvironmentSwitch() throws {
    let portable = try run(cell: "lstm", precision: "bf16", environment: ["RNN_BF16_PORTABLE": "1"])
    XCTAssertTrue(portable.stderr.contains("lacks AVX-512 BF16"), portable.stderr)
    XCTAssertTrue(portable.stderr.contains("portable C path"), portable.stderr)
    let fp32 = try run(cell: "lstm", precision: "fp32")
    XCTAssertFalse(fp32.stderr.contains("AVX-512"), "no note for fp32")
    for (p, f) in zip(portable.losses, fp32.losses) {
      // One step's loss moves by at most 2⁻⁷ relative in bf16 (BF16GradientTests); after a few
      // Adam steps from the same start the runs stay that close.
      XCTAssertEqual(Float(bitPattern: p), Float(bitPattern: f), accuracy: Float(bitPattern: f) * 0x1p-7)
    }
    guard BF16GEMM.isNative else { return }
    let native = try run(cell: "lstm", precision: "bf16")
    XCTAssertFalse(native.stderr.contains("AVX-512"), native.stderr)
    for (p, n) in zip(portable.losses, native.losses) {
      XCTAssertEqual(Float(bitPattern: p), Float(bitPattern: n), accuracy: Float(bitPattern: n) * 1e-6)
    }
    print("bf16 portable vs AVX-512 losses bit-identical: \(portable.losses == native.losses)")
  }
}
