import Foundation
import RNNInterpreter
import RNNLanguage

/// An API failure: an HTTP status, the message (the interpreter's own wording when a statement
/// failed), the request field it is about, and the statement that ran, if any.
struct APIError: Error, Sendable, Equatable {
  /// The statuses the API answers with.
  enum Status: Int, Sendable {
    case badRequest = 400
    case unauthorized = 401
    case forbidden = 403
    case notFound = 404
    case methodNotAllowed = 405
    case busy = 409
    case tooLarge = 413
    case failed = 422
  }

  var status: Status
  var message: String
  var field: String?
  var statement: String?

  init(_ status: Status, _ message: String, field: String? = nil, statement: String? = nil) {
    self.status = status
    self.message = message
    self.field = field
    self.statement = statement
  }

  static func wrongType(_ field: String, _ wanted: String, _ got: JSONValue) -> APIError {
    APIError(.badRequest, "'\(field)' must be \(wanted), not \(got.typeName)", field: field)
  }

  static func busy(_ running: String) -> APIError {
    APIError(.busy, "the session is busy running '\(running)'; try again when it ends (or stop it: POST /api/train/stop)")
  }

  /// The error of a statement the API built: the field whose text the error points at, 404 for an
  /// unknown name, 400 for a value the command refused (the field named), 422 for a command that
  /// ran and failed for another reason.
  init(_ diagnostic: Diagnostic, kind: InterpreterError.Kind, statement: StatementText) {
    var message = diagnostic.message
    if let suggestion = diagnostic.suggestion { message += " (did you mean '\(suggestion)'?)" }
    for note in diagnostic.notes { message += "; " + note.message }
    let field = statement.field(at: diagnostic.range)
    let status: Status
    if diagnostic.message.hasPrefix("unknown model") || diagnostic.message.hasPrefix("unknown corpus")
      || diagnostic.message.hasPrefix("unknown name")
    {
      status = .notFound
    } else if kind == .interrupted {
      status = .busy
    } else if kind == .runtime && (field == nil || field == "name") {
      status = .failed
    } else {
      status = .badRequest  // the command refused a value the request gave
    }
    self.init(status, message, field: field, statement: statement.text)
  }

  /// The JSON body: `{"error": …, "status": …, "field": …, "statement": …}`.
  var body: Data {
    var object: [String: Any] = ["error": message, "status": status.rawValue]
    if let field { object["field"] = field }
    if let statement { object["statement"] = statement }
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
  }
}
