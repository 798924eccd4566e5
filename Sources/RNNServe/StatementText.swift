import RNNLanguage

/// A statement of the command language built from a request, remembering which bytes came from
/// which request field, so that an interpreter error pointing into the statement names the field.
/// Names become words only when they are plain identifiers; every other text becomes a quoted
/// string literal (escaped), so a request can never add a statement of its own.
struct StatementText: Sendable {
  private(set) var text: String
  private var fields: [(name: String, range: Range<Int>)] = []

  /// Starts `[target =] command`.
  init(_ command: String, target: String? = nil) {
    text = target.map { "\($0) = " } ?? ""
    text += command
  }

  /// Whether `name` is a plain identifier (what a model, corpus or option name must be).
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, name.utf8.count <= 64,
      first == "_" || (first.isASCII && first.properties.isAlphabetic)
    else { return false }
    return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
  }

  /// A quoted string literal of `s` (`\n \t \r \0 \" \\ \u{…}` escaped).
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// A number as the language writes it: whole numbers without a fraction.
  static func number(_ n: Double) -> String {
    if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
    return String(n)
  }

  /// Appends ` word`, attributed to `field`.
  mutating func append(_ word: String, field: String?) {
    text += " "
    let start = text.utf8.count
    text += word
    if let field { fields.append((field, start..<text.utf8.count)) }
  }

  /// Appends ` key value` for a JSON value (a number, a boolean, an identifier-like string as a
  /// word when `bareWords`, else a quoted string), attributed to `field`.
  mutating func option(_ key: String, _ value: JSONValue, field: String, bareWords: Bool = false) throws(APIError) {
    let literal: String
    switch value {
    case .number(let n): literal = Self.number(n)
    case .bool(let b): literal = b ? "true" : "false"
    case .string(let s): literal = bareWords && Self.isIdentifier(s) ? s : Self.quoted(s)
    case .null: return
    case .array, .object: throw APIError.wrongType(field, "a number, a string or a boolean", value)
    }
    append(key, field: field)
    append(literal, field: field)
  }

  /// The field whose text `range` starts in, if any.
  func field(at range: SourceRange) -> String? {
    fields.last { $0.range.contains(range.start) || ($0.range.isEmpty && $0.range.lowerBound == range.start) }?.name
  }
}
