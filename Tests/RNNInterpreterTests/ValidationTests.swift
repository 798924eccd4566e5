import RNNInterpreter
import RNNLanguage
import XCTest

/// Every command's bad values are rejected before anything runs, with a message naming the option
/// and its allowed range, and the session is left exactly as it was. The bad values are derived
/// from the command table itself, so a new option is covered as soon as it is declared.
final class ValidationTests: XCTestCase {
  /// A session with a corpus `c`, a model `m` trained 2 steps, and a default.
  func prepared() -> (Interpreter, RecordingSink) {
    let (interpreter, sink, _) = makeInterpreter()
    XCTAssertTrue(
      interpreter.run(
        """
        c = corpus "corpora/tiny.txt"
        m = rnn c hidden 4 embed 2
        train m steps 2 batch 2 seq 8
        set temperature 0.5
        """))
    sink.clear()
    return (interpreter, sink)
  }

  /// Arguments that satisfy a command's required positionals.
  func positionals(of spec: CommandSpec) -> String {
    spec.positionals.filter(\.isRequired).map { p in
      switch p.type {
      case .model, .anyModel, .modelOrLog, .object: "m"
      case .corpus: "c"
      case .string, .strings: #""corpora/tiny.txt""#
      case .command: "train"
      default: "1"
      }
    }.joined(separator: " ")
  }

  /// Values outside a parameter type's range, as source text.
  func badValues(for type: ParameterType) -> [String] {
    switch type {
    case .integer(let r):
      var values = ["1.5", #""text""#]
      if r.lowerBound > Int.min { values.append(String(r.lowerBound - 1)) }
      if r.upperBound < Int.max { values.append(String(r.upperBound + 1)) }
      return values
    case .real(let r):
      var values = [#""text""#]
      if let lower = r.lower {
        values.append(String(lower.inclusive ? lower.value - 0.5 : lower.value))
      }
      if let upper = r.upper {
        values.append(String(upper.inclusive ? upper.value + 0.5 : upper.value))
      }
      return values
    case .duration: return ["0s", "8000h", "5"]
    case .choice: return ["bogus", "3"]
    case .string: return ["3"]
    case .strings: return ["3", "[1, 2]"]
    case .bool: return ["3"]
    case .corpus: return ["nosuch", "m"]
    case .model, .anyModel: return ["nosuch", "c"]
    case .modelOrLog: return ["nosuch", "c", "3"]
    case .object, .command: return ["nosuch"]
    case .any: return []
    }
  }

  func testEveryBadOptionValueIsRejectedBeforeAnythingRuns() {
    var checked = 0
    for spec in CommandTable.all {
      for option in spec.options {
        for bad in badValues(for: option.type) {
          let (interpreter, sink) = prepared()
          let before = interpreter.session.fingerprint
          let text = "\(spec.name) \(positionals(of: spec)) \(option.name) \(bad)"
          XCTAssertFalse(interpreter.run(text), text)
          let error = firstError(sink)
          XCTAssertTrue(error.contains("'\(option.name)'"), "\(text): \(error)")
          switch option.type {
          case .integer, .real, .duration, .choice:
            XCTAssertTrue(
              error.contains(option.type.allowedDescriptionForTests), "\(text): \(error)")
          default:
            break
          }
          XCTAssertEqual(
            sink.events.count, 1, "\(text) printed more than its error: \(sink.transcript)")
          XCTAssertEqual(interpreter.session.fingerprint, before, "\(text) changed the session")
          checked += 1
        }
      }
    }
    XCTAssertGreaterThan(checked, 150)
    print("ValidationTests: \(checked) bad option values rejected")
  }

  func testUnknownOptionsGetDidYouMean() {
    let cases = [
      ("sample m sed 3", "unknown option 'sed' for 'sample' (did you mean 'seed'?)"),
      ("train m step 3", "unknown option 'step' for 'train' (did you mean 'steps'?)"),
      ("train m stpes 3", "unknown option 'stpes' for 'train' (did you mean 'steps'?)"),
      ("lstm c hiden 8", "unknown option 'hiden' for 'lstm' (did you mean 'hidden'?)"),
      (
        "sample m 10 temprature 1",
        "unknown option 'temprature' for 'sample' (did you mean 'temperature'?)"
      ),
      ("set temp 1", "unknown option 'temp' for 'set'"),
      ("trian m", "unknown command 'trian' (did you mean 'train'?)"),
      ("sample mm", "unknown model 'mm' (did you mean 'm'?)"),
      ("train c", "'c' is a corpus, not a model"),
    ]
    for (text, message) in cases {
      let (interpreter, sink) = prepared()
      let before = interpreter.session.fingerprint
      XCTAssertFalse(interpreter.run(text))
      XCTAssertTrue(firstError(sink).contains("error: \(message)"), "\(text): \(firstError(sink))")
      XCTAssertEqual(interpreter.session.fingerprint, before)
    }
  }

  func testMissingValuesAndArguments() {
    let cases = [
      ("train m steps", "option 'steps' of 'train' needs a value"),
      ("train", "'train' needs the name of a model (MODEL)"),
      ("m2 = lstm", "'lstm' needs the name of a corpus (CORPUS)"),
      ("train m steps 3 steps 4", "option 'steps' of 'train' is given twice"),
      ("show m m", "unexpected argument: 'show' takes no more arguments, got m"),
      ("list everything", "unexpected argument: 'list' takes no more arguments, got everything"),
    ]
    for (text, message) in cases {
      let (interpreter, sink) = prepared()
      XCTAssertFalse(interpreter.run(text))
      XCTAssertTrue(firstError(sink).contains(message), "\(text): \(firstError(sink))")
    }
  }
}

extension ParameterType {
  /// The part of `allowed` that names the range, as error messages print it.
  var allowedDescriptionForTests: String {
    switch self {
    case .integer(let r):
      r.upperBound == Int.max ? "≥ \(r.lowerBound)" : "between \(r.lowerBound) and \(r.upperBound)"
    case .real(let r): r.description
    case .duration: "a duration between"
    case .choice(let words): "one of " + words.joined(separator: ", ")
    default: ""
    }
  }
}
