import Foundation
import RNNModels

extension CommandTable {
  /// `show NAME`
  static let show = CommandSpec(
    "show",
    summary: "Describe a model (configuration, parameters, training so far) or a corpus.",
    help: """
      For a model: its configuration, parameter count, corpus, steps trained, the latest training and \
      validation losses, and the options its next `train` will reuse. For a corpus: its size, \
      vocabulary and splits.
      """,
    parameters: ShowParameters.self,
    examples: ["show m"],
    action: { interpreter, arguments throws(InterpreterError) in
      interpreter.show(arguments[\.name])
      return nil
    })
}

/// The parameters of `show`.
struct ShowParameters: CommandParameters {
  let name = ParameterKey<String>.positional("NAME", .object, "The model or corpus.")
}

extension Interpreter {
  func show(_ name: String) {
    switch session[name]! {
    case .corpus(let c):
      say("\(name): \(Self.describe(c))")
      let shown = c.corpus.vocabulary.scalars.prefix(100).map { Vocabulary.display($0) }.joined(
        separator: " ")
      say("  \(c.corpus.tokenization == nil ? "vocabulary " : "characters ") \(shown)\(c.corpus.vocabulary.count > 100 ? " …" : "")")
      if let t = c.corpus.tokenization {
        let perToken = Double(c.corpus.characterCount) / Double(max(1, c.corpus.tokens.count))
        say(
          "  tokens      \(t.tokenizer.kind.rawValue), vocabulary \(Formatting.count(t.tokenizer.vocabularySize)), "
            + "\(Formatting.fixed(perToken, 2)) characters per token; learned on the training split")
      }
      if c.corpus.documentCount > 1 {
        let d = c.corpus.splits.documents
        say(
          "  documents   \(Formatting.count(c.corpus.documentCount)), split "
            + (d.map { "by documents: train \($0.train) / validation \($0.validation) / test \($0.test)" }
              ?? "by characters (\(CorpusSplits.minimumDocuments) documents or more are split by documents)"))
      }
    case .generator, .tagger:
      showForm(name, session[name]!)
    case .classifier(let c):
      say("\(name): \(Self.describe(c))")
      say("  data        \(c.path.debugDescription)")
      if let r = c.trainer.history.last {
        say(
          "  last epoch  loss \(Formatting.fixed(r.loss, 4)), train accuracy \(Formatting.fixed(r.trainAccuracy * 100, 1))%"
            + (r.holdoutAccuracy.map { ", held-out accuracy \(Formatting.fixed($0 * 100, 1))%" } ?? ""))
      }
    case .model(let m):
      let state = m.trainer.state
      say("\(name): \(Self.describe(m))")
      let c = m.config
      say(
        "  layers      embedding \(c.vocabSize)×\(c.embed) → \(c.layers) × \(c.cell.displayName)(\(c.hidden)) → linear \(c.hidden)×\(c.vocabSize)"
      )
      if let corpus = m.corpus {
        say("  corpus      \(m.corpusName ?? corpus.path) (\(corpus.path.debugDescription))")
      } else {
        say("  corpus      none (loaded without its corpus)")
      }
      say(
        "  trained     \(state.step) steps, epoch \(state.epoch)\(m.hasUnsavedTraining ? ", unsaved" : "")\(m.checkpointPath.map { ", checkpoint \($0.debugDescription)" } ?? "")"
      )
      if !state.trainLosses.isEmpty {
        let recent = state.trainLosses.suffix(10)
        let mean = Double(recent.reduce(0, +)) / Double(recent.count)
        say("  train loss  \(Formatting.loss(mean, perToken: m.tokenizer != nil)), mean of the last \(recent.count) steps")
        let last = state.trainLosses.suffix(5).map { Formatting.fixed($0, 4) }.joined(
          separator: " ")
        say("  last losses \(last)")
      }
      if let v = state.validationLosses.last {
        let part = v.characters.map { " (first \(Formatting.count($0)) characters)" } ?? ""
        say("  validation  \(Formatting.loss(Double(v.loss), perToken: m.tokenizer != nil)) at step \(v.step)\(part)")
      }
      if let stopping = state.earlyStopping, stopping.best.isFinite {
        say(
          "  best        \(Formatting.loss(stopping.best, perToken: m.tokenizer != nil)) at step \(stopping.bestStep), "
            + "\(stopping.sinceBest) evaluation\(stopping.sinceBest == 1 ? "" : "s") since\(stopping.stopped ? " (stopped early)" : "")")
      }
      if let o = m.lastOptions {
        say("  options     \(Self.describe(o))")
        if case .plateau = o.schedule, let plateau = state.plateau {
          let bad = plateau.badEvaluations
          say(
            "  plateau     lr now \(Formatting.number(Double(state.learningRate(o)))), "
              + "\(bad) evaluation\(bad == 1 ? "" : "s") without improvement")
        }
      }
    }
  }

  /// `adam lr 0.002, batch 32, seq 64, clip 5, constant schedule`
  static func describe(_ o: TrainingOptions) -> String {
    var parts = ["\(o.optimizer.kind.rawValue) lr \(Formatting.number(Double(o.learningRate)))"]
    if o.optimizer.kind == .sgd && o.optimizer.momentum > 0 {
      parts[0] +=
        " momentum \(Formatting.number(Double(o.optimizer.momentum)))\(o.optimizer.nesterov ? " nesterov" : "")"
    }
    parts.append("batch \(o.batch)")
    parts.append("seq \(o.seq)")
    switch o.clipping {
    case .none: parts.append("no clipping")
    case .norm(let c): parts.append("clip \(Formatting.number(Double(c)))")
    case .value(let c): parts.append("clip_value \(Formatting.number(Double(c)))")
    }
    switch o.schedule {
    case .constant: break
    case .step(let every, let gamma):
      parts.append("schedule step decay \(Formatting.number(Double(gamma))) every \(every)")
    case .exponential(let gamma):
      parts.append("schedule exponential decay \(Formatting.number(Double(gamma)))")
    case .cosine(let warmup, let total, let floor):
      parts.append(
        "schedule cosine warmup \(warmup) to step \(total) floor \(Formatting.number(Double(floor)))"
      )
    case .plateau(let gamma, let patience, let cooldown, let floor):
      parts.append(
        "schedule plateau decay \(Formatting.number(Double(gamma))) plateau_patience \(patience)"
          + (cooldown > 0 ? " cooldown \(cooldown)" : "") + " lr_floor \(Formatting.number(Double(floor)))")
    }
    return parts.joined(separator: ", ")
  }
}
