import RNNLanguage
import RNNModels

/// Everything the user has made: named corpora and models (in the order they were bound) and the
/// defaults set with `set`. Owned by one ``Interpreter``; not `Sendable`.
public final class Session {
  /// Names in binding order.
  public private(set) var names: [String] = []
  private var objects: [String: SessionObject] = [:]
  /// Defaults set with `set`, by option name.
  public internal(set) var defaults: [String: Value] = [:]
  /// Samples drawn without an explicit or default seed; gives each a different, reproducible seed.
  var samplesDrawn: UInt64 = 0

  /// Creates an empty session.
  public init() {}

  /// The object bound to `name`.
  public subscript(name: String) -> SessionObject? { objects[name] }

  /// The model bound to `name`.
  public func model(_ name: String) -> ModelEntry? {
    if case .model(let m)? = objects[name] { return m }
    return nil
  }

  /// The corpus bound to `name`.
  public func corpus(_ name: String) -> CorpusEntry? {
    if case .corpus(let c)? = objects[name] { return c }
    return nil
  }

  /// Names of the models, in binding order.
  public var modelNames: [String] { names.filter { model($0) != nil } }

  /// Whether any model has training that was never saved (the REPL warns before exiting).
  public var hasUnsavedTraining: Bool { modelNames.contains { model($0)!.hasUnsavedTraining } }

  /// Binds `object` to `name`, replacing what was there.
  public func bind(_ name: String, to object: SessionObject) {
    if objects[name] == nil { names.append(name) }
    objects[name] = object
  }

  /// Removes `name`; returns what it was bound to.
  @discardableResult
  public func remove(_ name: String) -> SessionObject? {
    names.removeAll { $0 == name }
    return objects.removeValue(forKey: name)
  }

  /// Checks that `name` exists and has the kind a parameter wants, with "did you mean".
  func check(_ name: String, is type: ParameterType, at range: SourceRange) throws(InterpreterError) {
    let wanted: String?
    switch type {
    case .corpus: wanted = "corpus"
    case .model, .anyModel, .modelOrLog: wanted = "model"
    default: wanted = nil
    }
    let accepted: Set<String> =
      type == .anyModel || type == .modelOrLog ? ["model", "generator", "tagger"] : Set([wanted].compactMap { $0 })
    guard let object = objects[name] else {
      let candidates = names.filter { wanted == nil || accepted.contains(objects[$0]!.kindName) }
      let what = wanted ?? "name"
      let known =
        candidates.isEmpty
        ? "the session has no \(what == "corpus" ? "corpora" : what + "s") yet" : nil
      throw InterpreterError(
        "unknown \(what) '\(name)'", at: range,
        suggestion: Suggestions.didYouMean(name, among: candidates),
        notes: known.map { [$0] } ?? [])
    }
    if let wanted, !accepted.contains(object.kindName) {
      throw InterpreterError("'\(name)' is a \(object.kindName), not a \(wanted)", at: range)
    }
  }

  /// A description of everything observable in the session (names, kinds, parameter checksums,
  /// training positions, defaults): equal before and after a statement exactly when it changed
  /// nothing. Used by tests.
  public var fingerprint: String {
    var lines: [String] = []
    for name in names {
      switch objects[name]! {
      case .corpus(let c):
        lines.append(
          "\(name) corpus \(c.path) \(c.corpus.fingerprint) \(c.fractions.train) \(c.fractions.validation)"
        )
      case .model(let m):
        var sum = 0.0
        for i in 0..<m.model.parameterCount {
          sum += Double(m.model.parameters.pointer[i]) * Double(i % 7 + 1)
        }
        let state = m.trainer.state
        lines.append(
          "\(name) model \(m.config) \(sum) step \(state.step) cursor \(state.cursor) losses \(state.trainLosses.count) "
            + "val \(state.validationLosses.count) unsaved \(m.hasUnsavedTraining) options \(String(describing: m.lastOptions)) "
            + "corpus \(m.corpusName ?? "-")")
      case .classifier(let c):
        var sum = 0.0
        for i in 0..<c.classifier.bodyCount { sum += Double(c.classifier.body.parameters.pointer[i]) * Double(i % 7 + 1) }
        lines.append("\(name) classifier \(c.path) \(sum) epochs \(c.trainer.epochsDone)")
      case .generator(let g):
        let p = g.generator.body.parameters
        let sum = (0..<p.count).reduce(0.0) { $0 + Double(p.pointer[$1]) * Double($1 % 7 + 1) }
        lines.append("\(name) generator \(g.path) \(sum) steps \(g.trainer.step)")
      case .tagger(let t):
        let p = t.tagger.body.parameters
        let sum = (0..<p.count).reduce(0.0) { $0 + Double(p.pointer[$1]) * Double($1 % 7 + 1) }
        lines.append("\(name) tagger \(t.corpusPath) \(sum) steps \(t.trainer.step)")
      }
    }
    for key in defaults.keys.sorted() { lines.append("default \(key) \(defaults[key]!)") }
    lines.append("samples \(samplesDrawn)")
    return lines.joined(separator: "\n")
  }
}
