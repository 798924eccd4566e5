import Foundation

/// One positional of `plot`: a model of the session (a name) or a metrics log (a string).
enum PlotSource: ParameterValue, Equatable {
  case model(String)
  case log(String)

  init?(argument: Value) {
    switch argument {
    case .name(let name): self = .model(name)
    case .string(let path): self = .log(path)
    default: return nil
    }
  }

  /// The model's name, or the log's path.
  var name: String {
    switch self {
    case .model(let name), .log(let name): name
    }
  }
}

/// ln 2: bits per character times this is nats per character.
let log2Nats = Foundation.log(2.0)

/// The curves of a metrics log (`train … log`, `MetricsLog`'s JSONL or CSV): per model in the
/// file, the training and validation bits per character against the step (or, with `minutes`, the
/// wall-clock minutes since the run started, from `wall_s`), in file order.
struct MetricsLogCurves {
  /// One logged point: its step, its x (the step, or minutes) and its bits per character.
  struct Point {
    var step: Double
    var x: Double
    var y: Double
  }

  struct Curves {
    var model: String
    var train: [Point] = []
    var validation: [Point] = []
  }

  /// In order of first appearance.
  var models: [Curves] = []
  /// Whether x is wall-clock minutes (`wall_s` / 60) rather than the step.
  let minutes: Bool

  /// Parses a whole log; a line that is not a record of the schema is an error naming its number.
  init(text: String, csv: Bool, minutes: Bool = false) throws(MetricsLogError) {
    self.minutes = minutes
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var columns: [String]?
    for (index, line) in lines.enumerated() {
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      let record: [String: Any]
      if csv {
        guard let header = columns else {
          columns = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
          guard columns!.contains("kind"), columns!.contains("step"), columns!.contains("bits_per_char") else {
            throw MetricsLogError(line: index + 1, reason: "the CSV header must name kind, step and bits_per_char")
          }
          continue
        }
        record = Dictionary(uniqueKeysWithValues: zip(header, Self.csvFields(line)).map { ($0, $1 as Any) })
      } else {
        guard let data = line.data(using: .utf8),
          let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { throw MetricsLogError(line: index + 1, reason: "not a JSON object") }
        record = object
      }
      try add(record, line: index + 1)
    }
  }

  private mutating func add(_ record: [String: Any], line: Int) throws(MetricsLogError) {
    guard let kind = record["kind"] as? String, kind == "train" || kind == "validation" else {
      throw MetricsLogError(line: line, reason: "'kind' must be \"train\" or \"validation\"")
    }
    guard let step = Self.number(record["step"]), let bits = Self.number(record["bits_per_char"]) else {
      throw MetricsLogError(line: line, reason: "'step' and 'bits_per_char' must be numbers")
    }
    var x = step
    if minutes {
      guard let wall = Self.number(record["wall_s"]) else {
        throw MetricsLogError(line: line, reason: "'wall_s' must be a number to plot against minutes")
      }
      x = wall / 60
    }
    let model = record["model"] as? String ?? ""
    if !models.contains(where: { $0.model == model }) { models.append(Curves(model: model)) }
    let i = models.firstIndex { $0.model == model }!
    let point = Point(step: step, x: x, y: bits)
    if kind == "train" { models[i].train.append(point) } else { models[i].validation.append(point) }
  }

  /// A JSON number, or a CSV field that reads as one.
  private static func number(_ value: Any?) -> Double? {
    if let n = value as? NSNumber { return n.doubleValue }
    if let s = value as? String { return Double(s) }
    return nil
  }

  /// The fields of one CSV row (double quotes around a field that holds commas or quotes).
  static func csvFields(_ line: String) -> [String] {
    var fields: [String] = [], field = "", quoted = false
    var characters = line.makeIterator()
    while let c = characters.next() {
      if quoted {
        if c == "\"" { quoted = false } else { field.append(c) }
      } else if c == "\"" {
        if !field.isEmpty && field.last != "\"" { field.append(c) }
        quoted = true
      } else if c == "," {
        fields.append(field)
        field = ""
      } else {
        field.append(c)
      }
    }
    fields.append(field)
    return fields
  }

  /// The chart's series, y = bits per character × `scale`.
  func series(scale: Double) -> [LineChart.Series] {
    models.flatMap { m -> [LineChart.Series] in
      let label = m.model.isEmpty ? "log" : m.model
      var series: [LineChart.Series] = []
      if !m.train.isEmpty {
        series.append(.init(label: "\(label) train (log)", points: m.train.map { ($0.x, $0.y * scale) }))
      }
      if !m.validation.isEmpty {
        series.append(.init(label: "\(label) validation (log)", points: m.validation.map { ($0.x, $0.y * scale) }))
      }
      return series
    }
  }

  /// `runs/m.jsonl m: 40 logged steps to step 400, train 4.1234 → 2.0123, validation 2.1111 at step 400 bits/char`
  func summaries(path: String, scale: Double, unit: String) -> [String] {
    models.map { m in
      var line = "\(path) \(m.model.isEmpty ? "log" : m.model): \(m.train.count) logged step\(m.train.count == 1 ? "" : "s")"
      if let first = m.train.first, let last = m.train.last {
        line += " to step \(Int(last.step)), train \(Formatting.fixed(first.y * scale, 4)) → \(Formatting.fixed(last.y * scale, 4))"
      }
      if let v = m.validation.last {
        line += ", validation \(Formatting.fixed(v.y * scale, 4)) at step \(Int(v.step))"
        if minutes { line += " (\(Formatting.fixed(v.x, 1)) min)" }
      }
      return line + " " + unit
    }
  }
}

/// A metrics log line that is not a record of the schema.
struct MetricsLogError: Error, CustomStringConvertible {
  var line: Int
  var reason: String
  var description: String { "line \(line): \(reason)" }
}

extension Interpreter {
  /// The curves of the metrics log at `path` (CSV by its `.csv` extension, else JSON Lines),
  /// against wall-clock minutes when `minutes`.
  func readMetricsLog(
    _ path: String, minutes: Bool, _ arguments: Arguments<PlotParameters>
  ) throws(InterpreterError) -> MetricsLogCurves {
    let bytes: [UInt8]
    do { bytes = try fileSystem.readBytes(path) } catch { throw arguments.error("cannot read the metrics log \(error)", at: \.models) }
    let text = String(decoding: bytes, as: UTF8.self)
    let csv = path.lowercased().hasSuffix(".csv")
    do {
      let curves = try MetricsLogCurves(text: text, csv: csv, minutes: minutes)
      guard !curves.models.isEmpty else { throw MetricsLogError(line: 1, reason: "the log has no records") }
      return curves
    } catch {
      throw arguments.error("\(path) is not a metrics log of `train … log`: \(error)", at: \.models, kind: .invalid)
    }
  }
}
