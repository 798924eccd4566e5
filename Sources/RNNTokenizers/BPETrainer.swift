/// Learns the merges of a byte-level BPE tokenizer from a text.
///
/// The text is pre-tokenized (`PreTokenizer.byteLevelPieces`) and each distinct piece counted once,
/// so merges never cross pieces and the work is over the distinct pieces, not the text. Every
/// adjacent pair of symbols has a count (the sum of the counts of the pieces it occurs in, once per
/// occurrence) and the list of pieces it occurs in. Each step takes the pair first in `PairHeap`
/// order (highest count; ties: smaller left id, then smaller right id), gives it the next id, and
/// rewrites only the pieces that hold it, left to right without overlap, adjusting the counts of the
/// neighbouring pairs. Counts of existing pairs only fall, so stale heap entries are re-pushed with
/// their current count when popped. Training stops at `vocabularySize` tokens or when no pair occurs
/// `minFrequency` times.
struct BPETrainer {
  /// Symbols of every distinct piece back to back; piece `w` is `symbols[start[w]..<start[w] + length[w]]`
  /// (its length shrinks as merges apply; the space after it stays unused).
  private var symbols: [Int32] = []
  private var start: [Int] = []
  private var length: [Int] = []
  private var frequency: [Int] = []
  /// Pairs: slot by `left << 32 | right`, and per slot its ids, count and the pieces holding it
  /// (possibly with stale or repeated entries; a piece is rewritten at most once per step).
  private var slotOf: [UInt64: Int32] = [:]
  private var left: [Int32] = []
  private var right: [Int32] = []
  private var count: [Int] = []
  private var pieces: [[Int32]] = []
  private var heap = PairHeap()
  /// The step at which each piece was last rewritten, and each pair slot last created.
  private var rewritten: [Int] = []
  private var createdAt: [Int] = []

  /// The merges, in order: merge `i` makes token `256 + i` from its pair.
  static func train(_ text: UnsafeBufferPointer<UInt8>, vocabularySize: Int, minFrequency: Int) -> [BPETokenizer.Merge] {
    var trainer = BPETrainer()
    trainer.countPieces(text)
    return trainer.learn(vocabularySize: vocabularySize, minFrequency: minFrequency)
  }

  /// `train` of the pieces counted over a text of alphabet ids (a corpus's character ids): the same
  /// pieces in the same order as the text's UTF-8 has, so the same merges, without writing the text
  /// out as UTF-8.
  static func train(
    counts: PieceCounts, alphabet: ScalarAlphabet, vocabularySize: Int, minFrequency: Int
  ) -> [BPETokenizer.Merge] {
    var trainer = BPETrainer()
    trainer.load(counts, alphabet: alphabet)
    return trainer.learn(vocabularySize: vocabularySize, minFrequency: minFrequency)
  }

  /// The merges learned from the counted pieces.
  private mutating func learn(vocabularySize: Int, minFrequency: Int) -> [BPETokenizer.Merge] {
    countPairs()
    var merges: [BPETokenizer.Merge] = []
    while 256 + merges.count < vocabularySize, let best = nextPair(minFrequency: minFrequency) {
      let merge = BPETokenizer.Merge(left: left[best], right: right[best])
      apply(slot: best, as: Int32(256 + merges.count), step: merges.count)
      merges.append(merge)
    }
    return merges
  }

  /// The distinct pieces of `text`, their counts, and their bytes as symbols.
  private mutating func countPieces(_ text: UnsafeBufferPointer<UInt8>) {
    var table = ByteSliceTable(capacity: 1 << 14)
    PreTokenizer.byteLevelPieces(text) { range in
      let (k, inserted) = table.findOrInsert(text.baseAddress! + range.lowerBound, range.count)
      if inserted { frequency.append(0) }
      frequency[k] += 1
    }
    symbols = table.arena.map { Int32($0) }
    start = table.starts.map { Int($0) }
    length = table.lengths.map { Int($0) }
    rewritten = [Int](repeating: -1, count: table.count)
  }

