import XCTest

@testable import SafeTensors

/// Mutates valid files in thousands of deterministic ways. Every load must either throw a
/// `SafeTensorsError` or return a file that satisfies all invariants; never crash, hang or allocate
/// beyond the input. With checksums, any change confined to the data buffer must be rejected;
/// without checksums, a change confined to the data buffer must load with exactly that change.
final class CorruptionTests: XCTestCase {
  /// Counts per mutation family, printed at the end.
  private var counts: [(String, Int)] = []

  func testThousandsOfDeterministicMutations() throws {
    let checked = try TestFiles.sampleFile().encode(checksums: true)
    let python = try AtomicFile.read(path: TestFiles.fixture("torch_rnn_tiny.safetensors"))
    let unchecked = try TestFiles.sampleFile().encode(checksums: false)

    truncations(checked, "truncate checksummed")
    truncations(python, "truncate python")
    singleBitFlips(checked, hasChecksums: true, "bit flip checksummed")
    singleBitFlips(python, hasChecksums: false, allBits: false, "bit flip python")
    multipleBitFlips(checked, hasChecksums: true, seed: 1, "multi flip checksummed")
    multipleBitFlips(unchecked, hasChecksums: false, seed: 2, "multi flip unchecked")
    headerLengthEdits(checked, "header length")
    byteSubstitutions(checked, "header byte substitution")
    try structuredHeaderEdits(checked, "structured header edit")
    invalidUTF8(checked, "invalid UTF-8")
    deepNesting(checked, "deep nesting")

    let total = counts.reduce(0) { $0 + $1.1 }
    for (family, count) in counts { print("corruption: \(family): \(count) mutations") }
    print("corruption: total \(total) mutations")
    XCTAssertGreaterThan(total, 5_000)
  }

  // MARK: Families

  private func truncations(_ bytes: [UInt8], _ family: String) {
    for length in 0..<bytes.count {
      expectFailure(Array(bytes[0..<length]), "\(family) to \(length) bytes")
    }
    counts.append((family, bytes.count))
  }

  /// Every bit of every byte when `allBits`; otherwise one bit per byte (rotating), which keeps
  /// the larger file cheap while still touching every byte.
  private func singleBitFlips(_ bytes: [UInt8], hasChecksums: Bool, allBits: Bool = true, _ family: String) {
    let dataStart = headerEnd(bytes)
    var n = 0
    for index in bytes.indices {
      for bit in allBits ? 0..<8 : index % 8..<index % 8 + 1 {
        n += 1
        var mutated = bytes
        mutated[index] ^= 1 << bit
        checkDataChange(
          original: bytes, mutated: mutated, dataOnly: index >= dataStart, hasChecksums: hasChecksums,
          "\(family) at byte \(index) bit \(bit)")
      }
    }
    counts.append((family, n))
  }

  private func multipleBitFlips(_ bytes: [UInt8], hasChecksums: Bool, seed: UInt64, _ family: String) {
    var rng = SplitMix64(seed: seed)
    let dataStart = headerEnd(bytes)
    let n = 2_000
    for trial in 0..<n {
      var mutated = bytes
      var dataOnly = true
      let flips = 2 + Int(rng.next() % 7)
      // Half of the trials stay inside the data buffer, so the checksum claim is exercised hard.
      let range = trial % 2 == 0 ? dataStart..<bytes.count : 0..<bytes.count
      for _ in 0..<flips {
        let index = range.lowerBound + Int(rng.next() % UInt64(range.count))
        mutated[index] ^= 1 << (rng.next() % 8)
        dataOnly = dataOnly && index >= dataStart
      }
      checkDataChange(original: bytes, mutated: mutated, dataOnly: dataOnly, hasChecksums: hasChecksums, "\(family) trial \(trial)")
    }
    counts.append((family, n))
  }

  private func headerLengthEdits(_ bytes: [UInt8], _ family: String) {
    let n = UInt64(headerEnd(bytes) - 8)
    let size = UInt64(bytes.count)
    var values: [UInt64] = [
      0, 1, 2, 3, 7, 8, n - 1, n + 1, n + 8, size - 8, size - 7, size, 100_000_000, 100_000_001,
      1 << 31, 1 << 32, 1 << 62, 1 << 63, UInt64.max - 7, UInt64.max,
    ]
    values += (0..<64).map { n ^ (1 << UInt64($0)) }
    for value in values where value != n {
      var mutated = bytes
      mutated.replaceSubrange(0..<8, with: withUnsafeBytes(of: value.littleEndian, Array.init))
      expectFailure(mutated, "\(family) \(value)")
    }
    counts.append((family, values.count))
  }

