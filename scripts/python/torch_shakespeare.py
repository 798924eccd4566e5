#!/usr/bin/env python3
"""The PyTorch reference training run on tiny Shakespeare, for comparing `rnn`'s loss curve and time.

Setup (mirrors docs/design.md section 4 and char-rnn):
  * vocabulary = sorted distinct characters of the whole file (Python str, i.e. Unicode scalars);
  * the first n_train = int(0.9 * N) characters train, the rest validate;
  * Embedding(V, 64) -> 2-layer 128-unit nn.LSTM (dropout 0) -> Linear(128, V), sequence-first;
    --dropout p drops between layers (nn.LSTM's dropout) and before the decoder, as rnn does;
  * Adam lr 2e-3, clip_grad_norm_ 5, B = 32 streams, T = 64, 2,000 steps, 2 threads;
    --schedule cosine --warmup W --lr-floor F is rnn's cosine schedule (linear warm-up, then
    cosine to F·lr at --cosine-steps, default --steps); --bf16 runs the forward pass under
    torch.autocast("cpu", dtype=torch.bfloat16) (the issue's one-line bf16);
  * char-rnn batching: the training split is cut into B contiguous streams of length
    S = len(train) // B; a cursor c starts at 0, inputs = streams[:, c:c+T], targets =
    streams[:, c+1:c+T+1], then c += T and, when c + T + 1 > S, c wraps to 0. The hidden state
    starts at zeros and is carried forever (detached between chunks), also across the wrap;
  * every 200 steps and at the end the whole validation split is evaluated as ONE stream, state
    carried from zeros, in chunks of 256 characters; loss = mean cross-entropy over all
    len(val) - 1 predictions.
Prints: step, train loss (mean of the last 200 steps), validation loss in nats and bits/char,
elapsed seconds (wall-clock, evaluation included).

Run from the repository root:
    python3 scripts/python/torch_shakespeare.py [--text ../shared/corpora/tinyshakespeare.txt] [--steps 2000]
Needs `pip install torch` (only for this comparison; the Swift tests never need it).
Timings are wall-clock on whatever else the machine is doing. On an oversubscribed machine use
--threads 1: with 2 OpenMP threads on 2 busy cores every parallel region waits on a preempted thread
(seen here: 186 s vs 29 s for the first 200 steps, identical losses).
"""

import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CharModel(nn.Module):
    def __init__(self, vocab, embed, hidden, layers, dropout=0.0):
        super().__init__()
        self.encoder = nn.Embedding(vocab, embed)
        self.rnn = nn.LSTM(embed, hidden, layers, dropout=dropout)
        self.drop = nn.Dropout(dropout)  # rnn also drops the last layer's output before the decoder
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        out, state = self.rnn(self.encoder(x), state)
        return self.decoder(self.drop(out).reshape(-1, out.shape[-1])), state


def learning_rate(args, k):
    """rnn's schedules (LearningRateSchedule.swift) for update k (0 for the first update)."""
    if args.schedule == "constant":
        return args.lr
    if k < args.warmup:
        return args.lr * k / args.warmup
    total = args.cosine_steps or args.steps
    progress = min((k - args.warmup) / max(total - args.warmup, 1), 1.0)
    return args.lr * (args.lr_floor + (1 - args.lr_floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def zero_state(layers, batch, hidden):
    return (torch.zeros(layers, batch, hidden), torch.zeros(layers, batch, hidden))


@torch.no_grad()
def evaluate(model, val, args):
    """Mean CE (nats) over all len(val)-1 predictions, one stream, state carried, chunks of 256."""
    model.eval()
    state = zero_state(args.layers, 1, args.hidden)
    total, count = 0.0, 0
    n = len(val) - 1
    for start in range(0, n, args.eval_chunk):
        end = min(start + args.eval_chunk, n)
        x = val[start:end].view(-1, 1)
        y = val[start + 1:end + 1]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            logits, state = model(x, state)
        state = tuple(s.float() for s in state)
        total += F.cross_entropy(logits.float(), y, reduction="sum").item()
        count += end - start
    model.train()
    assert count == n
    return total / count


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", default="../shared/corpora/tinyshakespeare.txt")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--embed", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--eval-chunk", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dropout", type=float, default=0.0, help="between layers and before the decoder, as rnn")
    ap.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    ap.add_argument("--warmup", type=int, default=0, help="linear warm-up updates of the cosine schedule")
    ap.add_argument("--cosine-steps", type=int, default=0, help="update at which cosine reaches its floor (default: --steps)")
    ap.add_argument("--lr-floor", type=float, default=0.0, help="floor of the cosine schedule, a fraction of --lr")
    ap.add_argument("--bf16", action="store_true", help="torch.autocast(\"cpu\", dtype=torch.bfloat16) around the forward pass")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    with open(args.text, encoding="utf-8") as f:
        text = f.read()
    vocab = sorted(set(text))
    index = {ch: i for i, ch in enumerate(vocab)}
    data = torch.tensor([index[ch] for ch in text], dtype=torch.long)
    n_train = int(0.9 * len(data))
    train, val = data[:n_train], data[n_train:]
    B, T = args.batch, args.seq
    S = len(train) // B
    streams = train[:B * S].view(B, S)
    print(f"text {args.text}: {len(text)} chars, vocab {len(vocab)}, train {len(train)}, val {len(val)}, "
          f"{B} streams of {S}; LSTM {args.layers}x{args.hidden} E={args.embed}, Adam lr {args.lr}, "
          f"clip {args.clip}, B={B} T={T}, dropout {args.dropout}, schedule {args.schedule}, "
          f"{'bf16 autocast' if args.bf16 else 'fp32'}, threads {args.threads}", flush=True)

    model = CharModel(len(vocab), args.embed, args.hidden, args.layers, args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    state = zero_state(args.layers, B, args.hidden)
    cursor = 0
    recent = []
    t0 = time.perf_counter()
    print(f"{'step':>6} {'train':>8} {'val nats':>9} {'val bpc':>8} {'elapsed s':>10}", flush=True)
    for step in range(1, args.steps + 1):
        x = streams[:, cursor:cursor + T].t().contiguous()
        y = streams[:, cursor + 1:cursor + T + 1].t().contiguous()
        cursor += T
        if cursor + T + 1 > S:
            cursor = 0
        state = tuple(s.detach() for s in state)
        for group in opt.param_groups:
            group["lr"] = learning_rate(args, step - 1)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            logits, state = model(x, state)
        state = tuple(s.float() for s in state)
        loss = F.cross_entropy(logits.float(), y.view(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        recent.append(loss.item())
        recent = recent[-args.eval_every:]
        if step % args.eval_every == 0 or step == args.steps:
            v = evaluate(model, val, args)
            tr = sum(recent) / len(recent)
            print(f"{step:>6} {tr:>8.4f} {v:>9.4f} {v / math.log(2):>8.4f} {time.perf_counter() - t0:>10.1f}",
                  flush=True)
    print(f"done: {args.steps} steps in {time.perf_counter() - t0:.1f} s wall-clock (evaluations included)")


if __name__ == "__main__":
    main()
