#!/usr/bin/env python3
"""Byte-level BPE: rnn's tokenizer (the built `tokenizer-bench` tool) against Hugging Face `tokenizers`.

Trains a VOCAB-token byte-level BPE on one text and encodes the text batched by lines and as one string,
alternating the two peers round by round in the same run, and prints the best of ROUNDS per peer and
the ratios. Hugging Face is only a benchmark peer (pip install tokenizers), never a test dependency.

  swift build -c release --product tokenizer-bench
  python3 scripts/python/bench_tokenizers.py [--corpus PATH] [--vocab 2048] [--rounds 5] [--threads 2]

Both peers: min frequency 2, GPT-2-style pre-tokenization, no special tokens. rnn's encoder runs on one
thread; Hugging Face's encode_batch on --threads (RAYON_NUM_THREADS). The machine may be shared: the
figures are best-of-rounds and still noisy.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parents[2]


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", default=str(root.parent / "shared/corpora/tinyshakespeare.txt"))
    p.add_argument("--vocab", type=int, default=2048)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--tool", default=str(root / ".build/release/tokenizer-bench"))
    return p.parse_args()


def hugging_face(path, vocab):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    mb = len(text.encode("utf-8")) / 1e6
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab, min_frequency=2, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    t = time.perf_counter()
    tok.train([path], trainer)
    train = time.perf_counter() - t
    t = time.perf_counter()
    batch = tok.encode_batch(lines)
    lines_s = time.perf_counter() - t
    t = time.perf_counter()
    whole = tok.encode(text)
    whole_s = time.perf_counter() - t
    return {
        "train_seconds": train, "encode_lines_mbps": mb / lines_s, "encode_whole_mbps": mb / whole_s,
        "tokens": sum(len(e.ids) for e in batch), "tokens_whole": len(whole.ids), "vocab": tok.get_vocab_size(),
    }


def ours(tool, path, vocab):
    out = subprocess.run([tool, path, str(vocab), "1"], check=True, capture_output=True, text=True).stdout
    return {k: float(v) for k, v, *_ in (line.split() for line in out.splitlines())}


def main():
    a = parse()
    os.environ["RAYON_NUM_THREADS"] = str(a.threads)
    if not Path(a.tool).exists():
        sys.exit(f"{a.tool} not found: swift build -c release --product tokenizer-bench")
    best = {"hf": {}, "rnn": {}}
    for r in range(a.rounds):
        for name, run in (("hf", lambda: hugging_face(a.corpus, a.vocab)), ("rnn", lambda: ours(a.tool, a.corpus, a.vocab)))[:: 1 if r % 2 == 0 else -1]:
            for k, v in run().items():
                keep = min if k == "train_seconds" else max
                best[name][k] = keep(best[name].get(k, v), v)
    hf, rn = best["hf"], best["rnn"]
    size = Path(a.corpus).stat().st_size / 1e6
    print(f"{Path(a.corpus).name}: {size:.2f} MB, vocabulary {a.vocab}, best of {a.rounds} alternating rounds, "
          f"Hugging Face tokenizers on {a.threads} threads, rnn on 1")
    print(f"{'':24}{'Hugging Face':>14}{'rnn':>14}{'rnn / HF':>12}")
    print(f"{'train (s)':24}{hf['train_seconds']:14.3f}{rn['train_seconds']:14.3f}"
          f"{hf['train_seconds'] / rn['train_seconds']:11.1f}x faster")
    for key, label in (("encode_lines_mbps", "encode, lines (MB/s)"), ("encode_whole_mbps", "encode, one string (MB/s)")):
        print(f"{label:24}{hf[key]:14.2f}{rn[key]:14.2f}{rn[key] / hf[key]:11.1f}x")
    print(f"{'tokens (lines)':24}{int(hf['tokens']):14,}{int(rn['tokens']):14,}")
    print(f"{'vocabulary':24}{int(hf['vocab']):14,}{int(rn['vocab']):14,}")


if __name__ == "__main__":
    main()
