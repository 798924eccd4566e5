/// A binary max-heap of candidate merges: the largest count first; among equal counts the pair with
/// the smaller left id, then the smaller right id (older tokens first). This order is BPE training's
/// documented tie-break, so training is deterministic.
struct PairHeap {
  struct Entry {
    var count: Int
    var left: Int32
    var right: Int32
    /// The pair's slot in the trainer's tables.
    var slot: Int32

    @inline(__always)
    func precedes(_ other: Entry) -> Bool {
      if count != other.count { return count > other.count }
      if left != other.left { return left < other.left }
      return right < other.right
    }
  }

  private var entries: [Entry] = []

  var isEmpty: Bool { entries.isEmpty }

  mutating func push(_ entry: Entry) {
    entries.append(entry)
    var i = entries.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard entries[i].precedes(entries[parent]) else { break }
      entries.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> Entry? {
    guard let top = entries.first else { return nil }
    let last = entries.removeLast()
    guard !entries.isEmpty else { return top }
    entries[0] = last
    var i = 0
    let n = entries.count
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var best = i
      if l < n && entries[l].precedes(entries[best]) { best = l }
      if r < n && entries[r].precedes(entries[best]) { best = r }
      if best == i { break }
      entries.swapAt(i, best)
      i = best
    }
    return top
  }
}
