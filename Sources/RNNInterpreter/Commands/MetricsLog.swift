import Foundation

/// What `train … log "runs/m.jsonl"` asks for.
struct MetricsLogPlan {
  enum Format: String { case jsonl, csv }

  /// The file as the user wrote it.
  var path: String
  var format: Format
  /// A training line every this many steps (of the model's step count).
  var every: Int

  /// Nil without `log`; `log_format` and `log_every` without it are an error.
  init?(_ arguments: Arguments<TrainParameters>) throws(InterpreterError) {
    guard let path = arguments[\.log] else {
      for key in [\TrainParameters.logFormat, \.logEvery] where arguments.has(key) {
        throw arguments.error("'\(arguments.name(of: key))' needs a log file: log \"runs/m.jsonl\"", at: key, kind: .invalid)
      }
      return nil
    }
    self.path = path
    let byExtension: Format = path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    format = arguments[\.logFormat].flatMap(Format.init(rawValue:)) ?? byExtension
    let every = arguments[\.every]
    self.every = arguments[\.logEvery] ?? (every > 0 ? every : 10)
  }
}

/// The metrics log of one `train` call: appends one record per logged training step and per
/// validation evaluation, as JSON Lines or CSV (with a header when the file is new).
///
/// JSONL records (one object per line, in this key order):
/// - `{"kind":"train","step":N,"loss":nats,"bits_per_char":x,"lr":x,"grad_norm":x,"chars_per_s":x,"wall_s":x,"model":"m"}`:
///   `loss` the mean training loss of the steps since the previous training line (nats per
///   character, or per token for a word or BPE model), `bits_per_char` the same per character in
///   bits, `lr` and `grad_norm` (the global gradient norm before clipping) those of step N itself,
///   `chars_per_s` the characters trained per second since the previous line, `wall_s` the seconds
///   since this `train` call started;
/// - `{"kind":"validation","step":N,"loss":nats,"bits_per_char":x,"wall_s":x,"model":"m"}`: a whole
///   validation split (`eval_every`).
///
/// CSV: the header `kind,step,loss,bits_per_char,lr,grad_norm,chars_per_s,wall_s,model`; a
/// validation row leaves `lr`, `grad_norm` and `chars_per_s` empty. A non-finite number is `null`
/// in JSON and empty in CSV.
final class MetricsLog {
  static let columns = ["kind", "step", "loss", "bits_per_char", "lr", "grad_norm", "chars_per_s", "wall_s", "model"]

  let plan: MetricsLogPlan
  private let model: String
  private let fileSystem: any FileSystem
  /// Training tokens per character (1 for a model of characters).
  private let tokensPerCharacter: Double
  private let start = Date()
  private var lossSum = 0.0
  private var lossCount = 0
  private var lastTime = 0.0
  private var lastDone = 0
  /// The first failed write (later records are dropped; training goes on).
  private(set) var failure: FileSystemError?

  /// Checks that the file can be appended to (creating its folder), and writes the CSV header
  /// to a new or empty file; an existing CSV file must have the same header.
  init(plan: MetricsLogPlan, model: String, fileSystem: any FileSystem, tokensPerCharacter: Double) throws(FileSystemError) {
    self.plan = plan
    self.model = model
    self.fileSystem = fileSystem
    self.tokensPerCharacter = tokensPerCharacter
    let directory = (plan.path as NSString).deletingLastPathComponent
    if !directory.isEmpty { try fileSystem.createDirectory(directory) }
    let existing = fileSystem.exists(plan.path) ? try fileSystem.readBytes(plan.path) : []
    if plan.format == .csv {
      let header = Self.columns.joined(separator: ",")
      if existing.isEmpty {
        try fileSystem.append(Array((header + "\n").utf8), to: plan.path)
        return
      }
      let first = String(decoding: existing.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
      guard first == header else {
        throw FileSystemError(path: plan.path, reason: "is a CSV file with another header (\(first.prefix(60))); give another log file")
      }
    }
    try fileSystem.append([], to: plan.path)
  }

  /// After every training step (`done` steps into this run, `characters` tokens per step).
  func step(_ step: Int, loss: Float, learningRate: Float, gradientNorm: Float, done: Int, tokensPerStep: Int) {
    lossSum += Double(loss)
    lossCount += 1
    guard step % plan.every == 0 else { return }
    let wall = Date().timeIntervalSince(start)
    let characters = Double((done - lastDone) * tokensPerStep) / tokensPerCharacter
    let rate = wall > lastTime ? characters / (wall - lastTime) : 0
    let mean = lossSum / Double(lossCount)
    (lossSum, lossCount, lastTime, lastDone) = (0, 0, wall, done)
    write([
      ("kind", .text("train")), ("step", .int(step)), ("loss", .real(mean)),
      ("bits_per_char", .real(mean * tokensPerCharacter / log(2))), ("lr", .float(learningRate)),
      ("grad_norm", .float(gradientNorm)), ("chars_per_s", .real(rate)), ("wall_s", .real(wall)),
      ("model", .text(model)),
    ])
  }

  /// After a whole-split validation of `step`.
  func validation(_ step: Int, loss: Double, bitsPerCharacter: Double) {
    write([
      ("kind", .text("validation")), ("step", .int(step)), ("loss", .real(loss)),
      ("bits_per_char", .real(bitsPerCharacter)), ("wall_s", .real(Date().timeIntervalSince(start))),
      ("model", .text(model)),
    ])
  }

  enum Field {
    case text(String)
    case int(Int)
    case real(Double)
    /// Written in the shortest form that reads back as the same `Float` (`0.002`, not `0.0020000000949949026`).
    case float(Float)
  }

  private func write(_ fields: [(String, Field)]) {
    guard failure == nil else { return }
    let line = plan.format == .csv ? Self.csv(fields) : Self.json(fields)
    do { try fileSystem.append(Array((line + "\n").utf8), to: plan.path) } catch { failure = error }
  }

  /// One JSON object, keys in the given order.
  static func json(_ fields: [(String, Field)]) -> String {
    let members = fields.map { key, value -> String in
      let text: String
      switch value {
      case .text(let s): text = jsonString(s)
      case .int(let n): text = String(n)
      case .real(let x): text = x.isFinite ? "\(x)" : "null"
      case .float(let x): text = x.isFinite ? "\(x)" : "null"
      }
      return "\"\(key)\":\(text)"
    }
    return "{" + members.joined(separator: ",") + "}"
  }

  /// One CSV row in `columns` order (missing fields empty; text quoted when it needs it).
  static func csv(_ fields: [(String, Field)]) -> String {
    let byKey = Dictionary(fields, uniquingKeysWith: { a, _ in a })
    return columns.map { key -> String in
      switch byKey[key] {
      case .text(let s)?:
        return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
          ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
      case .int(let n)?: return String(n)
      case .real(let x)?: return x.isFinite ? "\(x)" : ""
      case .float(let x)?: return x.isFinite ? "\(x)" : ""
      case nil: return ""
      }
    }.joined(separator: ",")
  }

  /// A JSON string literal.
  private static func jsonString(_ s: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed, .withoutEscapingSlashes])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }
}
