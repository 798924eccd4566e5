import NumericCore

/// Mini-batch training of a ``SequenceClassifier`` with Adam (PyTorch's equations, see
/// ``Optimizer``) and gradient clipping by global norm. Holds the optimizer slots so that training
/// can continue where it stopped.
public struct ClassifierTrainer: Sendable {
  /// One epoch's figures: mean training loss (nats) and accuracy, and accuracy on held-out data.
  public struct EpochReport: Sendable, Equatable {
    public var epoch: Int
    public var loss: Double
    public var trainAccuracy: Double
    public var holdoutAccuracy: Double?
  }

  public var optimizer: OptimizerConfig
  public var bodyState: OptimizerState
  public var headState: OptimizerState
  public var rng: RandomGenerator
  public var epochsDone = 0
  public var history: [EpochReport] = []

  public init(classifier: SequenceClassifier, seed: UInt64) {
    optimizer = OptimizerConfig(kind: .adam)
    bodyState = OptimizerState(config: optimizer, parameterCount: classifier.bodyCount)
    headState = OptimizerState(config: optimizer, parameterCount: classifier.head.count)
    rng = RandomGenerator(seed: seed ^ 0x7EA1)
  }

  /// Trains `epochs` passes over `train` (`tokens`, `label` pairs), `batch` examples per update,
  /// reporting each epoch (with accuracy on `holdout` if it is not empty) to `report`. Stops
  /// between batches when `shouldStop` returns true.
  public mutating func train(
    _ classifier: SequenceClassifier, train: [([Int32], Int)], holdout: [([Int32], Int)],
    epochs: Int, batch: Int, learningRate: Float, clip: Float,
    shouldStop: () -> Bool = { false }, report: (EpochReport) -> Void
  ) {
    var order = Array(train.indices)
    for _ in 0..<epochs {
      for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      var lossSum = 0.0, correct = 0, seen = 0
      var start = 0
      while start < order.count {
        if shouldStop() { return }
        let slice = order[start..<min(start + batch, order.count)]
        classifier.zeroGradients()
        for i in slice {
          let r = classifier.accumulate(train[i].0, label: train[i].1, scale: 1 / Float(slice.count))
          lossSum += r.loss
          if r.correct { correct += 1 }
        }
        seen += slice.count
        step(classifier, lr: learningRate, clip: clip)
        start += batch
      }
      epochsDone += 1
      let report1 = EpochReport(
        epoch: epochsDone, loss: lossSum / Double(max(seen, 1)),
        trainAccuracy: Double(correct) / Double(max(seen, 1)),
        holdoutAccuracy: holdout.isEmpty ? nil : Self.accuracy(classifier, holdout))
      history.append(report1)
      report(report1)
    }
  }

  /// Clips the global norm of both gradients together to `clip` (0 = off) as the language
  /// model's training does (`GradientClipping.norm`, PyTorch's `clip_grad_norm_`), then one Adam step.
  mutating func step(_ classifier: SequenceClassifier, lr: Float, clip: Float) {
    let bg = classifier.bodyGradients.pointer, hg = classifier.headGradients.pointer
    if clip > 0 {
      GradientClipping.norm(clip).apply(to: bg, count: classifier.bodyCount, and: hg, count: classifier.head.count)
    }
    Optimizer.step(
      config: optimizer, state: &bodyState, lr: lr, parameters: classifier.body.parameters.pointer,
      gradients: bg, count: classifier.bodyCount)
    Optimizer.step(
      config: optimizer, state: &headState, lr: lr, parameters: classifier.head.pointer, gradients: hg,
      count: classifier.head.count)
  }

  /// The fraction of `examples` whose most probable class is their label.
  public static func accuracy(_ classifier: SequenceClassifier, _ examples: [([Int32], Int)]) -> Double {
    guard !examples.isEmpty else { return .nan }
    var right = 0
    for (tokens, label) in examples {
      let p = classifier.probabilities(tokens)
      if p.indices.max(by: { p[$0] < p[$1] }) == label { right += 1 }
    }
    return Double(right) / Double(examples.count)
  }
}
