import RNNInterpreter
import RNNModels

/// What `GET /api/models` and `GET /api/corpora` answer, taken after every statement and kept
/// current during training (the step), so they answer at once even while the session is busy.
struct Snapshot: Sendable {
  struct Model: Codable, Sendable, Equatable {
    var name: String
    var cell: String
    var hidden: Int
    var layers: Int
    var embed: Int
    var vocabulary: Int
    var dropout: Double
    var parameters: Int
    var step: Int
    var corpus: String?
    var checkpoint: String?
    var unsaved: Bool
    var tokenizer: String?
  }

  struct Corpus: Codable, Sendable, Equatable {
    var name: String
    var path: String
    var bytes: Int
    var tokens: Int
    var vocabulary: Int
    var documents: Int
  }

  var models: [Model] = []
  var corpora: [Corpus] = []

  /// Reads `session` (on the thread holding it).
  init(session: Session) {
    for name in session.names {
      if let m = session.model(name) {
        let c = m.config
        models.append(
          Model(
            name: name, cell: c.cell.rawValue, hidden: c.hidden, layers: c.layers, embed: c.embed,
            vocabulary: c.vocabSize, dropout: Double(c.dropout), parameters: m.model.parameterCount, step: m.step,
            corpus: m.corpusName, checkpoint: m.checkpointPath, unsaved: m.hasUnsavedTraining,
            tokenizer: m.tokenizer.map { _ in "subword" }))
      } else if let e = session.corpus(name) {
        corpora.append(
          Corpus(
            name: name, path: e.path, bytes: e.corpus.byteCount, tokens: e.corpus.tokens.count,
            vocabulary: e.corpus.vocabulary.count, documents: e.corpus.documentCount))
      }
    }
  }

  init() {}
}