  /// Every header byte replaced by each of a set of JSON-significant and hostile bytes.
  private func byteSubstitutions(_ bytes: [UInt8], _ family: String) {
    let replacements = Array("\"{}[],:\\0 9-e.Nn".utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xFF]
    var n = 0
    for index in 8..<headerEnd(bytes) {
      for replacement in replacements where bytes[index] != replacement {
        var mutated = bytes
        mutated[index] = replacement
        checkAny(mutated, "\(family) at \(index) → 0x\(String(replacement, radix: 16))")
        n += 1
      }
    }
    counts.append((family, n))
  }

  /// Textual edits of the header JSON (dtypes, shapes, offsets, keys, numbers); the length prefix
  /// is fixed up so the edit reaches the JSON validator.
  private func structuredHeaderEdits(_ bytes: [UInt8], _ family: String) throws {
    let end = headerEnd(bytes)
    let header = String(decoding: bytes[8..<end], as: UTF8.self)
    let buffer = Array(bytes[end...])
    var n = 0
    func edit(_ text: String, _ label: String) {
      checkAny(TestFiles.image(header: text, buffer: buffer), "\(family): \(label)")
      n += 1
    }
    let dtypes = DType.allCases.map(\.rawValue) + ["F8_E4M3", "f32", "", "FLOAT", "F32 ", "\\u0046\\u0033\\u0032"]
    let numbers = [
      "NaN", "-NaN", "Infinity", "-Infinity", "-0", "-1", "1e400", "0x10", "01", "+1", ".5", "1.", "1.5", "1e2",
      "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
      String(repeating: "9", count: 400), "null", "true", "\"4\"", "[]", "{}",
    ]
    for match in occurrences(of: "\"dtype\":\"", in: header) {
      let close = header[match...].firstIndex(of: ",")!
      for dtype in dtypes { edit(header.replacingCharacters(in: match..<close, with: "\"dtype\":\"\(dtype)\""), "dtype \(dtype)") }
    }
    for match in occurrences(of: "\"shape\":[", in: header) {
      let close = header.index(after: header[match...].firstIndex(of: "]")!)
      let shapes =
        ["[]", "[0]", "[1]", "[1,1,1,1,1,1,1,1]", "[4294967296,4294967296]", "[9223372036854775807,2]"] + numbers.map { "[\($0)]" }
      for shape in shapes { edit(header.replacingCharacters(in: match..<close, with: "\"shape\":\(shape)"), "shape \(shape)") }
    }
    for match in occurrences(of: "\"data_offsets\":[", in: header) {
      let close = header.index(after: header[match...].firstIndex(of: "]")!)
      let offsets =
        ["[]", "[0]", "[0,0,0]", "[0,0]", "[1,0]", "[0,9223372036854775808]", "[9223372036854775808,18446744073709551615]"]
        + numbers.flatMap { ["[\($0),4]", "[0,\($0)]"] }
      for value in offsets { edit(header.replacingCharacters(in: match..<close, with: "\"data_offsets\":\(value)"), "offsets \(value)") }
    }
    // Duplicate every top-level entry (duplicate keys), drop each one (gaps), and add unknown keys.
    let layout = try HeaderLayout.parse(header: Array(bytes[8..<end]), bufferSize: buffer.count)
    for tensor in layout.tensors {
      let entry =
        "\"\(tensor.name)\":{\"dtype\":\"\(tensor.dtype)\",\"shape\":\(tensor.shape),\"data_offsets\":[\(tensor.begin),\(tensor.end)]}"
        .replacingOccurrences(of: ", ", with: ",")
      guard header.contains(entry) else { return XCTFail("entry text not found for \(tensor.name)") }
      edit(header.replacingOccurrences(of: "{\"__metadata__\"", with: "{" + entry + ",\"__metadata__\""), "duplicate \(tensor.name)")
      edit(header.replacingOccurrences(of: entry + ",", with: "").replacingOccurrences(of: "," + entry, with: ""), "drop \(tensor.name)")
      edit(header.replacingOccurrences(of: entry, with: entry.dropLast() + ",\"extra\":0}"), "unknown key in \(tensor.name)")
    }
    edit(header.replacingOccurrences(of: "{\"__metadata__\"", with: "{\"__metadata__\":{},\"__metadata__\""), "duplicate __metadata__")
    edit(header.replacingOccurrences(of: "\"format\":\"pt\"", with: "\"format\":7"), "non-string metadata")
    edit(header.replacingOccurrences(of: "\"crc32c\"", with: "\"crc32c\":\"{}\",\"crc32c\""), "duplicate checksum key")
    edit(header.replacingOccurrences(of: "\"format\":\"pt\"", with: "\"format\":\"pt\",\"format\":\"pt\""), "duplicate metadata key")
    counts.append((family, n))
  }

