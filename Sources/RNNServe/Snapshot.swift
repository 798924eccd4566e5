import RNNInterpreter
import RNNModels

/// What `GET /api/models` and `GET /api/corpora` answer, taken after every statement and kept
/// current during training (the step), so they answer at once even while the session is busy.
struct Snapshot: Sendable {
  /// A model of any kind: the language model, the classifier, the generator, the tagger and the
  /// seq2seq model share the fields up to `step`; the rest are nil where a kind has no such thing.
  struct Model: Codable, Sendable, Equatable {
    var name: String
    /// `language_model`, `classifier`, `generator`, `tagger` or `seq2seq`.
    var kind: String
    var cell: String
    var hidden: Int
    var layers: Int
    var embed: Int
    /// Input characters (tokens); a seq2seq model's source characters.
    var vocabulary: Int
    var dropout: Double
    var parameters: Int
    /// Training steps done (a classifier's: epochs).
    var step: Int
    /// The endpoints under `/api/models/NAME/` that take this kind, its own action first.
    var actions: [String]
    var corpus: String?
    var checkpoint: String?
    /// Training since it was built, loaded or saved (language models; nil where not tracked).
    var unsaved: Bool?
    var tokenizer: String?
    /// The TSV file a classifier, generator or seq2seq model was built from.
    var data: String?
    /// A classifier's or generator's labels.
    var labels: [String]?
    /// A tagger's tags (the background first) and where they come from (`property quotes`).
    var tags: [String]?
    var tagSource: String?
    /// A seq2seq model's attention and target characters.
    var attention: Bool?
    var targetVocabulary: Int?

    enum CodingKeys: String, CodingKey {
      case name, kind, cell, hidden, layers, embed, vocabulary, dropout, parameters, step, actions, corpus, checkpoint
      case unsaved, tokenizer, data, labels, tags, attention
      case tagSource = "tag_source"
      case targetVocabulary = "target_vocabulary"
    }
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
      switch session[name] {
      case .corpus(let e)?:
        corpora.append(
          Corpus(
            name: name, path: e.path, bytes: e.corpus.byteCount, tokens: e.corpus.tokens.count,
            vocabulary: e.corpus.vocabulary.count, documents: e.corpus.documentCount))
      case let object?:
        models.append(Self.model(name, object))
      case nil:
        break
      }
    }
  }

  init() {}

  /// The endpoints each kind takes (Route.model's actions), its own action first.
  static let actions: [String: [String]] = [
    "language_model": ["sample", "eval", "activations", "cells", "saturation", "gradients", "history", "train", "save", "drop"],
    "classifier": ["classify", "save", "drop"],
    "generator": ["sample", "eval", "save", "drop"],
    "tagger": ["tag", "eval", "cells", "save", "drop"],
    "seq2seq": ["translate", "eval", "save", "drop"],
  ]

  /// The facts of one model of any kind (not a corpus).
  static func model(_ name: String, _ object: SessionObject) -> Model {
    func base(_ kind: String, _ c: ModelConfig, parameters: Int, step: Int) -> Model {
      Model(
        name: name, kind: kind, cell: c.cell.rawValue, hidden: c.hidden, layers: c.layers, embed: c.embed,
        vocabulary: c.vocabSize, dropout: Double(c.dropout), parameters: parameters, step: step,
        actions: actions[kind] ?? [])
    }
    switch object {
    case .model(let m):
      var out = base("language_model", m.config, parameters: m.model.parameterCount, step: m.step)
      out.corpus = m.corpusName
      out.checkpoint = m.checkpointPath
      out.unsaved = m.hasUnsavedTraining
      out.tokenizer = m.tokenizer.map { _ in "subword" }
      return out
    case .classifier(let e):
      var out = base(
        "classifier", e.classifier.body.config, parameters: e.classifier.parameterCount, step: e.trainer.epochsDone)
      out.data = e.path
      out.labels = e.classifier.labels
      return out
    case .generator(let e):
      var out = base("generator", e.generator.body.config, parameters: e.generator.parameterCount, step: e.trainer.step)
      out.data = e.path
      out.labels = e.generator.labels
      return out
    case .tagger(let e):
      var out = base("tagger", e.tagger.body.config, parameters: e.tagger.parameterCount, step: e.trainer.step)
      out.corpus = e.corpusPath
      out.tags = e.tagger.tags
      out.tagSource = e.tagSourceDescription
      return out
    case .seq2seq(let e):
      var out = base("seq2seq", e.model.encoder.config, parameters: e.model.parameterCount, step: e.trainer.steps)
      out.data = e.path
      out.attention = e.model.usesAttention
      out.targetVocabulary = e.model.targetVocabulary.count
      return out
    case .corpus:
      preconditionFailure("a corpus is not a model")
    }
  }
}
