// libFuzzer target: the tokenizers. The input's first byte picks what to do with the rest:
// even — read it as a serialised tokenizer (`AnyTokenizer(serialized:)`), which must either throw or
// give a tokenizer whose own form reads back equal; odd — take it as text (invalid UTF-8 replaced),
// train char, word and BPE tokenizers on it and check decode(encode(x)) == x and token-by-token
// decoding. scripts/fuzz.sh builds it with -sanitize=fuzzer and -DFUZZING; a plain build replays
// the files given as arguments.
import FuzzSupport
import RNNTokenizers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
  if data[0] % 2 == 0 {
    if let t = try? AnyTokenizer(serialized: text) {
      precondition((try? AnyTokenizer(serialized: t.serialized)) == t, "a read tokenizer's form reads back differently")
    }
    return 0
  }
  let bpe = BPETokenizer(training: text, vocabularySize: 256 + Int(data[0] / 2))
  let tokenizers: [AnyTokenizer] = [
    .char(CharTokenizer(training: text)), .word(WordTokenizer(training: text, minCount: 1 + Int(data[0] / 2) % 3)), .bpe(bpe),
  ]
  for t in tokenizers where !text.isEmpty {
    guard let ids = try? t.encode(text) else { preconditionFailure("a tokenizer cannot encode its own training text") }
    precondition(ids.allSatisfy { $0 >= 0 && Int($0) < t.vocabularySize }, "token id out of the vocabulary")
    precondition(t.decode(ids) == text, "decode(encode(x)) != x")
    var stream = TokenTextStream(t)
    var streamed = ids.map { stream.append($0) }.joined()
    streamed += stream.finish()
    precondition(streamed == text, "token-by-token decoding differs")
  }
  return 0
}

@main struct Main {
  static func main() { FuzzDriver.run(fuzz) }
}
