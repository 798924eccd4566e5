import Foundation
import RNNModels
import TestSupport

/// One `Fixtures/parity_<cell>.json` written by `scripts/python/make_fixtures.py` from PyTorch.
struct ParityFixture {
  let config: ModelConfig
  let batch: Int
  let seq: Int
  let params: [String: [Float]]
  let h0: [Float]
  let c0: [Float]
  let chunks: [(inputs: [Int32], targets: [Int32])]
  let loss: Float
  let logits: [Float]
  let grads: [String: [Float]]
  let hT: [Float]
  let cT: [Float]
  let adam: [String: Any]

  init(cell: String) throws {
    let json = try Fixtures.json("parity_\(cell).json")
    func int(_ key: String) -> Int { (json[key] as! NSNumber).intValue }
    config = ModelConfig(
      cell: CellKind(rawValue: cell)!, vocabSize: int("vocab_size"), embed: int("embed"), hidden: int("hidden"),
      layers: int("layers"))
    batch = int("batch")
    seq = int("seq")
    let rawParams = json["params"] as! [String: [String: Any]]
    params = rawParams.mapValues { Fixtures.floats($0["data"]) }
    h0 = Fixtures.floats(json["h0"])
    c0 = Fixtures.floats(json["c0"])
    chunks = (json["chunks"] as! [[String: Any]]).map { (Fixtures.ints($0["inputs"]), Fixtures.ints($0["targets"])) }
    loss = Float((json["loss"] as! NSNumber).doubleValue)
    logits = Fixtures.floats(json["logits"])
    grads = (json["grads"] as! [String: Any]).mapValues { Fixtures.floats($0) }
    hT = Fixtures.floats(json["hT"])
    cT = Fixtures.floats(json["cT"])
    adam = json["adam"] as! [String: Any]
  }

  /// The model with the fixture's weights.
  func makeModel() throws -> LanguageModel {
    let layout = ParameterLayout(config: config)
    var flat = [Float](repeating: 0, count: layout.totalCount)
    for entry in layout.entries {
      let values = params[entry.name]!
      precondition(values.count == entry.count, "\(entry.name): \(values.count) vs \(entry.count)")
      flat.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: values)
    }
    return try LanguageModel(config: config, parameters: flat)
  }

  func initialState() -> HiddenState {
    HiddenState(layers: config.layers, batch: batch, hidden: config.hidden, h: h0, c: config.cell == .lstm ? c0 : [])
  }
}
