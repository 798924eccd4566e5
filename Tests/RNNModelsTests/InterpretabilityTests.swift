import NumericCore
@testable import RNNModels
import XCTest

/// Unit search on hand-built models whose answer is known, the text properties, gate saturation
/// and top-k predictions.
final class InterpretabilityTests: XCTestCase {
  /// An LSTM whose unit 0 counts characters since the last newline in its cell state
  /// (i ≈ 1, g = 0.5, f ≈ 0 on a newline and ≈ 1 otherwise), unit 1 random.
  func lineCounter(vocabulary: Vocabulary) throws -> LanguageModel {
    let V = vocabulary.count, H = 2
    let config = ModelConfig(cell: .lstm, vocabSize: V, embed: V, hidden: H, layers: 1)
    let model = try LanguageModel(config: config, seed: 4)
    var enc = [Float](repeating: 0, count: V * V)
    for v in 0..<V { enc[v * V + v] = 1 }  // one-hot embedding
    try model.setTensor(named: "encoder.weight", to: enc)
    var wih = model.tensor(named: "rnn.weight_ih_l0")!, whh = model.tensor(named: "rnn.weight_hh_l0")!
    var bih = model.tensor(named: "rnn.bias_ih_l0")!, bhh = model.tensor(named: "rnn.bias_hh_l0")!
    let nl = vocabulary.index(of: "\n")!
    for gate in 0..<4 {
      let row = gate * H  // unit 0 of this gate
      for v in 0..<V { wih[row * V + v] = 0 }
      for j in 0..<H { whh[row * H + j] = 0 }
      bhh[row] = 0
      switch gate {
      case 0: bih[row] = 20  // i ≈ 1
      case 1:
        bih[row] = 0
        for v in 0..<V { wih[row * V + v] = v == nl ? -20 : 20 }  // f
      case 2: bih[row] = 0.5493061  // g = tanh(·) = 0.5
      default: bih[row] = 0
      }
    }
    try model.setTensor(named: "rnn.weight_ih_l0", to: wih)
    try model.setTensor(named: "rnn.weight_hh_l0", to: whh)
    try model.setTensor(named: "rnn.bias_ih_l0", to: bih)
    try model.setTensor(named: "rnn.bias_hh_l0", to: bhh)
    return model
  }

  func testRankingFindsTheLineCounter() throws {
    var rng = RandomGenerator(seed: 1)
    var text = ""
    for _ in 0..<30 {
      text += String((0..<(1 + Int(rng.next() % 12))).map { _ in Array("ab")[Int(rng.next() % 2)] }) + "\n"
    }
    let vocabulary = Vocabulary(of: text)
    let model = try lineCounter(vocabulary: vocabulary)
    let trace = ActivationTrace.record(model: model, tokens: try vocabulary.encode(text, context: "t"), chunk: 7)
    let ranked = UnitRanking.rank(trace: trace, property: try TextProperty.linePosition.values(of: text))
    XCTAssertEqual(ranked.count, 4)  // h and c of 2 units
    XCTAssertEqual(ranked[0].series, "c")
    XCTAssertEqual(ranked[0].unit, 0)
    XCTAssertGreaterThan(ranked[0].correlation, 0.999)
    // The input gate of unit 0 is always open: right-saturated all the time.
    let i = GateSaturation.measure(trace).first { $0.gate == "i" }!
    XCTAssertEqual(i.mostlyRightUnits, 1)
    XCTAssertGreaterThanOrEqual(i.right, 0.5)
  }

  func testTraceIsTheSameInAnyChunking() throws {
    let model = try LanguageModel(config: ModelConfig(cell: .gru, vocabSize: 5, embed: 3, hidden: 4, layers: 2), seed: 1)
    let tokens = (0..<50).map { Int32($0 * 7 % 5) }
    let a = ActivationTrace.record(model: model, tokens: tokens, chunk: 50)
    let b = ActivationTrace.record(model: model, tokens: tokens, chunk: 9)
    XCTAssertEqual(a.hidden, b.hidden)
    XCTAssertEqual(a.gates, b.gates)
    XCTAssertEqual(a.series("z", layer: 1, unit: 3)!.count, 50)
    XCTAssertNil(a.series("c", layer: 0, unit: 0))
    let top = a.topPredictions(at: 10, k: 3)
    XCTAssertEqual(top.count, 3)
    XCTAssertGreaterThanOrEqual(top[0].probability, top[1].probability)
    let sum = (0..<5).reduce(Float(0)) { $0 + a.probabilities[10 * 5 + $1] }
    XCTAssertEqual(sum, 1, accuracy: 1e-5)
  }

  func testTextProperties() throws {
    XCTAssertEqual(try TextProperty.quotes.values(of: #"a"bc"d"#), [0, 1, 1, 1, 0, 0])
    XCTAssertEqual(try TextProperty.depth.values(of: "f(a[b])c)"), [0, 1, 1, 2, 2, 1, 0, 0, 0])
    XCTAssertEqual(try TextProperty.parens.values(of: "x{y}"), [0, 1, 1, 0])
    XCTAssertEqual(try TextProperty.linePosition.values(of: "ab\nc"), [1, 2, 0, 1])
    XCTAssertEqual(try TextProperty.newline.values(of: "a\nb"), [0, 1, 0])
    XCTAssertEqual(try TextProperty.regex("b+").values(of: "abbcéb"), [0, 1, 1, 0, 0, 1])
    XCTAssertEqual(try TextProperty.regex("é.").values(of: "xéy"), [0, 1, 1])
    XCTAssertThrowsError(try TextProperty.regex("(").values(of: "x")) {
      guard case .invalidArgument(let message)? = $0 as? ModelError else { return XCTFail("\($0)") }
      XCTAssertTrue(message.hasPrefix(#"invalid regular expression "(": "#), message)
    }
    XCTAssertEqual(UnitRanking.pearson([1, 2, 3], [2, 4, 6]), 1, accuracy: 1e-12)
    XCTAssertEqual(UnitRanking.pearson([1, 1, 1], [2, 4, 6]), 0)
  }
}
