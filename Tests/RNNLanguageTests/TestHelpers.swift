import RNNLanguage
import XCTest

/// Markers (`1️⃣` … `9️⃣`) placed in test source text to mark where diagnostics are expected, in the
/// style of swift-format's tests. ``MarkedSource`` strips them and records their byte offsets.
struct MarkedSource {
  static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  /// The source with the markers removed.
  var text: String
  /// UTF-8 byte offset in `text` of each marker found.
  var offsets: [String: Int] = [:]

  init(_ marked: String) {
    var text = ""
    var rest = Substring(marked)
    outer: while !rest.isEmpty {
      for marker in Self.markers where rest.hasPrefix(marker) {
        offsets[marker] = text.utf8.count
        rest = rest.dropFirst(marker.count)
        continue outer
      }
      text.append(rest.removeFirst())
    }
    self.text = text
  }
}

/// Parses `marked` (as file `test.rnn`) and checks that the errors start exactly at the markers, in
/// order, with the given messages, and that the rendered diagnostics equal `rendered` when given.
func assertDiagnostics(
  _ marked: String, _ expected: [(marker: String, message: String)], rendered: String? = nil,
  file: StaticString = #filePath, line: UInt = #line
) {
  let source = MarkedSource(marked)
  let sourceFile = SourceFile(name: "test.rnn", text: source.text)
  let result = Parser.parseAll(sourceFile)
  let actual = result.errors.map { ($0.range.start, $0.kind.message) }
  let wanted = expected.map { (source.offsets[$0.marker] ?? -1, $0.message) }
  XCTAssertEqual(
    actual.map { "\($0.0): \($0.1)" }, wanted.map { "\($0.0): \($0.1)" }, file: file, line: line)
  if let rendered {
    XCTAssertEqual(
      DiagnosticRenderer(file: sourceFile).render(result.diagnostics), rendered, file: file,
      line: line)
  }
}

/// Parses `text` and returns the dump of its statements, failing on any error.
func dumpValid(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
  let source = SourceFile(name: "test.rnn", text: text)
  let result = Parser.parseAll(source)
  XCTAssertEqual(result.errors, [], file: file, line: line)
  return ASTDumper(file: source).dump(result.statements)
}

/// SplitMix64: a tiny seeded generator so that the property test is deterministic.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
