import RNNModels

/// A Swift type a validated argument reads as (`Int` for `.integer`, `Double` for `.real` and
/// `.duration` in seconds, `String` for strings, choices and names, …). The binder has already
/// checked the argument against its ``ParameterType``, so conversion only unwraps it.
protocol ParameterValue: Sendable {
  /// The argument as this type, or `nil` if it is of another kind (which the binder rules out).
  init?(argument: Value)
}

/// A type a table default can be written in: it knows how the default reads as an argument.
protocol ParameterDefault: ParameterValue {
  /// The default as a value of a parameter of `type` (what help shows and the binder would give).
  func argument(as type: ParameterType) -> Value
}

/// A type with a natural "not given" value, for parameters without a table default.
protocol ParameterAbsence: ParameterValue {
  /// What reading the parameter gives when it is not given (`nil`, `[]`).
  static var absent: Self { get }
}

/// A fixed set of words read as an enum (`optimizer adam` → `OptimizerConfig.Kind.adam`).
protocol ParameterChoice: ParameterDefault, RawRepresentable<String>, CaseIterable {}

extension ParameterChoice {
  init?(argument: Value) {
    switch argument {
    case .name(let word), .string(let word): self.init(rawValue: word)
    default: return nil
    }
  }
  func argument(as type: ParameterType) -> Value { .name(rawValue) }
  /// Every word, in declaration order.
  static var words: [String] { allCases.map(\.rawValue) }
}

extension Int: ParameterDefault {
  init?(argument: Value) {
    guard case .number(let v, _) = argument else { return nil }
    self.init(v)
  }
  func argument(as type: ParameterType) -> Value { .number(Double(self), isInteger: true) }
}

/// Reals, and durations in seconds.
extension Double: ParameterDefault {
  init?(argument: Value) {
    switch argument {
    case .number(let v, _), .duration(let v): self = v
    default: return nil
    }
  }
  /// Whole defaults read as integers (`5`), others as decimals (`0.002`).
  func argument(as type: ParameterType) -> Value { .number(self, isInteger: self == rounded()) }
}

extension Bool: ParameterDefault {
  init?(argument: Value) {
    guard case .bool(let b) = argument else { return nil }
    self = b
  }
  func argument(as type: ParameterType) -> Value { .bool(self) }
}

/// Strings, choice words and session names.
extension String: ParameterDefault {
  init?(argument: Value) {
    switch argument {
    case .string(let s), .name(let s): self = s
    default: return nil
    }
  }
  /// A choice's default is a word (`adam`), any other a string literal (`"checkpoints"`).
  func argument(as type: ParameterType) -> Value {
    if case .choice = type { return .name(self) }
    return .string(self)
  }
}

/// Any value (`print`).
extension Value: ParameterValue {
  init?(argument: Value) { self = argument }
}

extension Optional: ParameterValue, ParameterAbsence where Wrapped: ParameterValue {
  init?(argument: Value) {
    guard let value = Wrapped(argument: argument) else { return nil }
    self = .some(value)
  }
  static var absent: Wrapped? { nil }
}

/// A list (or one value standing for a list of one): `stop "a"`, `stop ["a", "b"]`, variadics.
extension Array: ParameterValue, ParameterAbsence where Element: ParameterValue {
  init?(argument: Value) {
    if case .list(let items) = argument {
      self = items.compactMap(Element.init(argument:))
    } else if let one = Element(argument: argument) {
      self = [one]
    } else {
      return nil
    }
  }
  static var absent: [Element] { [] }
}

extension OptimizerConfig.Kind: ParameterChoice {}
extension InvalidUTF8Handling: ParameterChoice {}
extension CellKind: ParameterChoice {}
extension Precision: ParameterChoice {}
extension CorpusSplits.Name: ParameterChoice {}
