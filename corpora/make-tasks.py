"""Writes two small generated sequence-to-sequence tasks, `source<TAB>target` a line:

  reverse.tsv   a string of lower-case letters a-z (1 to 20, length uniform) -> the same reversed
  addition.tsv  `A+B` with A, B of 1 to 4 digits (digit count uniform, then value uniform,
                no leading zeros) -> the decimal sum

Usage: python3 make-tasks.py OUTDIR

COUNT distinct sources each, deterministic (fixed seeds), standard library only.
"""

import os
import string
import sys

from seeded_random import SeededRandom

COUNT = 10000


def reverse_pair(rng):
    s = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.between(1, 20)))
    return s, s[::-1]


def number(rng):
    digits = rng.between(1, 4)
    return rng.between(0 if digits == 1 else 10 ** (digits - 1), 10 ** digits - 1)


def addition_pair(rng):
    a, b = number(rng), number(rng)
    return "%d+%d" % (a, b), str(a + b)


def write(path, make, seed):
    rng, seen, lines = SeededRandom(seed), set(), []
    while len(lines) < COUNT:
        source, target = make(rng)
        if source not in seen:
            seen.add(source)
            lines.append("%s\t%s\n" % (source, target))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(lines))


def main():
    out = sys.argv[1]
    write(os.path.join(out, "reverse.tsv"), reverse_pair, 1)
    write(os.path.join(out, "addition.tsv"), addition_pair, 2)


if __name__ == "__main__":
    main()
