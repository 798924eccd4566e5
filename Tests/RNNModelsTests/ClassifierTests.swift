import NumericCore
@testable import RNNModels
import TestSupport
import XCTest

/// The many-to-one classifier: its gradient against finite differences for every cell, the TSV
/// reader, and that training separates an easy two-class set.
final class ClassifierTests: XCTestCase {
  func testGradientMatchesFiniteDifferences() throws {
    let vocabulary = Vocabulary(of: "abcde")
    for cell in CellKind.allCases {
      let c = try SequenceClassifier(
        cell: cell, vocabulary: vocabulary, labels: ["x", "y", "z"], embed: 3, hidden: 4, layers: 2, seed: 5)
      let tokens: [Int32] = [0, 3, 1, 4, 2, 2]
      c.zeroGradients()
      c.accumulate(tokens, label: 1)
      let analytic = Array(c.bodyGradients.array[0..<c.bodyCount]) + c.headGradients.array
      let body = c.body.parameters.pointer, head = c.head.pointer
      let n = c.bodyCount
      let check = GradientCheck.run(
        count: c.parameterCount, analytic: analytic, step: 1e-2, atol: 2e-4, rtol: 2e-2,
        get: { $0 < n ? body[$0] : head[$0 - n] },
        set: { if $0 < n { body[$0] = $1 } else { head[$0 - n] = $1 } },
        loss: { c.loss(tokens, label: 1) })
      XCTAssertLessThanOrEqual(check.worstRatio, 1, "\(cell): \(check)")
      XCTAssertLessThan(check.relativeErrorNorm, 1e-2, "\(cell)")
    }
  }

  func testTSVParsingAndErrors() throws {
    let data = try ClassificationData(tsv: "# comment\npos\tgood film\n\nneg\tbad film\r\npos\tfine\n", source: "d.tsv")
    XCTAssertEqual(data.examples.count, 3)
    XCTAssertEqual(data.labels, ["neg", "pos"])
    XCTAssertEqual(data.examples[1].text, "bad film")
    XCTAssertThrowsError(try ClassificationData(tsv: "pos good\n", source: "d.tsv")) {
      XCTAssertTrue("\($0)".contains("d.tsv:1"), "\($0)")
    }
    let (train, held) = data.split(holdout: 0.34, seed: 1)
    XCTAssertEqual(train.examples.count + held.examples.count, 3)
    XCTAssertEqual(held.examples.count, 1)
  }

  func testTrainingSeparatesAnEasySet() throws {
    var examples: [ClassificationData.Example] = []
    var rng = RandomGenerator(seed: 9)
    for i in 0..<60 {
      let n = 3 + Int(rng.next() % 5)
      let body = String((0..<n).map { _ in Array("abc")[Int(rng.next() % 3)] })
      examples.append(.init(label: i % 2 == 0 ? "ends-x" : "ends-y", text: body + (i % 2 == 0 ? "x" : "y")))
    }
    let data = ClassificationData(examples: examples)
    let c = try SequenceClassifier(
      cell: .gru, vocabulary: data.vocabulary, labels: data.labels, embed: 4, hidden: 8, layers: 1, seed: 1)
    let set = data.examples.map { (try! c.vocabulary.encode($0.text, context: "t"), data.labels.firstIndex(of: $0.label)!) }
    var trainer = ClassifierTrainer(classifier: c, seed: 1)
    var last: ClassifierTrainer.EpochReport?
    trainer.train(c, train: set, holdout: [], epochs: 30, batch: 8, learningRate: 0.01, clip: 5) { last = $0 }
    XCTAssertEqual(last?.epoch, 30)
    XCTAssertEqual(ClassifierTrainer.accuracy(c, set), 1)
  }
}
