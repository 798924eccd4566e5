/// A parsed JSON value, as produced by ``JSONParser``.
///
/// Only what a safetensors header needs: objects keep their members in file order (duplicate keys
/// are rejected by the parser, so a member list is also a map), and numbers keep their source text
/// so that a value outside `UInt64` or with a fraction/exponent is reported rather than rounded.
enum JSONValue: Sendable, Equatable {
  case object([JSONMember])
  case array([JSONValue])
  case string(String)
  case number(JSONNumber)
  case bool(Bool)
  case null

  /// A short noun for error messages: "an object", "a string", ….
  var kindDescription: String {
    switch self {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number(let n): "the number \(n.text.count > 40 ? String(n.text.prefix(40)) + "…" : n.text)"
    case .bool(let b): "the boolean \(b)"
    case .null: "null"
    }
  }
}

/// One `"key": value` pair of a JSON object; `offset` is the byte offset of the key in the header.
struct JSONMember: Sendable, Equatable {
  var key: String
  var value: JSONValue
  var offset: Int
}

/// A JSON number kept as written.
///
/// `unsignedValue` is set only for a plain digit string (no sign, fraction or exponent) whose value
/// fits in `UInt64`; `isPlainInteger` is true for every plain digit string, even one that overflows.
struct JSONNumber: Sendable, Equatable {
  var text: String
  var isPlainInteger: Bool
  var unsignedValue: UInt64?
}
