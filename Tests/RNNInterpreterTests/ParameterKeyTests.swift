import RNNLanguage
import XCTest

@testable import RNNInterpreter

/// The typed parameter keys: tables built from them, and reads that never fail.
final class ParameterKeyTests: XCTestCase {
  /// Every parameter struct holds keys only (anything else would be missing from the table).
  func testParameterStructsHoldOnlyKeys() {
    let structs = CommandTable.all.map(\.parameters)
    for parameters in structs {
      XCTAssertEqual(parameters.strayProperties, [], "\(type(of: parameters))")
      XCTAssertFalse(
        type(of: parameters) != NoParameters.self && parameters.keys.isEmpty,
        "\(type(of: parameters)) has no keys")
    }
  }

  /// Each command's table lists exactly its keys, names unique, and every table default reads as
  /// its key's type (so a parameter with a default always reads as a plain value).
  func testTablesAreTheKeys() {
    let train = TrainParameters().keys.map(\.spec)
    XCTAssertEqual(CommandTable.train.positionals + CommandTable.train.options, train)
    XCTAssertEqual(CommandTable.train.option(named: "for"), TrainParameters().timeBudget.spec)
    for spec in CommandTable.all {
      XCTAssertEqual(spec.positionals + spec.options, spec.parameters.keys.map(\.spec))
      let names = (spec.positionals + spec.options).map(\.name)
      XCTAssertEqual(Set(names).count, names.count, "\(spec.name) declares a name twice")
    }
    let all = CommandTable.all.map(\.parameters)
    for key in all.flatMap(\.keys) {
      XCTAssertTrue(key.defaultReads, "the default of '\(key.spec.name)' does not read as its type")
    }
  }

  /// Typed defaults keep the table's wording: whole reals read as integers, choices as words.
  func testDefaultsReadAsBefore() {
    let p = TrainParameters()
    XCTAssertEqual(p.lr.spec.defaultValue, .number(0.002, isInteger: false))
    XCTAssertEqual(p.clip.spec.defaultValue, .number(5, isInteger: true))
    XCTAssertEqual(p.optimizer.spec.defaultValue, .name("adam"))
    XCTAssertEqual(p.optimizer.spec.type, .choice(["sgd", "adagrad", "rmsprop", "adam", "adamw"]))
    XCTAssertEqual(p.saveDir.spec.defaultValue, .string("checkpoints"))
    XCTAssertNil(p.timeBudget.spec.defaultValue)
    XCTAssertEqual(EvalParameters().split.spec.type, .choice(["validation", "test", "train"]))
  }

  /// Given, else `set`, else the table default; absent options read as nil or [].
  func testReadOrder() throws {
    var parser = Parser(SourceFile(name: "t.rnn", text: #"sample m 10 top_k 3 stop ["a", "b"]"#))
    let statement = try XCTUnwrap(try parser.nextStatement())
    guard case .command(let command) = statement.kind else { return XCTFail("not a command") }
    let session = Session()
    session.defaults["temperature"] = .number(0.5, isInteger: false)
    var binder = ArgumentBinder(
      spec: CommandTable.sample, command: command, session: session, scopes: [])
    var names = StaticNames()
    names.kinds["m"] = ["model"]
    binder.staticNames = names  // `m` need not exist
    let invocation = try binder.bind(target: nil)
    let arguments = Arguments<SampleParameters>(invocation: invocation)
    XCTAssertEqual(arguments[\.model], "m")
    XCTAssertEqual(arguments[\.lengthArgument], 10)
    XCTAssertEqual(arguments[\.length], 200)
    XCTAssertEqual(arguments[\.temperature], 0.5)
    XCTAssertEqual(arguments[\.topK], 3)
    XCTAssertNil(arguments[\.topP])
    XCTAssertNil(arguments[\.seed])
    XCTAssertEqual(arguments[\.stop], ["a", "b"])
    XCTAssertTrue(arguments.has(\.topK))
    XCTAssertFalse(arguments.has(\.temperature))
    XCTAssertNil(arguments.given(\.temperature))
    XCTAssertEqual(arguments.value(\.length, orLast: 7), 7)
    XCTAssertEqual(arguments.name(of: \.topK), "top_k")
  }
}
