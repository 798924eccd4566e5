// Times byte-level BPE training and encoding on one text file, for scripts/bench_tokenizers.py:
//   tokenizer-bench FILE [VOCAB=2048] [REPEATS=3]
// Prints one line per measurement, `name value unit`, each the best of REPEATS runs:
//   train_seconds   training a VOCAB-token tokenizer on the whole file
//   encode_lines_mbps   encoding the file line by line (lines keep their "\n") with one encoder
//   encode_whole_mbps   encoding the file as one string
// and `tokens N` (lines), `tokens_whole N`, `vocab N` (a check that both peers do comparable work).
import Foundation
import RNNTokenizers

func seconds(_ body: () -> Void) -> Double {
  let start = ContinuousClock.now
  body()
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
  FileHandle.standardError.write("usage: tokenizer-bench FILE [VOCAB] [REPEATS] (FILE must be UTF-8)\n".data(using: .utf8)!)
  exit(2)
}
let vocabulary = arguments.count > 2 ? Int(arguments[2]) ?? 2048 : 2048
let repeats = max(1, arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3)
let megabytes = Double(text.utf8.count) / 1e6
// The lines with their "\n" (the last has none when the file does not end in one): joined, the text.
var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
lines[lines.count - 1].removeLast()
if lines.last!.isEmpty { lines.removeLast() }

var tokenizer = BPETokenizer(training: "", vocabularySize: 256)
var best = Double.infinity
for _ in 0..<repeats { best = min(best, seconds { tokenizer = BPETokenizer(training: text, vocabularySize: vocabulary) }) }
print("train_seconds \(best) s")

var tokens = 0
best = .infinity
for _ in 0..<repeats {
  best = min(
    best,
    seconds {
      var encoder = tokenizer.makeEncoder()
      var ids: [Int32] = []
      for line in lines { encoder.encode(line, into: &ids) }
      tokens = ids.count
    })
}
print("encode_lines_mbps \(megabytes / best) MB/s")
best = .infinity
var wholeTokens = 0
for _ in 0..<repeats { best = min(best, seconds { wholeTokens = tokenizer.encode(text).count }) }
print("encode_whole_mbps \(megabytes / best) MB/s")
print("tokens \(tokens)")
print("tokens_whole \(wholeTokens)")
print("vocab \(tokenizer.vocabularySize)")
