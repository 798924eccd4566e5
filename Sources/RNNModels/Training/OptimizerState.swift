/// Everything an optimizer remembers between steps, as plain values a checkpoint can hold:
/// the number of updates applied (`step`, also the learning-rate schedule's position) and one
/// flat slot per `OptimizerConfig.slotNames`, each the size of the parameter buffer.
public struct OptimizerState: Sendable, Equatable {
  public var step: Int
  /// Slot name → values in `ParameterLayout` order.
  public var slots: [String: [Float]]

  public init(config: OptimizerConfig, parameterCount: Int) {
    step = 0
    slots = [:]
    for name in config.slotNames { slots[name] = [Float](repeating: 0, count: parameterCount) }
  }

  public init(step: Int, slots: [String: [Float]]) {
    self.step = step
    self.slots = slots
  }

  /// Whether the slots are the ones `config` needs, each of `parameterCount` values.
  public func matches(_ config: OptimizerConfig, parameterCount: Int) -> Bool {
    Set(slots.keys) == Set(config.slotNames) && slots.values.allSatisfy { $0.count == parameterCount }
  }
}