  /// The counted pieces, each written out once as UTF-8.
  private mutating func load(_ counts: PieceCounts, alphabet: ScalarAlphabet) {
    let (bytes, starts) = counts.utf8(alphabet: alphabet)
    frequency = counts.frequency
    symbols = bytes.map { Int32($0) }
    start = Array(starts.dropLast())
    length = zip(starts, starts.dropFirst()).map { $1 - $0 }
    rewritten = [Int](repeating: -1, count: frequency.count)
  }

  /// Counts every adjacent pair of every piece and pushes each pair once.
  private mutating func countPairs() {
    for w in 0..<start.count where length[w] > 1 {
      for i in start[w]..<(start[w] + length[w] - 1) {
        change(symbols[i], symbols[i + 1], by: frequency[w], piece: w)
      }
    }
    for slot in 0..<count.count {
      heap.push(.init(count: count[slot], left: left[slot], right: right[slot], slot: Int32(slot)))
    }
  }

  /// The slot of the pair to merge next, or nil when none occurs `minFrequency` times.
  private mutating func nextPair(minFrequency: Int) -> Int? {
    while let top = heap.pop() {
      let slot = Int(top.slot)
      let current = count[slot]
      if current == top.count { return current >= minFrequency ? slot : nil }
      if current >= minFrequency { heap.push(.init(count: current, left: top.left, right: top.right, slot: top.slot)) }
    }
    return nil
  }

  /// Adds `delta` to the count of the pair (a, b), creating its slot; records `piece` as holding it
  /// when the count grows. Returns the slot.
  @inline(__always) @discardableResult
  private mutating func change(_ a: Int32, _ b: Int32, by delta: Int, piece: Int) -> Int {
    let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    let slot: Int
    if let s = slotOf[key] {
      slot = Int(s)
    } else {
      slot = count.count
      slotOf[key] = Int32(slot)
      left.append(a)
      right.append(b)
      count.append(0)
      pieces.append([])
      createdAt.append(-1)
    }
    count[slot] += delta
    if delta > 0 && pieces[slot].last != Int32(piece) { pieces[slot].append(Int32(piece)) }
    return slot
  }

  /// Replaces every occurrence of the pair in `slot` by `token` and pushes the new pairs.
  private mutating func apply(slot: Int, as token: Int32, step: Int) {
    let holders = pieces[slot]
    pieces[slot] = []
    let a = left[slot]
    let b = right[slot]
    var created: [Int] = []
    for w32 in holders {
      let w = Int(w32)
      guard rewritten[w] != step else { continue }
      rewritten[w] = step
      rewrite(piece: w, a, b, as: token, step: step, created: &created)
    }
    for s in created where count[s] > 0 {
      heap.push(.init(count: count[s], left: left[s], right: right[s], slot: Int32(s)))
    }
  }

  /// Merges (a, b) into `token` in piece `w`, left to right without overlap; appends the slots of
  /// the pairs it creates (they hold `token`) to `created`, once each.
  private mutating func rewrite(
    piece w: Int, _ a: Int32, _ b: Int32, as token: Int32, step: Int, created: inout [Int]
  ) {
    let f = frequency[w]
    let s = start[w]
    let n = length[w]
    var read = s
    var write = s
    while read < s + n {
      if read + 1 < s + n && symbols[read] == a && symbols[read + 1] == b {
        change(a, b, by: -f, piece: w)
        if write > s {
          let previous = symbols[write - 1]
          change(previous, a, by: -f, piece: w)
          note(change(previous, token, by: f, piece: w), step, &created)
        }
        if read + 2 < s + n {
          let next = symbols[read + 2]
          change(b, next, by: -f, piece: w)
          note(change(token, next, by: f, piece: w), step, &created)
        }
        symbols[write] = token
        read += 2
      } else {
        symbols[write] = symbols[read]
        read += 1
      }
      write += 1
    }
    length[w] = write - s
  }

  @inline(__always)
  private mutating func note(_ slot: Int, _ step: Int, _ created: inout [Int]) {
    guard createdAt[slot] != step else { return }
    createdAt[slot] = step
    created.append(slot)
  }
}
