// libFuzzer target: the corpus loader (`Corpus(utf8:source:fractions:)`) and `BatchStreams` over
// every split of the result. The whole input is the text; the split fractions, batch and seq are
// derived from its length so that every input also exercises batching. scripts/fuzz.sh builds it with
// -sanitize=fuzzer and -DFUZZING; a plain build replays the files given as arguments.
import FuzzSupport
import RNNModels

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let buffer = UnsafeBufferPointer(start: data, count: size)
  let train = [1.0, 0.9, 0.5, 0.34][size % 4]
  let validation = [nil, 0.0, 0.25, 0.33][(size / 4) % 4]
  guard let corpus = try? Corpus(utf8: buffer, source: "<fuzz>", fractions: SplitFractions(train: train, validation: validation))
  else { return 0 }
  precondition(corpus.tokens.count <= size, "more tokens than bytes")
  for i in 0..<corpus.tokens.count {
    precondition(Int(corpus.tokens[i]) < corpus.vocabulary.count, "token out of the vocabulary")
  }
  for split in CorpusSplits.Name.allCases {
    let tokens = corpus.tokens(of: split)
    let batch = 1 + size % 5
    let steps = 1 + (size / 5) % 8
    guard let streams = try? BatchStreams(tokenCount: tokens.count, batch: batch, steps: steps, split: split.rawValue)
    else { continue }
    var inputs = [Int32](repeating: -1, count: batch * steps)
    var targets = [Int32](repeating: -1, count: batch * steps)
    var cursor = 0
    for _ in 0..<min(streams.chunksPerEpoch + 1, 64) {
      cursor = inputs.withUnsafeMutableBufferPointer { i in
        targets.withUnsafeMutableBufferPointer { t in
          streams.fill(from: tokens, cursor: cursor, inputs: i.baseAddress!, targets: t.baseAddress!).next
        }
      }
      for t in inputs + targets {
        precondition(t >= 0 && Int(t) < corpus.vocabulary.count, "batch token out of the vocabulary")
      }
    }
  }
  return 0
}

@main struct Main {
  static func main() { FuzzDriver.run(fuzz) }
}
