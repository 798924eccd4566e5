import NumericCore
import RNNTokenizers

/// Corpora of word or BPE tokens. A corpus is always read as characters first (the streamed
/// passes of `Corpus+Reading`); `tokenized` then learns a tokenizer on the training split only and
/// encodes each split on its own, so the splits hold the same text as before, and bits per character
/// stay comparable across tokenizations (`characters(of:)`).
extension Corpus {
  /// A word or BPE tokenization: its tokenizer, and the character splits it was made from.
  public struct Tokenization: Sendable {
    public let tokenizer: AnyTokenizer
    /// The splits in characters (the corpus's `splits` are in tokens).
    public let characterSplits: CorpusSplits
  }

  /// The tokenizer of the corpus's tokens: char (the vocabulary's scalars) unless tokenized.
  public var tokenizer: AnyTokenizer { tokenization?.tokenizer ?? .char(CharTokenizer(scalars: vocabulary.scalars)) }

  /// Number of distinct token ids: the model's vocabulary size.
  public var vocabularySize: Int { tokenization?.tokenizer.vocabularySize ?? vocabulary.count }

  /// Characters (Unicode scalars) of the text of one split.
  public func characters(of split: CorpusSplits.Name) -> Int {
    (tokenization?.characterSplits ?? splits).range(split).count
  }

  /// Characters of the whole text.
  public var characterCount: Int { characters(of: .train) + characters(of: .validation) + characters(of: .test) }

  /// This character corpus as `kind` tokens: a word tokenizer (words seen `minCount` times in the
  /// training split, at most `vocabularySize` tokens in all when given; every character of the text
  /// has a token) or a byte-level BPE of `vocabularySize` tokens (default 2,048) learned on the
  /// training split. `char` returns the corpus unchanged.
  public func tokenized(_ kind: TokenizerKind, vocabularySize: Int? = nil, minCount: Int = 1) throws(CorpusError) -> Corpus {
    precondition(tokenization == nil, "tokenize a corpus of characters")
    if kind == .char { return self }
    if kind == .bpe {
      let size = vocabularySize ?? 2048
      guard size >= 256 else { throw .invalidTokens("vocab \(size) is below 256: byte-level BPE has a token for every byte") }
      return bpeEncoded(learning: size)
    }
    let texts = splitTexts()
    let tokenizer: AnyTokenizer
    switch kind {
    case .char, .bpe: return self
    case .word:
      let alphabet = CharTokenizer(scalars: vocabulary.scalars)
      if let vocabularySize, vocabularySize < alphabet.vocabularySize {
        throw .invalidTokens(
          "vocab \(vocabularySize) is smaller than the text's \(alphabet.vocabularySize) characters, which word tokens spell rare words with"
        )
      }
      tokenizer = .word(
        WordTokenizer(
          training: texts[0], minCount: minCount, maxWords: vocabularySize.map { $0 - alphabet.vocabularySize }, alphabet: alphabet))
    }
    return try encoded(texts, with: tokenizer)
  }

  /// This corpus's text encoded with a given word or BPE `tokenizer` (a loaded model's, or one
  /// carried to this text): an error when the text has characters the tokenizer cannot encode. A
  /// corpus already of word or BPE tokens is decoded (losslessly) first. A char tokenizer returns
  /// a character corpus unchanged when it is the corpus's vocabulary, else an error.
  public func encoded(with tokenizer: AnyTokenizer) throws(CorpusError) -> Corpus {
    if tokenization?.tokenizer == tokenizer { return self }
    if case .char(let characters) = tokenizer {
      guard tokenization == nil else {
        throw .invalidTokens("the corpus is of \(tokenization!.tokenizer.kind.rawValue) tokens, not characters")
      }
      guard characters.scalars == vocabulary.scalars else {
        throw .invalidTokens("the text's characters are not the tokenizer's")
      }
      return self
    }
    if case .bpe(let bpe) = tokenizer, tokenization == nil { return bpeEncoded(with: bpe) }
    return try encoded(splitTexts(), with: tokenizer)
  }

  /// This character corpus with its tokens renumbered for `vocabulary` (a model's, which may list
  /// the same characters in another order, or more): the same text, splits and documents; an error
  /// listing the characters `vocabulary` lacks. Unchanged when the vocabularies are equal.
  public func remapped(to vocabulary: Vocabulary) throws(CorpusError) -> Corpus {
    precondition(tokenization == nil, "renumber a corpus of characters")
    if vocabulary == self.vocabulary { return self }
    let missing = self.vocabulary.scalars.filter { vocabulary.index(of: $0) == nil }
    guard missing.isEmpty else {
      let shown = missing.prefix(20).map { Vocabulary.display($0) }.joined(separator: ", ")
      throw .invalidTokens(
        "the text has \(missing.count) character\(missing.count == 1 ? "" : "s") outside the vocabulary: \(shown)\(missing.count > 20 ? ", …" : "")"
      )
    }
    let table = self.vocabulary.scalars.map { UInt32(vocabulary.index(of: $0)!) }
    let storage: TokenSequence.Storage
    if vocabulary.count <= 256 {
      storage = .bytes(remapTokens(table) { UInt8($0) })
    } else if vocabulary.count <= 65_536 {
      storage = .halfwords(remapTokens(table) { UInt16($0) })
    } else {
      storage = .words(remapTokens(table) { $0 })
    }
    return Corpus(
      tokenizing: self, vocabulary: vocabulary, tokens: TokenSequence(storage: storage), splits: splits, tokenization: nil)
  }

