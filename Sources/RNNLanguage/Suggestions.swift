/// "Did you mean" support: edit distance over candidate names.
public enum Suggestions {
  /// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
  /// substitutions and transpositions of adjacent characters each cost 1). Compares Characters.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let s = Array(a)
    let t = Array(b)
    if s.isEmpty { return t.count }
    if t.isEmpty { return s.count }
    var previous2 = [Int](repeating: 0, count: t.count + 1)
    var previous = Array(0...t.count)
    var current = [Int](repeating: 0, count: t.count + 1)
    for i in 1...s.count {
      current[0] = i
      for j in 1...t.count {
        let cost = s[i - 1] == t[j - 1] ? 0 : 1
        var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] {
          best = min(best, previous2[j - 2] + 1)
        }
        current[j] = best
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[t.count]
  }

  /// The candidate closest to `name`, if any is close enough to be a plausible typo.
  ///
  /// A case-insensitive exact match wins; otherwise the candidate with the smallest edit distance,
  /// provided it is at most ``maxDistance(for:)``. Ties go to the alphabetically first candidate,
  /// so the answer is deterministic whatever the candidates' order. `name` itself is never
  /// suggested.
  public static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
    var best: (name: String, distance: Int)?
    let lowered = name.lowercased()
    let limit = maxDistance(for: name)
    for candidate in candidates where candidate != name {
      let distance = candidate.lowercased() == lowered ? 0 : editDistance(name, candidate)
      guard distance <= limit else { continue }
      if let current = best,
        current.distance < distance || (current.distance == distance && current.name <= candidate)
      {
        continue
      }
      best = (candidate, distance)
    }
    return best?.name
  }

  /// The largest edit distance still considered a typo of `name`: 1 for names up to 5 characters,
  /// 2 up to 8, 3 beyond.
  public static func maxDistance(for name: String) -> Int {
    switch name.count {
    case ...5: return 1
    case ...8: return 2
    default: return 3
    }
  }
}
