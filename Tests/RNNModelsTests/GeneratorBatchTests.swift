import NumericCore
import RNNModels
import TestSupport
import XCTest

/// The generator's padded mini-batches (`WordBatch`, `ConditionalGenerator.accumulate(_:scale:)`):
/// a batch of one word is, bit for bit, the word-at-a-time step the generator took before it had
/// batches; a padded batch of words of different lengths and labels is the character-weighted sum
/// of its words taken one at a time. (Parity with PyTorch's padded batch: `FormParityTests`.)
final class GeneratorBatchTests: XCTestCase {
  /// Words over "\nabcdefgh" (token 0 is the boundary), long enough that some read V = 9 or more
  /// rows alone (layer 0's token table) and some fewer (its row product).
  static let words: [([Int32], Int)] = [
    ([1, 2, 3], 0), ([4, 5, 6, 7, 8, 1, 2, 3, 4, 5], 1), ([8], 2), ([2, 2, 7, 1, 3], 1), ([6, 5, 4, 3, 2, 1, 8, 7, 6], 0),
    ([3, 8], 2),
  ]

  private func generator(_ cell: CellKind, layers: Int = 1) throws -> ConditionalGenerator {
    try ConditionalGenerator(
      cell: cell, vocabulary: Vocabulary(of: "\nabcdefgh"), labels: ["x", "y", "z"], embed: 5, hidden: 8,
      layers: layers, seed: 4)
  }

  /// The word-at-a-time step as the generator took it before batching: the body's forward from a
  /// zero state with the label's row as layer 0's extra bias, its backward against the targets,
  /// `scale ×` its gradients accumulated, the label row's gradient being layer 0's `∂b_ih0`.
  private func wordAtATime(_ g: ConditionalGenerator, _ word: [Int32], label: Int, scale: Float) -> Double {
    let (inputs, targets) = g.inputsAndTargets(word)
    let ws = Workspace(config: g.body.config, batch: 1, steps: inputs.count)
    var state = HiddenState(config: g.body.config, batch: 1)
    var rng = RandomGenerator(seed: 0)
    inputs.withUnsafeBufferPointer {
      g.body.forward(
        inputs: $0.baseAddress!, state: &state, workspace: ws, training: true, rng: &rng,
        inputBias: g.condition.pointer + label * g.gateWidth)
    }
    let loss = targets.withUnsafeBufferPointer { g.body.backward(targets: $0.baseAddress!, workspace: ws) }
    BLAS.axpy(count: g.bodyCount, alpha: scale, x: g.body.gradients.pointer, y: g.bodyGradients.pointer)
    let bias = g.body.gradients.pointer + g.body.layout.layers[0].biasIH
    BLAS.axpy(count: g.gateWidth, alpha: scale, x: bias, y: g.conditionGradients.pointer + label * g.gateWidth)
    return Double(loss)
  }

  /// 24 Adam steps of one word each: the batched path with batch 1 and the word-at-a-time step
  /// give the same losses, gradients and parameters, bit for bit.
  func testBatchOfOneIsTheWordAtATimeStepBitForBit() throws {
    for cell in CellKind.allCases {
      let batched = try generator(cell, layers: 2), reference = try generator(cell, layers: 2)
      var a = FormTrainer(bodyCount: batched.bodyCount, extraCount: batched.extra.count, seed: 1)
      var b = a
      for step in 0..<24 {
        let (word, label) = Self.words[step % Self.words.count]
        batched.zeroGradients()
        let la = batched.accumulate([(word, label)])
        reference.zeroGradients()
        let lb = wordAtATime(reference, word, label: label, scale: 1)
        XCTAssertEqual(la.bitPattern, lb.bitPattern, "\(cell) loss at step \(step)")
        XCTAssertEqual(batched.bodyGradients.array, reference.bodyGradients.array, "\(cell) body gradients at step \(step)")
        XCTAssertEqual(batched.conditionGradients.array, reference.conditionGradients.array, "\(cell) label gradients at step \(step)")
        a.update(batched, loss: la, lr: 0.01, clip: 1)
        b.update(reference, loss: lb, lr: 0.01, clip: 1)
      }
      XCTAssertEqual(batched.body.parameters.array, reference.body.parameters.array, "\(cell) parameters")
      XCTAssertEqual(batched.condition.array, reference.condition.array, "\(cell) label columns")
      XCTAssertEqual(a, b, "\(cell) trainer")
    }
  }

  /// A padded batch's loss is the mean over all its characters: Σ_b (n_b / N) · (word b's mean),
  /// and so is its gradient; checked against the words taken one at a time with those weights.
  func testPaddedBatchIsTheCharacterWeightedSumOfItsWords() throws {
    for cell in CellKind.allCases {
      for words in [Self.words, Array(Self.words.prefix(2)), [Self.words[2], Self.words[5]]] {
        let g = try generator(cell, layers: 2)
        g.zeroGradients()
        let loss = g.accumulate(words, scale: 0.5)
        let batchBody = g.bodyGradients.array, batchLabels = g.conditionGradients.array
        let N = Float(words.reduce(0) { $0 + $1.0.count + 1 })
        g.zeroGradients()
        var expected = 0.0
        for (word, label) in words {
          let weight = Float(word.count + 1) / N
          expected += Double(weight) * g.accumulate(word, label: label, scale: 0.5 * weight)
        }
        let what = "\(cell), \(words.count) words"
        XCTAssertEqual(loss, expected, accuracy: 1e-5 * expected, what)
        XCTAssertLessThanOrEqual(maxRelativeError(batchBody, g.bodyGradients.array, floor: 0.1), 1e-5, "\(what): body gradients")
        XCTAssertLessThanOrEqual(maxRelativeError(batchLabels, g.conditionGradients.array, floor: 0.1), 1e-5, "\(what): label gradients")
      }
    }
  }

  func testWordBatchPadsAndMasks() {
    let batch = WordBatch(words: [([3, 1], 2), ([5], 0), ([2, 4, 6], 1)], boundary: 0)
    XCTAssertEqual(batch.batch, 3)
    XCTAssertEqual(batch.steps, 4)
    // Time-major: step t of words 0, 1, 2.
    XCTAssertEqual(batch.inputs, [0, 0, 0, 3, 5, 2, 1, 0, 4, 0, 0, 6])
    XCTAssertEqual(batch.targets, [3, 5, 2, 1, 0, 4, 0, -1, 6, -1, -1, 0])
    XCTAssertEqual(batch.labels, [2, 0, 1])
    XCTAssertEqual(batch.lengths, [3, 2, 4])
    XCTAssertEqual(batch.characters, 9)
  }
}
