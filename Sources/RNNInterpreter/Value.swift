/// A runtime value: an argument after loop variables have been substituted.
public enum Value: Sendable, Equatable, CustomStringConvertible {
  /// A number; `isInteger` when written without a fraction or exponent.
  case number(Double, isInteger: Bool)
  /// A string (escapes decoded).
  case string(String)
  /// `true` / `false`.
  case bool(Bool)
  /// A duration in seconds (`2m` is 120).
  case duration(Double)
  /// A bare name that is not a loop variable: a session object, or a word such as `test`.
  case name(String)
  /// `[a, b, …]`.
  case list([Value])

  /// How the value reads in messages and listings (`0.5`, `"ROMEO:"`, `[1, 2]`, `2m`).
  public var description: String {
    switch self {
    case .number(let v, let isInteger):
      return isInteger && abs(v) < 1e15 ? String(Int(v)) : Formatting.number(v)
    case .string(let s): return s.debugDescription
    case .bool(let b): return b ? "true" : "false"
    case .duration(let s): return Formatting.duration(s)
    case .name(let n): return n
    case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    }
  }

  /// What kind of value this is, for "expected a number, got a string" messages.
  public var kindName: String {
    switch self {
    case .number: "a number"
    case .string: "a string"
    case .bool: "true or false"
    case .duration: "a duration"
    case .name(let n): "the name '\(n)'"
    case .list: "a list"
    }
  }

  /// The text `print` shows: strings without quotes, everything else as `description`.
  public var printed: String {
    if case .string(let s) = self { return s }
    return description
  }
}