  /// Every token `t` as `make(table[t])`, one pass.
  private func remapTokens<T>(_ table: [UInt32], _ make: (UInt32) -> T) -> [T] {
    var out: [T] = []
    out.reserveCapacity(tokens.count)
    for i in 0..<tokens.count { out.append(make(table[Int(tokens[i])])) }
    return out
  }

  /// The texts of the train, validation and test splits, written as UTF-8 through a table of each
  /// vocabulary scalar's bytes (one pass over the tokens, no per-character String appends); a
  /// corpus of word or BPE tokens is decoded with its tokenizer.
  func splitTexts() -> [String] {
    if let tokenizer = tokenization?.tokenizer {
      return CorpusSplits.Name.allCases.map { tokenizer.decode(tokens(of: $0).array) }
    }
    let utf8 = vocabulary.scalars.map { Array(String($0).utf8) }
    return CorpusSplits.Name.allCases.map { split in
      let part = tokens(of: split)
      var bytes: [UInt8] = []
      bytes.reserveCapacity(part.count)
      for i in 0..<part.count { bytes += utf8[Int(part[i])] }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// The corpus of the three split texts encoded with `tokenizer`, split by split.
  private func encoded(_ texts: [String], with tokenizer: AnyTokenizer) throws(CorpusError) -> Corpus {
    var ids: [Int32] = []
    var ends: [Int] = []
    for text in texts {
      do throws(TokenizerError) { ids += try tokenizer.encode(text) } catch {
        throw .invalidTokens("the text cannot be encoded: \(error)")
      }
      ends.append(ids.count)
    }
    return Corpus(
      tokenizing: self, tokens: TokenSequence(tokens: ids, vocabularySize: tokenizer.vocabularySize),
      splits: CorpusSplits(train: 0..<ends[0], validation: ends[0]..<ends[1], test: ends[1]..<ends[2], documents: splits.documents),
      tokenization: Tokenization(tokenizer: tokenizer, characterSplits: tokenization?.characterSplits ?? splits))
  }

  /// This character corpus as byte-level BPE tokens, with `tokenizer` or else one of `size` tokens
  /// learned on the training split. Both read the character tokens in place (`ScalarAlphabet`), split
  /// by split, and write each BPE token once into storage as narrow as the vocabulary allows: memory is
  /// the character tokens, the BPE tokens and the bounded tables of distinct pieces.
  private func bpeEncoded(with tokenizer: BPETokenizer? = nil, learning size: Int = 0) -> Corpus {
    precondition(tokenization == nil, "BPE-encode a corpus of characters")
    return switch tokens.storage {
    case .bytes(let a): a.withUnsafeBufferPointer { bpeEncoded(splitParts($0).map(SymbolText.bytes), with: tokenizer, learning: size) }
    case .halfwords(let a):
      a.withUnsafeBufferPointer { bpeEncoded(splitParts($0).map(SymbolText.halfwords), with: tokenizer, learning: size) }
    case .words(let a): a.withUnsafeBufferPointer { bpeEncoded(splitParts($0).map(SymbolText.words), with: tokenizer, learning: size) }
    }
  }

  /// The train, validation and test splits of the token storage `storage`.
  private func splitParts<T>(_ storage: UnsafeBufferPointer<T>) -> [UnsafeBufferPointer<T>] {
    CorpusSplits.Name.allCases.map { name in
      let range = splits.range(name)
      return UnsafeBufferPointer(rebasing: storage[(tokens.offset + range.lowerBound)..<(tokens.offset + range.upperBound)])
    }
  }

  private func bpeEncoded(_ parts: [SymbolText], with given: BPETokenizer?, learning size: Int) -> Corpus {
    let alphabet = ScalarAlphabet(scalars: vocabulary.scalars)
    let threads = Parallel.threads
    let tokenizer: BPETokenizer
    let (encoded, ends): (TokenArray, [Int])
    if let given {
      tokenizer = given
      (encoded, ends) = given.encode(parts: parts, alphabet: alphabet, threads: threads, run: Self.runParts)
    } else {
      (tokenizer, encoded, ends) = BPETokenizer.learningAndEncoding(
        parts, alphabet: alphabet, vocabularySize: size, threads: threads, run: Self.runParts)
    }
    let stored: TokenSequence.Storage =
      switch encoded {
      case .bytes(let a): .bytes(a)
      case .halfwords(let a): .halfwords(a)
      case .words(let a): .words(a)
      }
    return Corpus(
      tokenizing: self, tokens: TokenSequence(storage: stored),
      splits: CorpusSplits(train: 0..<ends[0], validation: ends[0]..<ends[1], test: ends[1]..<ends[2], documents: splits.documents),
      tokenization: Tokenization(tokenizer: .bpe(tokenizer), characterSplits: splits))
  }

  /// The tokenizers' fork–join (`PartRunner`) on the project's threads: part `i` of `n` on core `i`.
  private static func runParts(_ n: Int, _ body: (Int) -> Void) {
    Parallel.forEachPart(of: n, parts: n) { range in
      for i in range { body(i) }
    }
  }

  /// `base` with other tokens (and, for characters renumbered, another vocabulary).
  private init(
    tokenizing base: Corpus, vocabulary: Vocabulary? = nil, tokens: TokenSequence, splits: CorpusSplits,
    tokenization: Tokenization?
  ) {
    source = base.source
    self.vocabulary = vocabulary ?? base.vocabulary
    self.tokens = tokens
    self.splits = splits
    fractions = base.fractions
    fingerprint = base.fingerprint
    byteCount = base.byteCount
    replacedSequences = base.replacedSequences
    documentCount = base.documentCount
    skippedFiles = base.skippedFiles
    self.tokenization = tokenization
  }
}
