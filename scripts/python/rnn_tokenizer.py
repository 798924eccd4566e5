#!/usr/bin/env python3
"""`rnn`'s tokenizers in Python: the ids `rnn` gives a text, exactly, for char, word and byte-level
BPE models, read from the `tokenizer` metadata of a checkpoint.

The serialised form (Sources/RNNTokenizers/TokenizerFormat.swift, docs/design.md) is ASCII lines
joined by "\\n":

    rnn-tokenizer 1 KIND          KIND: char, word or bpe
    scalars 20 41 ...             char, word: the characters, hex code points, increasing (ids 0..C-1)
    min_count 2                   word
    words 5468 6520 ...           word: the word tokens in id order (ids C...), hex UTF-8 bytes each
    appended c3a9 6361 ...        word, only when extended: tokens added after the words (a single
                                  character, or a word), hex UTF-8 bytes each
    pretokenizer pieces-1         bpe
    merges 74,68 256,65 ...       bpe: merge i joins ids "left,right" into id 256 + i

Pre-tokenization follows Sources/RNNTokenizers/PreTokenizer.swift: scalars are classed as letters
(general categories L* and M*), numbers (N*), whitespace (Unicode's White_Space property) or other.
Word pieces are runs of letters, of numbers or of whitespace, or one other character. BPE pieces are
GPT-2's: a contraction ('s 't 'm 'd 're 've 'll) at a piece start; else an optional space and a run
of letters, numbers or others; else a whitespace run that leaves its last character to the next
piece when a non-whitespace character follows. BPE encodes each piece's UTF-8 bytes by repeatedly
merging every non-overlapping occurrence, left to right, of the adjacent pair with the earliest
merge. Checked against `rnn` by Tests/EndToEndTests/TorchTokenizerEndToEndTests.swift.

    python3 scripts/python/rnn_tokenizer.py CKPT TEXTFILE     # prints the ids, one line
"""

import json
import struct
import sys
import unicodedata

MAGIC = "rnn-tokenizer"
VERSION = "1"
PRETOKENIZER = "pieces-1"

LETTER, NUMBER, WHITESPACE, OTHER = range(4)