  private func invalidUTF8(_ bytes: [UInt8], _ family: String) {
    let end = headerEnd(bytes)
    let header = Array(bytes[8..<end])
    let buffer = Array(bytes[end...])
    let sequences: [[UInt8]] = [
      [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
      [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xC3], [0xE2, 0x82],
    ]
    var n = 0
    for position in stride(from: 1, to: header.count, by: 3) {
      for sequence in sequences {
        var mutated = header
        mutated.insert(contentsOf: sequence, at: position)
        let error = assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: TestFiles.image(headerBytes: mutated, buffer: buffer)))
        if case .headerNotUTF8 = error {} else { XCTFail("\(family) at \(position): \(String(describing: error))") }
        n += 1
      }
    }
    counts.append((family, n))
  }

  private func deepNesting(_ bytes: [UInt8], _ family: String) {
    let buffer = Array(bytes[headerEnd(bytes)...])
    var n = 0
    for depth in [17, 100, 10_000, 1_000_000] {
      for (open, close) in [("[", "]"), ("{\"k\":", "}"), ("[{\"k\":", "}]")] {
        let nested = String(repeating: open, count: depth) + "0" + String(repeating: close, count: depth)
        for header in ["{\"__metadata__\":\(nested)}", "{\"x\":\(nested)}", "{\"__metadata__\":{\"a\":\(nested)}}"] {
          let error = assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: TestFiles.image(header: header, buffer: buffer)))
          if case .headerNestingTooDeep = error {} else { XCTFail("\(family) depth \(depth): \(String(describing: error))") }
          n += 1
        }
      }
    }
    counts.append((family, n))
  }

  // MARK: Checks

  private func headerEnd(_ bytes: [UInt8]) -> Int {
    8 + bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
  }

  private func occurrences(of needle: String, in text: String) -> [String.Index] {
    var result: [String.Index] = []
    var searchStart = text.startIndex
    while let range = text.range(of: needle, range: searchStart..<text.endIndex) {
      result.append(range.lowerBound)
      searchStart = range.upperBound
    }
    return result
  }

  private func expectFailure(_ bytes: [UInt8], _ label: String) {
    if case .success = Result(catching: { () throws(SafeTensorsError) in try SafeTensorsFile.decode(bytes: bytes) }) {
      XCTFail("\(label): loaded, expected an error")
    }
  }

  /// Either an error, or a file whose every tensor is consistent and that survives a round trip.
  @discardableResult
  private func checkAny(_ bytes: [UInt8], _ label: String) -> SafeTensorsFile? {
    let file: SafeTensorsFile
    do {
      file = try SafeTensorsFile.decode(bytes: bytes)
    } catch {
      XCTAssertFalse(error.description.isEmpty, label)
      return nil
    }
    for tensor in file.tensors {
      let count = tensor.shape.reduce(1, *)
      XCTAssertEqual(tensor.bytes.count, count * tensor.dtype.byteSize, "\(label): \(tensor.name)")
    }
    XCTAssertEqual(try? SafeTensorsFile.decode(bytes: file.encode()), file, "\(label): re-encode changed the content")
    return file
  }

  private func checkDataChange(original: [UInt8], mutated: [UInt8], dataOnly: Bool, hasChecksums: Bool, _ label: String) {
    guard dataOnly else { return checkAny(mutated, label).map { _ in } ?? () }
    if mutated == original { return }  // two flips of the same bit cancelled out
    if hasChecksums {
      let error = assertThrowsSafeTensorsError(try SafeTensorsFile.decode(bytes: mutated))
      if case .checksumMismatch = error {} else { XCTFail("\(label): expected a checksum mismatch, got \(String(describing: error))") }
    } else {
      guard let file = checkAny(mutated, label) else { return XCTFail("\(label): a data-only change must still load") }
      let end = headerEnd(mutated)
      XCTAssertEqual(file.tensors.flatMap(\.bytes), Array(mutated[end...]), label)
    }
  }
}

/// A tiny deterministic generator (SplitMix64) so every run makes the same mutations.
struct SplitMix64 {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
