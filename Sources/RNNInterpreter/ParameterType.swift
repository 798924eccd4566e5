/// An interval of real numbers, each end open, closed or absent: `[0, 1)`, `> 0`, `≥ 0`.
public struct RealRange: Sendable, Equatable, CustomStringConvertible {
  /// The lower bound and whether it is included.
  public var lower: (value: Double, inclusive: Bool)?
  /// The upper bound and whether it is included.
  public var upper: (value: Double, inclusive: Bool)?

  /// Creates a range.
  public init(lower: (value: Double, inclusive: Bool)?, upper: (value: Double, inclusive: Bool)?) {
    self.lower = lower
    self.upper = upper
  }

  /// `[a, b]`
  public static func closed(_ a: Double, _ b: Double) -> RealRange {
    .init(lower: (a, true), upper: (b, true))
  }
  /// `(a, b]`
  public static func openClosed(_ a: Double, _ b: Double) -> RealRange {
    .init(lower: (a, false), upper: (b, true))
  }
  /// `[a, b)`
  public static func closedOpen(_ a: Double, _ b: Double) -> RealRange {
    .init(lower: (a, true), upper: (b, false))
  }

  /// Whether `v` lies inside.
  public func contains(_ v: Double) -> Bool {
    guard v.isFinite else { return false }
    if let lower, lower.inclusive ? v < lower.value : v <= lower.value { return false }
    if let upper, upper.inclusive ? v > upper.value : v >= upper.value { return false }
    return true
  }

  public var description: String {
    switch (lower, upper) {
    case (let l?, let u?):
      return
        "\(l.inclusive ? "[" : "(")\(Formatting.number(l.value)), \(Formatting.number(u.value))\(u.inclusive ? "]" : ")")"
    case (let l?, nil): return "\(l.inclusive ? "≥" : ">") \(Formatting.number(l.value))"
    case (nil, let u?): return "\(u.inclusive ? "≤" : "<") \(Formatting.number(u.value))"
    case (nil, nil): return "any number"
    }
  }

  public static func == (a: RealRange, b: RealRange) -> Bool {
    a.lower?.value == b.lower?.value && a.lower?.inclusive == b.lower?.inclusive
      && a.upper?.value == b.upper?.value && a.upper?.inclusive == b.upper?.inclusive
  }
}

/// What a parameter accepts. Drives validation, help text and (later) completion.
public enum ParameterType: Sendable, Equatable {
  /// A whole number within the range.
  case integer(ClosedRange<Int>)
  /// A number within the range.
  case real(RealRange)
  /// A string literal.
  case string
  /// A string, or a list of strings.
  case strings
  /// `true` or `false` (a bare option name alone means `true`).
  case bool
  /// A duration (`30s`, `2m`, `1h`) within the range, in seconds.
  case duration(ClosedRange<Double>)
  /// One of a fixed set of words.
  case choice([String])
  /// The name of a corpus in the session.
  case corpus
  /// The name of a model in the session.
  case model
  /// The name of a model, a generator or a tagger (commands that dispatch on the kind: `sample`,
  /// `eval`, `plot`, `cells`).
  case anyModel
  /// The name of a model in the session, or a string: the path of a metrics log (`plot`).
  case modelOrLog
  /// The name of anything in the session.
  case object
  /// A command name (for `help`).
  case command
  /// Any value (for `print`).
  case any

  /// The type as help shows it, with its range: `integer in 1...4096`, `number in (0, 1]`.
  public var description: String {
    switch self {
    case .integer(let r):
      if r.upperBound == Int.max { return "integer ≥ \(r.lowerBound)" }
      return "integer in \(r.lowerBound)...\(r.upperBound)"
    case .real(let r): return "number \(r.lower != nil && r.upper != nil ? "in " : "")\(r)"
    case .string: return "string"
    case .strings: return "string or list of strings"
    case .bool: return "true/false"
    case .duration(let r): return "duration up to \(Formatting.duration(r.upperBound))"
    case .choice(let words): return words.joined(separator: "|")
    case .corpus: return "corpus name"
    case .model: return "model name"
    case .anyModel: return "model, generator or tagger name"
    case .modelOrLog: return "model name or log file"
    case .object: return "session name"
    case .command: return "command name"
    case .any: return "any value"
    }
  }

  /// The allowed values in words, for error messages: `between 1 and 4096`, `in (0, 1]`.
  var allowed: String {
    switch self {
    case .integer(let r):
      if r.upperBound == Int.max { return "a whole number ≥ \(r.lowerBound)" }
      return "a whole number between \(r.lowerBound) and \(r.upperBound)"
    case .real(let r):
      return r.lower != nil && r.upper != nil ? "a number in \(r)" : "a number \(r)"
    case .duration(let r):
      return
        "a duration between \(Formatting.duration(r.lowerBound)) and \(Formatting.duration(r.upperBound))"
    case .choice(let words): return "one of " + words.joined(separator: ", ")
    case .string: return "a string"
    case .strings: return "a string or a list of strings"
    case .bool: return "true or false"
    case .corpus: return "the name of a corpus"
    case .model: return "the name of a model"
    case .anyModel: return "the name of a model, a generator or a tagger"
    case .modelOrLog: return "the name of a model or the path of a metrics log"
    case .object: return "a name in the session"
    case .command: return "a command name"
    case .any: return "any value"
    }
  }
}
