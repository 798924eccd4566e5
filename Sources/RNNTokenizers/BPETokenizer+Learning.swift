/// Learning a BPE on a corpus's training part and encoding every part, with the training part
/// encoded from the stream of pieces recorded while counting them (`PieceCounts(recording:)`): each
/// distinct piece is encoded once, and the training text is then written out piece by piece with
/// no second pre-tokenization and no hash lookup. Costs two bytes per piece of the training part
/// while it runs (about half a byte per character of English).
extension BPETokenizer {
  /// A tokenizer of up to `vocabularySize` tokens learned on `parts[0]` (exactly
  /// `init(training:alphabet:vocabularySize:minFrequency:)`'s), and the tokens of every part back to
  /// back with where each part's end (exactly `encode(parts:alphabet:)`'s). With `threads` above 1
  /// the training part is counted and written in that many chunks cut at piece boundaries and the
  /// other parts encoded as `encode(parts:alphabet:threads:run:)` does; the result does not depend
  /// on `threads`.
  public static func learningAndEncoding(
    _ parts: [SymbolText], alphabet: ScalarAlphabet, vocabularySize: Int, minFrequency: Int = 2, threads: Int = 1,
    run: PartRunner = runInOrder
  ) -> (tokenizer: BPETokenizer, tokens: TokenArray, ends: [Int]) {
    precondition(vocabularySize >= 256, "a byte-level BPE vocabulary has at least the 256 bytes")
    precondition(!parts.isEmpty, "the training part comes first")
    let threads = max(1, threads)
    let chunks = alphabet.chunks(of: parts[0], length: max(1, (parts[0].count + threads - 1) / threads))
    var counts = chunks.map { _ in PieceCounts(recording: true) }
    counts.withUnsafeMutableBufferPointer { c in
      run(chunks.count) { i in c[i].count(chunks[i], alphabet: alphabet) }
    }
    var total = PieceCounts()
    let remaps = counts.map { total.add($0) }
    let tokenizer = BPETokenizer(
      merges: BPETrainer.train(counts: total, alphabet: alphabet, vocabularySize: vocabularySize, minFrequency: max(1, minFrequency)))
    let training = Recorded(chunks: counts, remaps: remaps, pieces: tokenizer.tokens(ofPieces: total, alphabet: alphabet))
    let rest = Array(parts.dropFirst())
    if tokenizer.vocabularySize <= 256 {
      let (tokens, ends) = tokenizer.encode(training, rest, alphabet, threads, run, as: UInt8.self)
      return (tokenizer, .bytes(tokens), ends)
    } else if tokenizer.vocabularySize <= 65_536 {
      let (tokens, ends) = tokenizer.encode(training, rest, alphabet, threads, run, as: UInt16.self)
      return (tokenizer, .halfwords(tokens), ends)
    }
    let (tokens, ends) = tokenizer.encode(training, rest, alphabet, threads, run, as: UInt32.self)
    return (tokenizer, .words(tokens), ends)
  }

  /// The training part as counted: per chunk its recorded pieces and, per piece of the chunk, its
  /// piece in the merged counts; the tokens of each merged piece.
  private struct Recorded {
    let chunks: [PieceCounts]
    let remaps: [[Int]]
    /// Piece `w`'s tokens are `pieces.tokens[pieces.starts[w]..<pieces.starts[w + 1]]`.
    let pieces: (tokens: [Int32], starts: [Int])

    /// Per chunk, where its tokens start, and the total: a chunk has one token per piece of one
    /// ASCII character and each piece's tokens as often as the piece occurs in it.
    func offsets() -> [Int] {
      var offsets = [0]
      for (c, chunk) in chunks.enumerated() {
        var n = chunk.singles
        for w in 0..<chunk.count {
          let g = remaps[c][w]
          n += chunk.frequency[w] * (pieces.starts[g + 1] - pieces.starts[g])
        }
        offsets.append(offsets.last! + n)
      }
      return offsets
    }

    /// Writes chunk `c`'s tokens from `out` on; returns how many.
    func write<U: FixedWidthInteger>(chunk c: Int, to out: UnsafeMutablePointer<U>) -> Int {
      let remap = remaps[c]
      var written = 0
      chunks[c].stream.withUnsafeBufferPointer { stream in
        pieces.tokens.withUnsafeBufferPointer { tokens in
          pieces.starts.withUnsafeBufferPointer { starts in
            var i = 0
            while i < stream.count {
              var v = Int(stream[i])
              i += 1
              if v >= 0x8000 {
                v = (v & 0x7FFF) << 16 | Int(stream[i])
                i += 1
              }
              if v < 128 {
                out[written] = U(v)
                written += 1
                continue
              }
              let g = remap[v - 128]
              for t in starts[g]..<starts[g + 1] {
                out[written] = U(truncatingIfNeeded: tokens[t])
                written += 1
              }
            }
          }
        }
      }
      return written
    }
  }

  /// The tokens of every piece of `counts`, back to back (see `Recorded.pieces`).
  private func tokens(ofPieces counts: PieceCounts, alphabet: ScalarAlphabet) -> (tokens: [Int32], starts: [Int]) {
    let (bytes, byteStarts) = counts.utf8(alphabet: alphabet)
    var tokens: [Int32] = []
    var starts = [0]
    var symbols: [Int32] = []
    bytes.withUnsafeBufferPointer { b in
      for w in 0..<counts.count {
        encodePiece(b.baseAddress! + byteStarts[w], byteStarts[w + 1] - byteStarts[w], into: &tokens, symbols: &symbols)
        starts.append(tokens.count)
      }
    }
    return (tokens, starts)
  }

  /// The training part written from its recorded pieces (chunks on `run` at once, each at its own
  /// offset), then the other parts encoded by `encode(parts:…)`.
  private func encode<U: FixedWidthInteger>(
    _ training: Recorded, _ rest: [SymbolText], _ alphabet: ScalarAlphabet, _ threads: Int, _ run: PartRunner, as: U.Type
  ) -> ([U], [Int]) {
    let (restTokens, restEnds) = encode(rest, alphabet, threads, 1 << 21, run, as: U.self)
    let offsets = training.offsets()
    let trainCount = offsets.last!
    let tokens = [U](unsafeUninitializedCapacity: trainCount + restTokens.count) { buffer, initialized in
      guard let base = buffer.baseAddress else { return }
      run(training.chunks.count) { c in
        let written = training.write(chunk: c, to: base + offsets[c])
        precondition(written == offsets[c + 1] - offsets[c], "a chunk's tokens are what its counts say")
      }
      restTokens.withUnsafeBufferPointer { rest in
        if let from = rest.baseAddress { (base + trainCount).initialize(from: from, count: rest.count) }
      }
      initialized = trainCount + restTokens.count
    }
    return (tokens, [trainCount] + restEnds.map { trainCount + $0 })
  }
}
