import Foundation

/// A JSON value as a request body holds it. Decoding keeps booleans, numbers and strings apart, so
/// `"length": "200"` and `"length": true` are reported as the wrong type instead of guessed at.
enum JSONValue: Decodable, Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  /// The name of its type, for messages ("a string").
  var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// A request's JSON object, read field by field: each accessor names the field in its error, and
/// ``finish()`` rejects fields nobody asked for.
struct JSONBody {
  private let fields: [String: JSONValue]
  private var used: Set<String> = []

  /// Parses `data` (empty means `{}`); the body must be one JSON object.
  init(_ data: Data) throws(APIError) {
    if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      fields = [:]
      return
    }
    let value: JSONValue
    do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
      throw APIError(.badRequest, "the body is not valid JSON")
    }
    guard case .object(let object) = value else {
      throw APIError(.badRequest, "the body must be a JSON object, not \(value.typeName)")
    }
    fields = object
  }

  /// The raw value of `name`, or nil when absent or null.
  mutating func value(_ name: String) -> JSONValue? {
    used.insert(name)
    if let v = fields[name], v != .null { return v }
    return nil
  }

  /// A string field.
  mutating func string(_ name: String) throws(APIError) -> String? {
    guard let v = value(name) else { return nil }
    guard case .string(let s) = v else { throw APIError.wrongType(name, "a string", v) }
    return s
  }

  /// A number field.
  mutating func number(_ name: String) throws(APIError) -> Double? {
    guard let v = value(name) else { return nil }
    guard case .number(let n) = v else { throw APIError.wrongType(name, "a number", v) }
    return n
  }

  /// A boolean field.
  mutating func bool(_ name: String) throws(APIError) -> Bool? {
    guard let v = value(name) else { return nil }
    guard case .bool(let b) = v else { throw APIError.wrongType(name, "true or false", v) }
    return b
  }

  /// The fields not read yet, in name order.
  var unread: [(String, JSONValue)] {
    fields.keys.sorted().filter { !used.contains($0) }.compactMap { k in fields[k].map { (k, $0) } }
  }

  /// Throws for the first field nobody read (a typo such as `lenght`).
  func finish(known: [String]) throws(APIError) {
    if let (name, _) = unread.first {
      throw APIError(
        .badRequest, "unknown field '\(name)'; this request takes \(known.map { "'\($0)'" }.joined(separator: ", "))",
        field: name)
    }
  }
}
