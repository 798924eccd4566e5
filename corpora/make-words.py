"""Writes words-by-language.tsv (`label<TAB>word`) from Debian word lists.

Usage: python3 make-words.py OUT LABEL=PATH:ENCODING ...

For each list, a word is kept when, after NFC normalisation, it
  - is all lower-case, or has one upper-case first letter and the rest lower-case
    (German nouns; also names in the other lists); acronyms and mixed case are dropped;
  - is made of letters only once lower-cased (Unicode category Ll: no apostrophes, so no
    possessives, no hyphens, digits or dots);
  - is 2 to 14 characters (Unicode scalars) long.
The kept words are lower-cased and de-duplicated; PER_LANGUAGE of them are drawn (the sorted
list shuffled by a seed derived from the label, the first PER_LANGUAGE taken), and all lines
of all languages are shuffled together with SEED. Standard library only.
"""

import hashlib
import sys
import unicodedata

from seeded_random import SeededRandom

PER_LANGUAGE = 2000
SEED = 21
MIN_LENGTH, MAX_LENGTH = 2, 14


def label_seed(label):
    digest = hashlib.sha256(("words-by-language:%d:%s" % (SEED, label)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


def keep(word):
    """The word in lower case, or None when the rules above drop it."""
    word = unicodedata.normalize("NFC", word)
    if not word or word[1:] != word[1:].lower():
        return None
    lower = word.lower()
    if not MIN_LENGTH <= len(lower) <= MAX_LENGTH:
        return None
    if not all(unicodedata.category(c) == "Ll" for c in lower):
        return None
    return lower


def sample(label, path, encoding):
    with open(path, encoding=encoding) as f:
        words = sorted({w for w in (keep(line.rstrip("\n")) for line in f) if w})
    assert len(words) >= PER_LANGUAGE, "%s: only %d words" % (label, len(words))
    SeededRandom(label_seed(label)).shuffle(words)
    return len(words), words[:PER_LANGUAGE]


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    lines = []
    for spec in specs:
        label, rest = spec.split("=", 1)
        path, encoding = rest.rsplit(":", 1)
        eligible, words = sample(label, path, encoding)
        print("%-11s %7d eligible, %d drawn" % (label, eligible, len(words)), file=sys.stderr)
        lines += ["%s\t%s\n" % (label, w) for w in words]
    SeededRandom(SEED).shuffle(lines)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(lines))


if __name__ == "__main__":
    main()
