import XCTest

@testable import SafeTensors

/// Files written by Python's `safetensors` package (see scripts/python/make_safetensors_fixtures.py).
final class FixtureTests: XCTestCase {
  func testReadsPyTorchRNNStateDict() throws {
    let file = try SafeTensorsFile.read(path: TestFiles.fixture("torch_rnn_tiny.safetensors"))
    XCTAssertEqual(file.checksumStatus, .absent, "save_file writes no checksum")
    XCTAssertEqual(file.metadata, ["format": "pt"])
    let expectedShapes: [String: [Int]] = [
      "encoder.weight": [5, 3], "rnn.weight_ih_l0": [16, 3], "rnn.weight_hh_l0": [16, 4],
      "rnn.bias_ih_l0": [16], "rnn.bias_hh_l0": [16], "decoder.weight": [5, 4], "decoder.bias": [5],
    ]
    XCTAssertEqual(Set(file.names), Set(expectedShapes.keys))
    for tensor in file.tensors {
      XCTAssertEqual(tensor.dtype, .f32)
      XCTAssertEqual(tensor.shape, expectedShapes[tensor.name], tensor.name)
      let n = tensor.elementCount
      let expected = (0..<n).map { Float($0 - n / 2) / 8 }
      XCTAssertEqual(try tensor.floats(), expected, tensor.name)
    }
  }

  func testReadsEveryDTypeWrittenByPyTorch() throws {
    let file = try SafeTensorsFile.read(path: TestFiles.fixture("torch_all_dtypes.safetensors"))
    XCTAssertEqual(file.checksumStatus, .absent)
    XCTAssertEqual(Set(file.tensors.map(\.dtype)), Set(DType.allCases))
    XCTAssertEqual(try file.tensor(named: "f64").doubles(), [1.5, -2.25, 1e300])
    XCTAssertEqual(try file.tensor(named: "f32").floats(), [0.5, -1.0, 3.25, 1e-3])
    XCTAssertEqual(try file.tensor(named: "f32").shape, [2, 2])
    XCTAssertEqual(try file.tensor(named: "f16").floatsWidening(), [1.0, -0.5, 65504.0, 0x1p-24])
    XCTAssertEqual(try file.tensor(named: "bf16").floatsWidening(), [1.0, -3.0, 0.15625])
    XCTAssertEqual(try file.tensor(named: "i64").int64s(), [Int64.min, -1, Int64.max])
    XCTAssertEqual(try file.tensor(named: "i32").int32s(), [Int32.min, 7])
    XCTAssertEqual(try file.tensor(named: "i16").values(as: Int16.self), [Int16.min, 300])
    XCTAssertEqual(try file.tensor(named: "i8").values(as: Int8.self), [-128, 127, 0])
    XCTAssertEqual(try file.tensor(named: "u64").uint64s(), [0, UInt64(Int64.max)])
    XCTAssertEqual(try file.tensor(named: "u32").values(as: UInt32.self), [0, UInt32(Int32.max)])
    XCTAssertEqual(try file.tensor(named: "u16").values(as: UInt16.self), [0, UInt16(Int16.max)])
    XCTAssertEqual(try file.tensor(named: "u8").uint8s(), [0, 1, 255])
    XCTAssertEqual(try file.tensor(named: "bool").bools(), [true, false, true])
    XCTAssertEqual(try file.tensor(named: "scalar").shape, [])
    XCTAssertEqual(try file.tensor(named: "scalar").floats(), [42])
    XCTAssertEqual(try file.tensor(named: "empty").shape, [0, 3])
    XCTAssertEqual(try file.tensor(named: "empty").floats(), [])
  }

  func testReadsEmptyNumpyFile() throws {
    let file = try SafeTensorsFile.read(path: TestFiles.fixture("numpy_empty.safetensors"))
    XCTAssertTrue(file.tensors.isEmpty)
    XCTAssertTrue(file.metadata.isEmpty)
  }

  /// Our writer orders tensors as the reference writer does, so re-encoding PyTorch's file without
  /// checksums reproduces it byte for byte.
  func testReencodingWithoutChecksumsReproducesPythonBytes() throws {
    for name in ["torch_rnn_tiny.safetensors", "torch_all_dtypes.safetensors", "numpy_empty.safetensors"] {
      let original = try AtomicFile.read(path: TestFiles.fixture(name))
      let file = try SafeTensorsFile.decode(bytes: original)
      XCTAssertEqual(try file.encode(checksums: false), original, name)
    }
  }

  func testAddingChecksumsToPythonFileRoundTrips() throws {
    let file = try SafeTensorsFile.read(path: TestFiles.fixture("torch_rnn_tiny.safetensors"))
    let reread = try SafeTensorsFile.decode(bytes: file.encode())
    XCTAssertEqual(reread, file)
    XCTAssertEqual(reread.checksumStatus, .verified(tensorCount: 7))
  }
}