# Unicode's White_Space property (what Swift's `isWhitespace` reads); str.isspace() is different.
_WHITE_SPACE = frozenset(
    [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
_CLASSES = {"L": LETTER, "M": LETTER, "N": NUMBER}
_class_cache = {}


def scalar_class(c):
    """LETTER, NUMBER, WHITESPACE or OTHER for a one-character str (ScalarClass.classify)."""
    k = _class_cache.get(c)
    if k is None:
        o = ord(c)
        k = WHITESPACE if o in _WHITE_SPACE else _CLASSES.get(unicodedata.category(c)[0], OTHER)
        _class_cache[c] = k
    return k


def word_pieces(text):
    """The word tokenizer's pieces of `text` (PreTokenizer.wordPieces), as strs tiling it."""
    pieces, n, i = [], len(text), 0
    while i < n:
        cls = scalar_class(text[i])
        j = i + 1
        if cls != OTHER:
            while j < n and scalar_class(text[j]) == cls:
                j += 1
        pieces.append(text[i:j])
        i = j
    return pieces


def _contraction(text, i, n):
    if i + 1 >= n:
        return None
    c = text[i + 1]
    if c in "stmd":
        return 2
    if c in "rv":
        return 3 if i + 2 < n and text[i + 2] == "e" else None
    if c == "l":
        return 3 if i + 2 < n and text[i + 2] == "l" else None
    return None


def byte_level_pieces(text):
    """BPE's pieces of `text` (PreTokenizer.byteLevelPieces), as strs tiling it."""
    pieces, n, i = [], len(text), 0
    while i < n:
        start = i
        if text[i] == "'":
            length = _contraction(text, i, n)
            if length:
                pieces.append(text[i:i + length])
                i += length
                continue
        cls = scalar_class(text[i])
        j = i
        if text[i] == " " and i + 1 < n:
            nxt = scalar_class(text[i + 1])
            if nxt != WHITESPACE:
                j, cls = i + 1, nxt
        if cls != WHITESPACE:
            j += 1
            while j < n and scalar_class(text[j]) == cls:
                j += 1
            pieces.append(text[start:j])
            i = j
            continue
        end, last = i + 1, i
        while end < n and scalar_class(text[end]) == WHITESPACE:
            last = end
            end += 1
        if end < n and last > i:
            end = last
        pieces.append(text[i:end])
        i = end
    return pieces


class TokenizerError(ValueError):
    pass


class CharTokenizer:
    kind = "char"

    def __init__(self, scalars):
        self.scalars = list(scalars)
        self.index = {c: i for i, c in enumerate(self.scalars)}

    @property
    def vocab_size(self):
        return len(self.scalars)

    def unknown(self, text):
        return sorted({c for c in text if c not in self.index})

    def encode(self, text):
        missing = self.unknown(text)
        if missing:
            raise TokenizerError(
                f"{len(missing)} character(s) outside the tokenizer's vocabulary: "
                + ", ".join(repr(c) for c in missing[:20]))
        return [self.index[c] for c in text]

    def decode(self, ids):
        return "".join(self.scalars[i] for i in ids)

    def serialize(self):
        return f"{MAGIC} {VERSION} char\n" + _scalar_line(self.scalars)


class WordTokenizer:
    kind = "word"

    def __init__(self, scalars, words, min_count, appended=()):
        self.characters = CharTokenizer(scalars)
        self.words = list(words)
        self.min_count = min_count
        self.appended = list(appended)  # tokens added when the model was carried to a new text
        base = self.characters.vocab_size
        self.char_index = dict(self.characters.index)
        self.word_index = {}
        for i, piece in enumerate(self.words + self.appended):
            if i >= len(self.words) and len(piece) == 1:
                self.char_index[piece] = base + i
            else:
                self.word_index[piece] = base + i

    @property
    def vocab_size(self):
        return self.characters.vocab_size + len(self.words) + len(self.appended)

    def encode(self, text):
        missing = sorted({c for c in text if c not in self.char_index})
        if missing:
            raise TokenizerError(
                f"{len(missing)} character(s) outside the tokenizer's vocabulary: "
                + ", ".join(repr(c) for c in missing[:20]))
        ids, chars, words = [], self.char_index, self.word_index
        for piece in word_pieces(text):
            k = words.get(piece) if len(piece) > 1 else None
            if k is not None:
                ids.append(k)
            else:
                ids.extend(chars[c] for c in piece)
        return ids

    def decode(self, ids):
        base, pieces = self.characters.vocab_size, self.words + self.appended
        return "".join(self.characters.scalars[i] if i < base else pieces[i - base] for i in ids)

    def serialize(self):
        words = " ".join(w.encode("utf-8").hex() for w in self.words)
        lines = [f"{MAGIC} {VERSION} word", _scalar_line(self.characters.scalars),
                 f"min_count {self.min_count}", ("words " + words) if words else "words"]
        if self.appended:
            lines.append("appended " + " ".join(w.encode("utf-8").hex() for w in self.appended))
        return "\n".join(lines)


class BPETokenizer:
    kind = "bpe"

    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        pieces = [bytes([b]) for b in range(256)]
        for left, right in self.merges:
            pieces.append(pieces[left] + pieces[right])
        self.pieces = pieces
        self.cache = {}

    @property
    def vocab_size(self):
        return 256 + len(self.merges)

    def encode_piece(self, data):
        symbols = list(data)
        ranks = self.ranks
        while len(symbols) > 1:
            best = min((ranks.get(p, 1 << 62) for p in zip(symbols, symbols[1:])), default=1 << 62)
            if best == 1 << 62:
                break
            left, right = self.merges[best]
            token = 256 + best
            out, i, n = [], 0, len(symbols)
            while i < n:
                if i + 1 < n and symbols[i] == left and symbols[i + 1] == right:
                    out.append(token)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            symbols = out
        return symbols

    def encode(self, text):
        ids, cache = [], self.cache
        for piece in byte_level_pieces(text):
            tokens = cache.get(piece)
            if tokens is None:
                tokens = self.encode_piece(piece.encode("utf-8"))
                if len(cache) < 1 << 17:
                    cache[piece] = tokens
            ids.extend(tokens)
        return ids

    def decode(self, ids):
        return b"".join(self.pieces[i] for i in ids).decode("utf-8", errors="replace")

    def serialize(self):
        merges = " ".join(f"{a},{b}" for a, b in self.merges)
        return "\n".join([f"{MAGIC} {VERSION} bpe", f"pretokenizer {PRETOKENIZER}",
                          ("merges " + merges) if merges else "merges"])


def _scalar_line(scalars):
    return "scalars " + " ".join(format(ord(c), "x") for c in scalars)


def _field(lines, k, name):
    if k >= len(lines):
        raise TokenizerError(f"line {k + 1} of the tokenizer should start with '{name}'")
    parts = lines[k].split(" ")
    if parts[0] != name:
        raise TokenizerError(f"line {k + 1} of the tokenizer should start with '{name}'")
    return parts[1:]


def read(text):
    """The tokenizer of a serialised form (TokenizerFormat), with the same main checks as `rnn`."""
    lines = text.split("\n")
    head = lines[0].split(" ")
    if len(head) != 3 or head[0] != MAGIC:
        raise TokenizerError(f"not a serialised tokenizer (it must start with '{MAGIC} {VERSION} KIND')")
    if head[1] != VERSION:
        raise TokenizerError(f"tokenizer format version '{head[1]}' is not supported")
    kind = head[2]
    if kind in ("char", "word"):
        scalars = [chr(int(v, 16)) for v in _field(lines, 1, "scalars")]
        if not scalars or any(ord(a) >= ord(b) for a, b in zip(scalars, scalars[1:])):
            raise TokenizerError("line 2 of the tokenizer: scalars must be increasing and not empty")
        if kind == "char":
            used, tokenizer = 2, CharTokenizer(scalars)
        else:
            (min_count,) = _field(lines, 2, "min_count")
            words = [bytes.fromhex(v).decode("utf-8") for v in _field(lines, 3, "words")]
            appended, used = [], 4
            if len(lines) > 4 and lines[4].split(" ")[0] == "appended":
                appended, used = [bytes.fromhex(v).decode("utf-8") for v in _field(lines, 4, "appended")], 5
            tokenizer = WordTokenizer(scalars, words, int(min_count), appended)
    elif kind == "bpe":
        if _field(lines, 1, "pretokenizer") != [PRETOKENIZER]:
            raise TokenizerError(f"line 2 of the tokenizer: not the pre-tokenization '{PRETOKENIZER}'")
        merges = []
        for i, v in enumerate(_field(lines, 2, "merges")):
            a, b = (int(x) for x in v.split(","))
            if a >= 256 + i or b >= 256 + i:
                raise TokenizerError(f"line 3 of the tokenizer: merge {v!r} uses an id not defined before it")
            merges.append((a, b))
        used, tokenizer = 3, BPETokenizer(merges)
    else:
        raise TokenizerError(f"unknown tokenizer kind '{kind}' (expected char, word or bpe)")
    if used != len(lines):
        raise TokenizerError(f"the tokenizer has unexpected content from line {used + 1} on")
    return tokenizer


def from_metadata(meta):
    """The tokenizer of a checkpoint's metadata: `tokenizer` when present (word, BPE), else the
    char tokenizer of `vocab` (a JSON array of one-character strings in id order)."""
    if "tokenizer" in meta:
        return read(meta["tokenizer"])
    return CharTokenizer(json.loads(meta["vocab"]))


def _metadata(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n).decode("utf-8")).get("__metadata__") or {}


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tokenizer = from_metadata(_metadata(argv[1]))
    with open(argv[2], "rb") as f:
        text = f.read().decode("utf-8")
    print(" ".join(map(str, tokenizer.encode(text))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
