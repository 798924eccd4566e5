// libFuzzer target: the checkpoint reader (`SafeTensorsFile.decode(bytes:)`, then
// `ModelCheckpoint.decode(_:path:)`), with and without the tensor checksums verified. scripts/fuzz.sh
// builds it with -sanitize=fuzzer and -DFUZZING; a plain build replays the files given as arguments.
import FuzzSupport
import RNNModels
import SafeTensors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // With the tensor CRCs checked (as `load` does), and without: most mutations of tensor data
  // fail their CRC, and the checkpoint checks behind it (shapes, finiteness, state) deserve fuzzing too.
  for verify in [true, false] {
    guard let file = try? SafeTensorsFile.decode(bytes: bytes, verifyChecksums: verify) else { continue }
    _ = try? ModelCheckpoint.decode(file, path: "<fuzz>")
    if verify { break }
  }
  return 0
}

@main struct Main {
  static func main() { FuzzDriver.run(fuzz) }
}
