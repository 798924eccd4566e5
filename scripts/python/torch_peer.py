#!/usr/bin/env python3
"""PyTorch benchmark peer for `rnn`'s benchmarks (docs/design.md section 7).

Same model and training as `rnn`: Embedding(V=65, E=64) -> nn.RNN(tanh)/nn.LSTM/nn.GRU(E, H, L)
-> Linear(H, V), sequence-first [T, B], Adam (lr 2e-3), clip_grad_norm_(params, 5), truncated BPTT
with the hidden state carried and detached between chunks, on random tokens (char-rnn style
contiguous streams). For each configuration it measures:
  * train_chars_per_s   B*T characters per optimizer step, after warm-up steps, measured in a fresh
                        subprocess that only trains, so that peak_rss_bytes (ru_maxrss of that
                        process, in bytes; it includes the Python interpreter and libtorch) is the
                        training run's (VmHWM on Linux, see peak_rss_bytes());
  * sample_chars_per_s  batch 1, one character at a time under torch.no_grad(), 2,000 characters,
                        torch.multinomial on softmax(logits / 0.8), each character fetched with
                        .item() as a streaming sampler would; measured with
                        torch.backends.mkldnn.enabled True and False, the better one reported
                        (sample_mkldnn says which);
  * first_char_ms       latency of the first character of a fresh sampling call (zero state, no
                        prime text), after one short warm-up call in the same mkldnn mode;
  * flops_per_char      sum over layers (input D, hidden H, G = 1/3/4 for RNN/GRU/LSTM) of
                        forward 2*G*H*(D+H) plus backward twice that, plus 6*H*V for the output
                        layer (forward and backward);
  * utilisation         flops_per_char * train_chars_per_s / ceiling, the ceiling being the best of
                        a few 2048x2048 float32 torch.mm on the same thread count, measured in the
                        same run before the first and after every configuration, best so far
                        (reported as sgemm_gflops).

Default configurations (when none is named with --cell/--hidden/--layers/--batch/--seq/--embed):
  LSTM H=128 L=1 B=32 T=64; LSTM H=256 L=2 B=32 T=64; LSTM H=512 L=2 B=64 T=64;
  GRU H=256 L=2 B=32 T=64; RNN H=256 L=2 B=32 T=64.
--min-char-rnn: vanilla RNN H=100 L=1, one stream (B=1), T=25, Adagrad lr 0.1 with element-wise
gradient clipping at 5 (Karpathy's min-char-rnn). Add --one-hot to feed one-hot vectors straight
into the RNN as min-char-rnn does (no Embedding; D = V) instead of the project's Embedding model.

Usage (from the repository root):
    python3 scripts/python/torch_peer.py [--threads 2] [--seconds 8 | --steps N] [--json]
    python3 scripts/python/torch_peer.py --cell lstm --hidden 512 --layers 2 --batch 64 --seq 64 --json
    python3 scripts/python/torch_peer.py --min-char-rnn --json
With --json, one JSON object per configuration per line, keys: cell, hidden, layers, embed, batch,
seq, train_chars_per_s, sample_chars_per_s, first_char_ms, peak_rss_bytes, flops_per_char,
utilisation (plus sample_mkldnn, sample_chars_per_s_mkldnn_on/off, sgemm_gflops, threads,
optimizer, precision, input).
--autocast-bf16 trains with the forward pass and loss under torch.autocast("cpu",
dtype=torch.bfloat16) (oneDNN's bf16 kernels; parameters, gradients and Adam stay float32): the
peer of `rnn bench --precision bf16`. Utilisation stays against the float32 torch.mm ceiling.
--train-only skips sampling (its fields are NaN).

Needs `pip install torch` (only for benchmarks and fixtures; the Swift tests never need it).
Timings are wall-clock and noisy on a shared machine: compare ratios measured in the same run.
When the cores are oversubscribed (e.g. other jobs compiling), PyTorch's OpenMP threads wait on
preempted peers at every barrier and --threads 2 on 2 cores can be 10-50x slower than --threads 1
(seen here: LSTM H=128 sampling 35 c/s with 2 threads vs 1,700 c/s with 1); use --threads 1 then.
"""

