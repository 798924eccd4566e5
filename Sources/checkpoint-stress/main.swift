// checkpoint-stress PATH [SAVES]: saves two alternating models (seeds 1 and 2, with full training
// state) to PATH again and again, so a test can SIGKILL it at random moments and check that PATH
// always holds one complete, loadable checkpoint. Prints "ready" once the first save is done.
import Foundation
import RNNModels

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  FileHandle.standardError.write("usage: checkpoint-stress PATH [SAVES]\n".data(using: .utf8)!)
  exit(2)
}
let path = arguments[1]
let saves = arguments.count > 2 ? Int(arguments[2]) ?? Int.max : Int.max
let corpus = try Corpus(text: String(repeating: "the kill test writes checkpoints. ", count: 20))
let options = TrainingOptions(batch: 2, seq: 8)
let contents = try [1, 2].map { (seed: UInt64) throws -> CheckpointContents in
  let config = ModelConfig(cell: .lstm, vocabSize: corpus.vocabulary.count, embed: 16, hidden: 64, layers: 2)
  let model = try LanguageModel(config: config, seed: seed)
  let trainer = Trainer(
    model: model, state: TrainingState(config: config, options: options, parameterCount: model.parameterCount, seed: seed))
  return CheckpointContents(model: model, vocabulary: corpus.vocabulary, trainer: trainer, options: options, corpus: corpus)
}
var i = 0
while i < saves {
  try ModelCheckpoint.save(contents[i % 2], to: path)
  if i == 0 {
    FileHandle.standardOutput.write("ready\n".data(using: .utf8)!)
  }
  i += 1
}
