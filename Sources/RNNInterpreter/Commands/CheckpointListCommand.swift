import Foundation
import RNNModels

extension CommandTable {
  /// `checkpoints [DIR]`
  static let checkpoints = CommandSpec(
    "checkpoints",
    summary: "List the checkpoints in a folder with their step, validation loss and model.",
    help: """
      Reads and validates every .safetensors file in the folder (default checkpoints/) and shows, \
      for each, the model's configuration, the training step it was saved at, its last and best \
      validation loss, and its size; a damaged file is listed with the reason it cannot be loaded. \
      `train … save_every K keep N` fills such a folder while training.
      """,
    parameters: CheckpointListParameters.self,
    examples: ["checkpoints", #"checkpoints "runs/shakespeare""#],
    action: { interpreter, arguments throws(InterpreterError) in
      try interpreter.listCheckpoints(arguments)
      return nil
    })
}

/// The parameters of `checkpoints`.
struct CheckpointListParameters: CommandParameters {
  let directory = ParameterKey<String>.positional(
    "DIR", .string, default: "checkpoints", "The folder to list.")
}

extension Interpreter {
  func listCheckpoints(_ arguments: Arguments<CheckpointListParameters>) throws(InterpreterError) {
    let directory = arguments[\.directory]
    guard fileSystem.exists(directory) else { throw arguments.error("no such folder: \(directory)", at: \.directory) }
    let rows = CheckpointDirectory.list(fileSystem.resolve(directory))
    guard !rows.isEmpty else {
      say("no checkpoints in \(directory.debugDescription)")
      return
    }
    say(
      "\(Formatting.pad("file", 34)) \(Formatting.padLeft("step", 8))  \(Formatting.padLeft("val", 7))  \(Formatting.padLeft("best", 7))  \(Formatting.padLeft("size", 9))  model"
    )
    for row in rows {
      let file = (row.path as NSString).lastPathComponent
      let size = Formatting.padLeft(Formatting.count(row.byteCount), 9)
      switch row.contents {
      case .success(let info):
        let c = info.config
        let loss = { (x: Float?) in Formatting.padLeft(x.map { Formatting.fixed($0, 4) } ?? "-", 7) }
        say(
          "\(Formatting.pad(file, 34)) \(Formatting.padLeft(info.step.map(String.init) ?? "-", 8))  \(loss(info.validationLoss))  \(loss(info.bestValidationLoss))  \(size)  "
            + "\(c.cell.displayName) \(c.layers)×\(c.hidden), embed \(c.embed), vocabulary \(c.vocabSize)")
      case .failure(let error):
        say("\(Formatting.pad(file, 34)) unreadable: \(error.description)")
      }
    }
  }
}