import argparse
import contextlib
import json
import math
import resource
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 65
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
DEFAULT_CONFIGS = [
    dict(cell="lstm", hidden=128, layers=1, batch=32, seq=64),
    dict(cell="lstm", hidden=256, layers=2, batch=32, seq=64),
    dict(cell="lstm", hidden=512, layers=2, batch=64, seq=64),
    dict(cell="gru", hidden=256, layers=2, batch=32, seq=64),
    dict(cell="rnn", hidden=256, layers=2, batch=32, seq=64),
]


class CharModel(nn.Module):
    """Embedding(V, E) (or one-hot, E = V) -> RNN/LSTM/GRU(E, H, L) -> Linear(H, V), sequence-first."""

    def __init__(self, cell, vocab, embed, hidden, layers, one_hot=False):
        super().__init__()
        self.cell, self.vocab, self.one_hot = cell, vocab, one_hot
        self.encoder = None if one_hot else nn.Embedding(vocab, embed)
        rnn_class = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        kwargs = dict(nonlinearity="tanh") if cell == "rnn" else {}
        self.rnn = rnn_class(vocab if one_hot else embed, hidden, layers, **kwargs)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        inp = F.one_hot(x, self.vocab).float() if self.one_hot else self.encoder(x)
        out, state = self.rnn(inp, state)
        return self.decoder(out.reshape(-1, out.shape[-1])), state

    def zero_state(self, batch):
        h = torch.zeros(self.rnn.num_layers, batch, self.rnn.hidden_size)
        return (h, h.clone()) if self.cell == "lstm" else h


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def flops_per_char(cfg):
    g, h = GATES[cfg["cell"]], cfg["hidden"]
    total = 0
    for layer in range(cfg["layers"]):
        d = (VOCAB if cfg.get("one_hot") else cfg["embed"]) if layer == 0 else h
        total += 3 * 2 * g * h * (d + h)  # forward 2GH(D+H), backward twice that
    return total + 6 * h * VOCAB


