"""A tiny deterministic random generator for the corpus scripts (standard library only).

SplitMix64, written out here so the generated files do not depend on the Python version
(`random.Random`'s algorithms for `shuffle`, `choice` and `randint` are not promised to stay
the same across versions).
"""

MASK = (1 << 64) - 1


class SeededRandom:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        """The next 64-bit value."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        """A value in 0..<n, without modulo bias (rejection sampling)."""
        assert 0 < n <= MASK
        limit = (MASK + 1) - (MASK + 1) % n
        while True:
            v = self.next()
            if v < limit:
                return v % n

    def between(self, lo, hi):
        """A value in lo...hi (both included)."""
        return lo + self.below(hi - lo + 1)

    def choice(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items):
        """Fisher-Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
