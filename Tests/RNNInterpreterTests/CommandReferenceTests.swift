import Foundation
import RNNInterpreter
import RNNLanguage
import TestSupport
import XCTest

/// The command reference (`docs/commands.md`, linked from the README) is generated from the command
/// table; this test fails when they drift apart. Regenerate with `RNN_RECORD_GOLDEN=1`.
final class CommandReferenceTests: XCTestCase {
  func testDocsMatchTheCommandTable() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    let url = root.appendingPathComponent("docs/commands.md")
    Golden.assertMatches(HelpFormatter.markdown(), url)
    let onDisk = try String(contentsOf: url, encoding: .utf8)
    for spec in CommandTable.all {
      XCTAssertTrue(onDisk.contains("\n## \(spec.name)\n"), spec.name)
      for option in spec.options {
        XCTAssertTrue(onDisk.contains("| `\(option.name)` |"), "\(spec.name) \(option.name)")
      }
    }
  }

  func testTableIsWellFormed() {
    var names = Set<String>()
    for spec in CommandTable.all {
      for name in [spec.name] + spec.aliases {
        XCTAssertTrue(names.insert(name).inserted, "duplicate \(name)")
      }
      XCTAssertFalse(spec.summary.isEmpty)
      XCTAssertFalse(spec.help.isEmpty)
      let optionNames = spec.options.map(\.name)
      XCTAssertEqual(Set(optionNames).count, optionNames.count, "\(spec.name) repeats an option")
      for example in spec.examples {
        XCTAssertTrue(Parser.parseAll(SourceFile(name: "e", text: example)).errors.isEmpty, example)
        // The names an example uses stand for objects a session would have (of any kind).
        var names = StaticNames()
        for word in example.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
          names.kinds[String(word)] = [""]
        }
        XCTAssertTrue(Interpreter.check(SourceFile(name: "e", text: example), names: names).isEmpty, example)
      }
    }
  }
}
