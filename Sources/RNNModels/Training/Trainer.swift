import NumericCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Truncated-BPTT training of one model: owns the model, its `TrainingState` and the scratch
/// buffers, so that `train(steps: n)` followed by `train(steps: m)` gives bit-for-bit the same
/// parameters as `train(steps: n + m)`. Not `Sendable`: one session owns it.
public final class Trainer {
  public let model: LanguageModel
  public var state: TrainingState
  private var workspace: Workspace?
  /// The last state whose loss was checked and found good (before that step's update), refreshed
  /// every 100 steps. Kept across calls: a divergence caused by one call's last update shows at
  /// the next call's first step, and must go back past it.
  private var lastGood: Snapshot?
  private var inputs: [Int32] = []
  private var targets: [Int32] = []

  public init(model: LanguageModel, state: TrainingState) {
    self.model = model
    self.state = state
  }

  /// One completed step, for progress displays and logs.
  public struct StepReport: Sendable {
    public var step: Int
    public var loss: Float
    public var gradientNorm: Float
    public var learningRate: Float
    public var charactersPerStep: Int
  }

  /// How a `train` call ended.
  public struct Outcome: Sendable, Equatable {
    public var stepsDone: Int
    public var stoppedEarly: Bool
    public var lastLoss: Float?
  }

  /// Trains `steps` steps on `data` (the training split's tokens). Calls `onStep` after every
  /// step; `shouldStop` is polled before every step (Ctrl-C stops cleanly at a step boundary).
  /// If the loss becomes NaN/∞ or explodes (above 3× the last good snapshot's loss and above ln V + 3),
  /// restores the last good snapshot (a state whose loss passed this check, taken at most 100
  /// steps apart) and throws.
  public func train(
    on data: TokenSequence, options: TrainingOptions, steps: Int,
    shouldStop: () -> Bool = { false }, onStep: (StepReport) -> Void = { _ in }
  ) throws(TrainingError) -> Outcome {
    do { try options.validate() } catch { throw .invalid(error) }
    let streams: BatchStreams
    do { streams = try BatchStreams(tokenCount: data.count, batch: options.batch, steps: options.seq) } catch {
      throw .data(error)
    }
    adopt(options)
    let config = model.config
    let B = options.batch, T = options.seq
    if workspace?.fits(config: config, batch: B, steps: T) != true {
      workspace = Workspace(config: config, batch: B, steps: T)
      inputs = [Int32](repeating: 0, count: B * T)
      targets = [Int32](repeating: 0, count: B * T)
    }
    let ws = workspace!
    ws.precision = options.precision
    state.trainLosses.reserveCapacity(state.trainLosses.count + min(steps, 1 << 16))
    let limit = logf(Float(config.vocabSize)) + 3
    var done = 0
    var lastLoss: Float?
    while done < steps {
      if shouldStop() { return Outcome(stepsDone: done, stoppedEarly: true, lastLoss: lastLoss) }
      let (next, wrapped) = inputs.withUnsafeMutableBufferPointer { i in
        targets.withUnsafeMutableBufferPointer { t in
          streams.fill(from: data, cursor: state.cursor, inputs: i.baseAddress!, targets: t.baseAddress!)
        }
      }
      // The state before this step (forward moves the hidden state and dropout generator), kept
      // if this step's loss passes the check and a snapshot is due.
      let snapshotDue = lastGood.map { state.step - $0.state.step >= 100 || state.step < $0.state.step } ?? true
      let before = snapshotDue ? state : nil
      let loss = inputs.withUnsafeBufferPointer { i in
        targets.withUnsafeBufferPointer { t in
          Self.forwardBackward(model: model, inputs: i.baseAddress!, targets: t.baseAddress!, workspace: ws, state: &state)
        }
      }
      let reference = lastGood?.loss ?? loss
      if !loss.isFinite || (loss > 3 * reference && loss > limit) {
        let failedStep = state.step + 1
        if let good = lastGood {
          good.restore(model: model, state: &state)
        } else if let before {  // the very first checked step: nothing was updated yet
          state = before
        }
        throw .diverged(step: failedStep, loss: loss, restoredStep: state.step)
      }
      if let before {  // the parameters are still those the loss was computed with
        lastGood = nil  // free the old copy first: two at once would be a transient third copy
        lastGood = Snapshot(model: model, state: before, loss: loss)
      }
      let lr = state.learningRate(options)
      let norm = options.clipping.apply(to: model.gradients.pointer, count: model.parameterCount)
      Optimizer.step(
        config: options.optimizer, state: &state.optimizer, lr: lr, parameters: model.parameters.pointer,
        gradients: model.gradients.pointer, count: model.parameterCount)
      state.cursor = next
      if wrapped { state.epoch += 1 }
      state.step += 1
      state.trainLosses.append(loss)
      done += 1
      lastLoss = loss
      onStep(StepReport(step: state.step, loss: loss, gradientNorm: norm, learningRate: lr, charactersPerStep: B * T))
    }
    return Outcome(stepsDone: done, stoppedEarly: false, lastLoss: lastLoss)
  }

  /// One chunk forward and backward; `state` is one exclusive access for its hidden state and
  /// dropout generator together.
  private static func forwardBackward(
    model: LanguageModel, inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, workspace: Workspace,
    state: inout TrainingState
  ) -> Float {
    model.forward(inputs: inputs, state: &state.hidden, workspace: workspace, training: true, rng: &state.rng)
    return model.backward(targets: targets, workspace: workspace)
  }

  /// Reconciles the state with new options: a new batch size re-cuts the streams (cursor and
  /// hidden state start over); a new update rule starts fresh optimizer slots.
  private func adopt(_ options: TrainingOptions) {
    if options.batch != state.batch {
      state.batch = options.batch
      state.cursor = 0
      state.hidden = HiddenState(config: model.config, batch: options.batch)
    }
    state.seq = options.seq
    if !state.optimizer.matches(options.optimizer, parameterCount: model.parameterCount) {
      let step = state.optimizer.step
      state.optimizer = OptimizerState(config: options.optimizer, parameterCount: model.parameterCount)
      state.optimizer.step = options.optimizer.kind == state.optimizerConfig.kind ? step : 0
    }
    state.optimizerConfig = options.optimizer
    if case .plateau = options.schedule {} else { state.plateau = nil }
  }

  /// A copy of the parameters and the training state to fall back on, with the loss they gave.
  private struct Snapshot {
    let parameters: [Float]
    let state: TrainingState
    let loss: Float

    init(model: LanguageModel, state: TrainingState, loss: Float) {
      parameters = model.parameters.array
      self.state = state
      self.loss = loss
    }

    func restore(model: LanguageModel, state: inout TrainingState) {
      parameters.withUnsafeBufferPointer { model.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
      state = self.state
    }
  }
}
