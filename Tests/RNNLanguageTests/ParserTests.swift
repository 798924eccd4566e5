import RNNLanguage
import XCTest

final class ParserTests: XCTestCase {
  func testCommandArgumentsAreFlat() {
    XCTAssertEqual(
      dumpValid("train m steps 200 lr 0.002"),
      """
      Command train @1:1-1:27
      ├─ Identifier m @1:7-1:8
      ├─ Identifier steps @1:9-1:14
      ├─ Number 200 = 200.0 @1:15-1:18
      ├─ Identifier lr @1:19-1:21
      └─ Number 0.002 = 0.002 @1:22-1:27

      """)
  }

  func testAssignmentAndRanges() throws {
    let file = SourceFile(name: "t", text: "m2 = load \"c.safetensors\"\n")
    var parser = Parser(file)
    let statement = try XCTUnwrap(parser.nextStatement())
    guard case .assignment(let target, let command) = statement.kind else {
      return XCTFail("\(statement)")
    }
    XCTAssertEqual(target, Identifier("m2", SourceRange(start: 0, end: 2)))
    XCTAssertEqual(command.name.name, "load")
    XCTAssertEqual(
      command.arguments, [Expression(.string("c.safetensors"), SourceRange(start: 10, end: 25))])
    XCTAssertEqual(statement.range, SourceRange(start: 0, end: 25))
    XCTAssertNil(try parser.nextStatement())
    XCTAssertNil(try parser.nextStatement())
  }

  func testPullParserYieldsOneStatementAtATimeAndContinuesAfterErrors() throws {
    var parser = Parser(SourceFile(name: "t", text: "help; eval m = 3\n\n# c\nsample m\n"))
    XCTAssertEqual(try parser.nextStatement()?.range, SourceRange(start: 0, end: 4))
    do {
      _ = try parser.nextStatement()
      XCTFail("expected an error")
    } catch {
      XCTAssertEqual(error.errors.count, 1)
      XCTAssertEqual(error.errors[0].range, SourceRange(start: 13, end: 14))
    }
    guard case .command(let command) = try parser.nextStatement()?.kind else { return XCTFail() }
    XCTAssertEqual(command.name.name, "sample")
    XCTAssertNil(try parser.nextStatement())
  }

  func testForIterableMayBeAName() {
    XCTAssertEqual(
      dumpValid("for t in temps { sample m 10 temperature t }"),
      """
      For t @1:1-1:45
      ├─ Variable t @1:5-1:6
      ├─ Identifier temps @1:10-1:15
      └─ Block @1:16-1:45
         └─ Command sample @1:18-1:43
            ├─ Identifier m @1:25-1:26
            ├─ Number 10 = 10.0 @1:27-1:29
            ├─ Identifier temperature @1:30-1:41
            └─ Identifier t @1:42-1:43

      """)
  }

  func testAStatementWithAnErrorInsideABlockIsNotYieldedAtAll() {
    let result = Parser.parseAll(
      SourceFile(name: "t", text: "repeat 2 {\n help\n train m $\n}\nhelp\n"))
    XCTAssertEqual(result.errors.map(\.kind), [.unexpectedCharacter("$")])
    XCTAssertEqual(result.statements.count, 1)  // only the final `help`
  }

  func testBlockBodyErrorsAreAllReported() {
    let result = Parser.parseAll(
      SourceFile(name: "t", text: "repeat 2 {\n a = \n b ]\n c [1,\n 2 }\n}\nok\n"))
    XCTAssertEqual(result.errors.count, 3, "\(result.errors)")
    XCTAssertEqual(result.statements.count, 1)
  }

