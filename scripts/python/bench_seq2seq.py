#!/usr/bin/env python3
"""Training throughput of the sequence-to-sequence model: `rnn` (the `seq2seq` command and `fit`)
against the same model in PyTorch, run alternately in the same rounds, in training pairs per second.

The model on both sides: a GRU (or --cell) encoder-decoder, E=32, H=--hidden, L=--layers, optional
Luong attention (general score, no input feeding), trained with Adam (lr 3e-3, clip 5) and teacher
forcing on corpora/dates.tsv (90% of it, as `seq2seq … holdout 0.1` trains on), batches of --batch
pairs whose sources share one length (targets padded and masked), exactly as rnn batches them
(the PyTorch side uses the same bucketing; its batches are drawn in a random order too).
rnn's figure is the "pairs/s" it prints after `fit` (the timed steps only, after --warmup steps in the
same process); PyTorch's is measured around its own loop the same way. rnn uses the online CPUs
(at most 8); PyTorch gets as many threads (--threads).

Needs torch and a release build of rnn (swift build -c release --product rnn). From the repository root:
    python3 scripts/python/bench_seq2seq.py                         # GRU H=128, with and without attention
    python3 scripts/python/bench_seq2seq.py --rounds 5 --steps 300 --hidden 256 --cell lstm
The machine may be shared and noisy: the ratio of each round's pair of runs is what to read.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


from seq2seq_torch import Seq2Seq  # noqa: E402  (the module shared with the fixture generator)


def batches(path, batch, holdout=0.1):
    pairs = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8") if "\t" in l and not l.startswith("#")]
    pairs = pairs[: int(len(pairs) * (1 - holdout))]
    src_vocab = {c: i for i, c in enumerate(sorted({c for s, _ in pairs for c in s}))}
    tgt_vocab = {c: i + 1 for i, c in enumerate(sorted({c for _, t in pairs for c in t}))}
    groups = {}
    for s, t in pairs:
        groups.setdefault(len(s), []).append(([src_vocab[c] for c in s], [tgt_vocab[c] for c in t]))
    out = []
    for g in groups.values():
        random.shuffle(g)
        for i in range(0, len(g), batch):
            chunk = g[i:i + batch]
            T = max(len(t) for _, t in chunk) + 1
            src = torch.tensor([s for s, _ in chunk], dtype=torch.long).t().contiguous()
            dec_in = torch.zeros(T, len(chunk), dtype=torch.long)
            tgt = torch.full((T, len(chunk)), -1, dtype=torch.long)
            for b, (_, t) in enumerate(chunk):
                dec_in[1:len(t) + 1, b] = torch.tensor(t)
                tgt[:len(t), b] = torch.tensor(t)
                tgt[len(t), b] = 0
            out.append((src, dec_in, tgt))
    random.shuffle(out)
    return out, len(src_vocab), len(tgt_vocab) + 1


def run_torch(args, attention):
    torch.manual_seed(1)
    random.seed(1)
    data, vs, vt = batches(args.data, args.batch)
    model = Seq2Seq(args.cell, vs, vt, 32, args.hidden, args.layers, attention)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)

    def step(i):
        src, dec_in, tgt = data[i % len(data)]
        opt.zero_grad()
        loss = F.cross_entropy(model(src, dec_in), tgt.view(-1), ignore_index=-1)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        return src.shape[1]

    for i in range(args.warmup):
        step(i)
    start, pairs = time.perf_counter(), 0
    for i in range(args.steps):
        pairs += step(args.warmup + i)
    return pairs / (time.perf_counter() - start)


def run_rnn(args, attention):
    build = (f't = seq2seq "{args.data}" cell {args.cell} hidden {args.hidden} layers {args.layers} embed 32'
             f' attention {"true" if attention else "false"}')
    out = subprocess.run(
        [args.rnn, "-e", build, "-e", f"fit t steps {args.warmup} batch {args.batch} lr 0.003 clip 5 every 100000",
         "-e", f"fit t steps {args.steps} batch {args.batch} lr 0.003 clip 5 every 100000"],
        check=True, capture_output=True, text=True).stdout
    rates = re.findall(r"([\d,]+) pairs/s", out)
    if not rates:
        raise SystemExit("no pairs/s in rnn's output:\n" + out)
    return float(rates[-1].replace(",", ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rnn", default=".build/release/rnn")
    p.add_argument("--data", default="corpora/dates.tsv")
    p.add_argument("--cell", default="gru", choices=["rnn", "lstm", "gru"])
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=min(8, os.cpu_count() or 1),
                   help="PyTorch's threads; rnn uses the online CPUs (at most 8), the default here")
    p.add_argument("--attention", choices=["both", "true", "false"], default="both")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    modes = {"both": [False, True], "true": [True], "false": [False]}[args.attention]
    print(f"{args.cell} H={args.hidden} L={args.layers} batch {args.batch}, {args.steps} timed steps, "
          f"{args.threads} threads, torch {torch.__version__}")
    for attention in modes:
        ratios = []
        for r in range(args.rounds):
            ours, theirs = run_rnn(args, attention), run_torch(args, attention)
            ratios.append(ours / theirs)
            print(f"  attention {str(attention).lower():5}  round {r + 1}: rnn {ours:8.0f} pairs/s   "
                  f"PyTorch {theirs:8.0f} pairs/s   ratio {ours / theirs:.2f}")
        print(f"  attention {str(attention).lower():5}  ratio rnn/PyTorch min {min(ratios):.2f} "
              f"median {statistics.median(ratios):.2f} max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
