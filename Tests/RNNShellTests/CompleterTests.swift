import RNNInterpreter
import RNNShell
import XCTest

/// Tab completion from the command table: commands, options, option values, session names, paths.
final class CompleterTests: XCTestCase {
  let completer = Completer(
    names: [
      CompletionName("shakes", .corpus), CompletionName("m", .model), CompletionName("m2", .model),
    ],
    listDirectory: { path in
      switch path {
      case ".":
        [("corpora", true), ("checkpoints", true), ("notes.txt", false), (".hidden", false)]
      case "corpora/": [("hello.txt", false), ("shakespeare.txt", false), ("licenses", true)]
      default: nil
      }
    })

  func complete(_ line: String) -> [String] {
    let word = String(line.reversed().prefix { !" \t\n\"=;{}[],".contains($0) }.reversed())
    return completer.complete(before: String(line.dropLast(word.count)), word: word).candidates
  }

  func testCommandNamesAtTheStartOfAStatement() {
    XCTAssertEqual(complete("tra"), ["train", "translate"])
    XCTAssertEqual(complete("trai"), ["train"])
    XCTAssertEqual(complete("s"), CommandTable.allNames.filter { $0.hasPrefix("s") }.sorted())
    XCTAssertTrue(complete("s").contains("sample"))
    XCTAssertEqual(complete("m3 = lst"), ["lstm"])
    XCTAssertEqual(complete("for t in [1, 2] { samp"), ["sample"])
    XCTAssertEqual(complete("print 1; trai"), ["train"])
    XCTAssertEqual(complete("rep"), ["repeat"])
  }

  func testOptionNamesOfTheCommandBeingTyped() {
    XCTAssertEqual(complete("train m st"), ["steps"])
    XCTAssertEqual(complete("train m steps 10 se"), ["seq"])
    XCTAssertFalse(
      complete("train m steps 10 s").contains("steps"), "options already given are not offered")
    XCTAssertEqual(complete("sample m temp"), ["temperature"])
  }

  func testOptionValuesAndSessionNames() {
    XCTAssertEqual(complete("train m optimizer ad"), ["adagrad", "adam", "adamw"])
    XCTAssertTrue(complete("train ").contains("m2"))
    XCTAssertFalse(complete("train ").contains("shakes"), "train wants a model")
    XCTAssertEqual(complete("m = lstm sh"), ["shakes"])
    XCTAssertEqual(complete("help trai"), ["train"])
  }

  func testBooleanOptionsCompleteTrueAndFalse() {
    XCTAssertEqual(complete("train m keep_best t"), ["true"])
    XCTAssertEqual(complete("train m nesterov f"), ["false", "for"])
    let after = complete("train m nesterov ")
    XCTAssertTrue(after.contains("true") && after.contains("false"), "\(after)")
    XCTAssertTrue(after.contains("steps"), "a boolean option may stand alone: \(after)")
    XCTAssertFalse(after.contains("nesterov"))
  }

  func testFilePathsInsideStrings() {
    XCTAssertEqual(complete("c = corpus \"cor"), ["corpora/"])
    XCTAssertEqual(complete("c = corpus \"corpora/sh"), ["corpora/shakespeare.txt"])
    XCTAssertEqual(
      complete("c = corpus \"corpora/"),
      ["corpora/hello.txt", "corpora/licenses/", "corpora/shakespeare.txt"])
    XCTAssertEqual(complete("c = corpus \""), ["checkpoints/", "corpora/", "notes.txt"])
    XCTAssertTrue(completer.complete(before: "load \"", word: "no").isPath)
    XCTAssertEqual(complete("c = corpus \"corpora/hello.txt\" sp"), ["split"])
  }
}

/// Completion knows generators and taggers: the commands that take them offer their names.
final class FormCompletionTests: XCTestCase {
  let completer = Completer(
    names: [
      CompletionName("c", .corpus), CompletionName("m", .model), CompletionName("g", .form), CompletionName("k", .other),
    ],
    listDirectory: { _ in nil })

  func complete(_ line: String) -> [String] {
    let word = String(line.reversed().prefix { !" \t\n\"=;{}[],".contains($0) }.reversed())
    return completer.complete(before: String(line.dropLast(word.count)), word: word).candidates
  }

  func testGeneratorsAndTaggersAreOfferedWhereTheyAreTaken() {
    let names = ["c", "g", "k", "m"]
    XCTAssertEqual(complete("sample ").filter(names.contains), ["g", "m"])
    XCTAssertEqual(complete("eval ").filter(names.contains), ["g", "m"])
    XCTAssertEqual(complete("train ").filter(names.contains), ["m"])
    XCTAssertEqual(complete("gen"), ["generator"])
    XCTAssertEqual(complete("tag"), ["tag", "tagger"])
    XCTAssertEqual(complete("sample g la"), ["label"])
    XCTAssertEqual(complete("fit g st"), ["steps"])
    XCTAssertEqual(complete("q = tagger c property qu"), ["quotes"])
  }
}

/// `serve` is a command of the table: completion offers it and its options.
final class ServeCompletionTests: XCTestCase {
  let completer = Completer(names: [CompletionName("m", .model)], listDirectory: { _ in nil })

  func complete(_ line: String) -> [String] {
    let word = String(line.reversed().prefix { !" \t\n\"=;{}[],".contains($0) }.reversed())
    return completer.complete(before: String(line.dropLast(word.count)), word: word).candidates
  }

  func testServeAndItsOptionsComplete() {
    XCTAssertEqual(complete("ser"), ["serve"])
    XCTAssertEqual(complete("serve "), ["host", "port", "stop"])
    XCTAssertEqual(complete("serve port 9000 "), ["host", "stop"])
    XCTAssertEqual(complete("serve st"), ["stop"])
    XCTAssertEqual(complete("help ser"), ["serve"])
  }
}