  func testIsComplete() {
    XCTAssertTrue(Parser.isComplete("train m steps 5"))
    XCTAssertTrue(Parser.isComplete(""))
    XCTAssertTrue(Parser.isComplete("train m $"))  // a real error, not a continuation
    XCTAssertTrue(Parser.isComplete("repeat 3"))  // the `{` must be on the header's line
    XCTAssertTrue(Parser.isComplete("for t in [1, 2] {\n sample m\n}"))
    XCTAssertFalse(Parser.isComplete("sample m prime \"ROMEO:"))
    XCTAssertFalse(Parser.isComplete("for t in [0.5,"))
    XCTAssertFalse(Parser.isComplete("for t in [0.5, 1.0] {"))
    XCTAssertFalse(Parser.isComplete("repeat 2 {\n repeat 3 {\n help\n }"))
    XCTAssertFalse(Parser.isComplete("repeat 2 {\n train m [1,"))
  }

  func testNestingLimitIsAClearErrorNotAStackOverflow() {
    for depth in [65, 10_000, 40_000] {
      let text =
        "x " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        + "\nhelp\n"
      let result = Parser.parseAll(SourceFile(name: "t", text: text))
      XCTAssertEqual(result.errors.map(\.kind), [.nestingTooDeep(limit: 64)])
      XCTAssertEqual(result.errors.first?.range.start, 2 + 64)
      XCTAssertEqual(result.statements.count, 1)
    }
    let blocks =
      String(repeating: "repeat 1 {", count: 8_000) + String(repeating: "}", count: 8_000)
    XCTAssertEqual(
      Parser.parseAll(SourceFile(name: "t", text: blocks)).errors.map(\.kind),
      [.nestingTooDeep(limit: 64)])
    let ok = "x " + String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    XCTAssertEqual(Parser.parseAll(SourceFile(name: "t", text: ok)).errors, [])
  }

  func testTooDeepNestingIsAnErrorEvenWhenUnclosed() {
    XCTAssertTrue(Parser.isComplete("x " + String(repeating: "[", count: 50_000)))
  }

  func testExtremelyLongLineIsAClearError() {
    let long = "sample m prime \"" + String(repeating: "a", count: 200_000) + "\" x y\nhelp\n"
    let result = Parser.parseAll(SourceFile(name: "t", text: long))
    XCTAssertEqual(result.errors.map(\.kind), [.lineTooLong(limit: 100_000)])
    XCTAssertEqual(result.statements.count, 1)
    let custom = Parser.parseAll(
      SourceFile(name: "t", text: "a b c d e f\n"), limits: ParserLimits(maxLineLength: 8))
    XCTAssertEqual(custom.errors.map(\.kind), [.lineTooLong(limit: 8)])
  }

  func testLongLinesOfManyTokensParseInLinearTime() {
    let text = String(repeating: "x 1 ", count: 20_000)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      XCTAssertEqual(Parser.parseAll(SourceFile(name: "t", text: text)).errors, [])
    }
    XCTAssertLessThan(elapsed, .seconds(5))
  }

  func testErrorFloodsAreCappedAndFast() {
    let flood =
      "x " + String(repeating: "$ ", count: 40_000) + "\n" + String(repeating: "]\n", count: 5_000)
    let clock = ContinuousClock()
    var result: ParseResult?
    let elapsed = clock.measure { result = Parser.parseAll(SourceFile(name: "t", text: flood)) }
    XCTAssertLessThan(elapsed, .seconds(5))
    XCTAssertEqual(result?.errors.count, 101)
    XCTAssertEqual(result?.errors.last?.kind, .tooManyErrors(limit: 100))
    let few = Parser.parseAll(
      SourceFile(name: "t", text: "$\n$\n$\n"), limits: ParserLimits(maxErrors: 2))
    XCTAssertEqual(
      few.errors.map(\.kind),
      [.unexpectedCharacter("$"), .unexpectedCharacter("$"), .tooManyErrors(limit: 2)])
  }

  func testShebangAndCRLF() {
    XCTAssertEqual(
      dumpValid("#!/usr/bin/env rnn\r\nhelp train\r\n"),
      "Command help @2:1-2:11\n└─ Identifier train @2:6-2:11\n")
  }
}