def sgemm_ceiling(n=2048, repeats=5):
    """Best FLOP/s of an n x n x n float32 torch.mm (the machine's ceiling on these threads)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = math.inf
    for _ in range(repeats):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 / best


def train_worker(cfg, args):
    """Training only (run in a fresh process): returns chars/s and this process's peak RSS."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    B, T = cfg["batch"], cfg["seq"]
    model = CharModel(cfg["cell"], VOCAB, cfg["embed"], cfg["hidden"], cfg["layers"], cfg.get("one_hot", False))
    if cfg.get("optimizer") == "adagrad":
        opt = torch.optim.Adagrad(model.parameters(), lr=0.1)
        clip = lambda: torch.nn.utils.clip_grad_value_(model.parameters(), 5.0)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
        clip = lambda: torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    # --autocast-bf16: the one line a PyTorch user adds for bf16 (oneDNN's bf16 kernels); the
    # parameters, gradients and Adam's state stay float32, as `rnn`'s `precision bf16` keeps them.
    autocast = ((lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if cfg.get("autocast_bf16")
                else contextlib.nullcontext)
    S = T * 64 + 1
    streams = torch.randint(0, VOCAB, (B, S))
    state = model.zero_state(B)
    cursor = 0

    def step():
        nonlocal state, cursor
        x = streams[:, cursor:cursor + T].t().contiguous()
        y = streams[:, cursor + 1:cursor + T + 1].t().contiguous()
        cursor = 0 if cursor + 2 * T + 1 > S else cursor + T
        with autocast():
            logits, state = model(x, detach(state))
            loss = F.cross_entropy(logits, y.view(-1))
        opt.zero_grad()
        loss.backward()
        clip()
        opt.step()
        return loss

    for _ in range(args.warmup):
        step()
    steps, t0 = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - t0
        if (args.steps and steps >= args.steps) or (not args.steps and elapsed >= args.seconds):
            break
    return {"train_chars_per_s": B * T * steps / elapsed, "train_steps": steps,
            "peak_rss_bytes": peak_rss_bytes()}


def peak_rss_bytes():
    """Peak RSS of this process. Linux carries the parent's RSS at fork time into the child's
    ru_maxrss (it survives the exec), so the exec'd image's own high-water mark, VmHWM, is read
    from /proc when available; elsewhere ru_maxrss (kilobytes on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def sample_once(model, n, temperature=0.8):
    """Sample n characters one at a time; returns (seconds to first char, total seconds)."""
    t0 = time.perf_counter()
    first = None
    with torch.no_grad():
        state = model.zero_state(1)
        x = torch.zeros(1, 1, dtype=torch.long)
        for i in range(n):
            logits, state = model(x, state)
            probs = F.softmax(logits / temperature, dim=-1)
            ch = torch.multinomial(probs, 1).item()
            if i == 0:
                first = time.perf_counter() - t0
            x = torch.tensor([[ch]], dtype=torch.long)
    return first, time.perf_counter() - t0


def measure_sampling(cfg, args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = CharModel(cfg["cell"], VOCAB, cfg["embed"], cfg["hidden"], cfg["layers"], cfg.get("one_hot", False))
    model.eval()
    results = {}
    saved = torch.backends.mkldnn.enabled
    try:
        for enabled in (True, False):
            torch.backends.mkldnn.enabled = enabled
            sample_once(model, 20)
            first, total = sample_once(model, args.sample_chars)
            results[enabled] = (args.sample_chars / total, first * 1000.0)
    finally:
        torch.backends.mkldnn.enabled = saved
    best = max(results, key=lambda k: results[k][0])
    return {"sample_chars_per_s": results[best][0], "first_char_ms": results[best][1], "sample_mkldnn": best,
            "sample_chars_per_s_mkldnn_on": results[True][0], "sample_chars_per_s_mkldnn_off": results[False][0]}


def run_config(cfg, args, ceiling):
    cmd = [sys.executable, __file__, "--_train-worker", json.dumps(cfg), "--threads", str(args.threads),
           "--warmup", str(args.warmup), "--seconds", str(args.seconds), "--steps", str(args.steps)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    train = json.loads(out.strip().splitlines()[-1])
    nan = float("nan")
    sample = (measure_sampling(cfg, args) if not args.train_only else
              {"sample_chars_per_s": nan, "first_char_ms": nan, "sample_mkldnn": None,
               "sample_chars_per_s_mkldnn_on": nan, "sample_chars_per_s_mkldnn_off": nan})
    fpc = flops_per_char(cfg)
    row = {"cell": cfg["cell"], "hidden": cfg["hidden"], "layers": cfg["layers"],
           "embed": VOCAB if cfg.get("one_hot") else cfg["embed"], "batch": cfg["batch"], "seq": cfg["seq"],
           "train_chars_per_s": round(train["train_chars_per_s"], 1),
           "sample_chars_per_s": round(sample["sample_chars_per_s"], 1),
           "first_char_ms": round(sample["first_char_ms"], 3),
           "peak_rss_bytes": train["peak_rss_bytes"],
           "flops_per_char": fpc,
           "utilisation": round(fpc * train["train_chars_per_s"] / ceiling, 4),
           "sample_mkldnn": sample["sample_mkldnn"],
           "sample_chars_per_s_mkldnn_on": round(sample["sample_chars_per_s_mkldnn_on"], 1),
           "sample_chars_per_s_mkldnn_off": round(sample["sample_chars_per_s_mkldnn_off"], 1),
           "train_steps": train["train_steps"],
           "sgemm_gflops": round(ceiling / 1e9, 2), "threads": args.threads,
           "optimizer": cfg.get("optimizer", "adam"),
           "precision": "bf16-autocast" if cfg.get("autocast_bf16") else "fp32", "input": "one-hot" if cfg.get("one_hot") else "embedding"}
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell", choices=["rnn", "lstm", "gru"])
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--layers", type=int)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--seq", type=int)
    ap.add_argument("--embed", type=int)
    ap.add_argument("--steps", type=int, default=0, help="timed training steps (default: run for --seconds)")
    ap.add_argument("--seconds", type=float, default=8.0, help="timed training seconds per configuration")
    ap.add_argument("--warmup", type=int, default=3, help="untimed training steps first")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sample-chars", type=int, default=2000)
    ap.add_argument("--min-char-rnn", action="store_true",
                    help="vanilla RNN H=100 L=1 B=1 T=25, Adagrad lr 0.1, element-wise clip 5")
    ap.add_argument("--one-hot", action="store_true", help="one-hot inputs instead of an Embedding (D = V)")
    ap.add_argument("--json", action="store_true", help="one JSON object per configuration per line")
    ap.add_argument("--autocast-bf16", action="store_true",
                    help="train under torch.autocast('cpu', dtype=torch.bfloat16) (fp32 master weights and Adam)")
    ap.add_argument("--train-only", action="store_true", help="skip the sampling measurement (its fields are NaN)")
    ap.add_argument("--_train-worker", dest="train_worker", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.train_worker:
        print(json.dumps(train_worker(json.loads(args.train_worker), args)))
        return

    torch.set_num_threads(args.threads)
    named = {k: getattr(args, k) for k in ("cell", "hidden", "layers", "batch", "seq") if getattr(args, k) is not None}
    embed = args.embed if args.embed is not None else 64
    if args.min_char_rnn:
        base = dict(cell="rnn", hidden=100, layers=1, batch=1, seq=25, optimizer="adagrad")
        base.update(named)
        configs = [base]
    elif named or args.embed is not None:
        base = dict(cell="lstm", hidden=256, layers=2, batch=32, seq=64)
        base.update(named)
        configs = [base]
    else:
        configs = [dict(c) for c in DEFAULT_CONFIGS]
    for c in configs:
        c["embed"] = embed
        c["one_hot"] = args.one_hot
        c["autocast_bf16"] = args.autocast_bf16

    ceiling = sgemm_ceiling()
    if not args.json:
        print(f"torch {torch.__version__}, {args.threads} threads, sgemm ceiling {ceiling / 1e9:.1f} GFLOP/s "
              f"(2048^3 torch.mm, best of 5); timings are noisy on a shared machine", flush=True)
        print(f"{'cell':>5} {'H':>4} {'L':>2} {'B':>3} {'T':>3} {'train c/s':>10} {'sample c/s':>10} "
              f"{'(mkldnn)':>8} {'1st ms':>7} {'RSS MiB':>8} {'MFLOP/c':>8} {'util':>6}", flush=True)
    for cfg in configs:
        row = run_config(cfg, args, ceiling)
        # The machine is shared: re-measure the ceiling around every configuration and keep the best,
        # so a starved first measurement cannot inflate utilisation.
        best = max(ceiling, sgemm_ceiling(repeats=3))
        if best > ceiling:
            ceiling = best
            row["utilisation"] = round(row["flops_per_char"] * row["train_chars_per_s"] / ceiling, 4)
            row["sgemm_gflops"] = round(ceiling / 1e9, 2)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{row['cell']:>5} {row['hidden']:>4} {row['layers']:>2} {row['batch']:>3} {row['seq']:>3} "
                  f"{row['train_chars_per_s']:>10.0f} {row['sample_chars_per_s']:>10.0f} "
                  f"{'on' if row['sample_mkldnn'] else 'off':>8} {row['first_char_ms']:>7.2f} "
                  f"{row['peak_rss_bytes'] / 2**20:>8.1f} {row['flops_per_char'] / 1e6:>8.2f} "
                  f"{row['utilisation'] * 100:>5.1f}%", flush=True)


if __name__ == "__main__":
    main()
