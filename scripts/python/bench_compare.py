#!/usr/bin/env python3
"""Run `rnn bench` and the PyTorch peer (scripts/python/torch_peer.py) side by side, alternating, and
print the ratio rnn / PyTorch per configuration (min / median / max over the rounds).

Needs `pip install torch` and a release build of rnn (`swift build -c release --product rnn`).
Usage (from the repository root):
    python3 scripts/python/bench_compare.py                       # the standard configurations, 3 rounds
    python3 scripts/python/bench_compare.py --rounds 5 --seconds 10 --config lstm:512:2:64:64
The standard set is LSTM, GRU and RNN at H=128 L=1 B=32 T=64, H=256 L=2 B=32 T=64, H=512 L=2 B=64
T=64 and H=1024 L=1 B=64 T=100, then min-char-rnn's setting (rnn:100:1:1:25:adagrad), which is also
compared with the numpy original (scripts/python/min_char_rnn.py on corpora/shakespeare-tragedies.txt).
With --precision bf16, `rnn bench --precision bf16` alternates with the peer training under
torch.autocast("cpu", dtype=torch.bfloat16) (torch_peer.py --autocast-bf16, training only), and the
standard set is LSTM, GRU and RNN at H=256 L=2 B=32 T=64, H=512 L=2 B=64 T=64 and H=1024 L=1 B=64
T=100 (issue 19's sizes); the table gives training chars/s and the ratio of each round:
    python3 scripts/python/bench_compare.py --precision bf16            # one command, prints the table
    python3 scripts/python/bench_compare.py --precision bf16 --rounds 1 --seconds 2 --config lstm:256:2:32:64
The machine is shared and noisy: the two peers run alternately in the same rounds so the ratio
survives load that comes and goes. Both use the same thread count (--threads, default 2).
"""
import argparse
import json
import statistics
import subprocess
import sys

SIZES = ["128:1:32:64", "256:2:32:64", "512:2:64:64", "1024:1:64:100"]
STANDARD = [f"{cell}:{size}" for size in SIZES for cell in ("lstm", "gru", "rnn")] + ["rnn:100:1:1:25:adagrad"]
MIN_CHAR = "rnn:100:1:1:25:adagrad"
BF16_STANDARD = [f"{cell}:{size}" for size in SIZES[1:] for cell in ("lstm", "gru", "rnn")]


def run_rnn(binary, config, seconds, threads, precision="fp32"):
    out = subprocess.run([binary, "bench", "--json", "--config", config, "--seconds", str(seconds),
                          "--threads", str(threads), "--precision", precision],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_torch(config, seconds, threads, precision="fp32"):
    cell, h, l, b, t = config.split(":")[:5]
    extra = ["--min-char-rnn"] if config.endswith(":adagrad") else []
    extra += ["--autocast-bf16", "--train-only"] if precision == "bf16" else []
    out = subprocess.run([sys.executable, "scripts/python/torch_peer.py", "--json", "--cell", cell, "--hidden", h,
                          "--layers", l, "--batch", b, "--seq", t, "--seconds", str(seconds),
                          "--threads", str(threads)] + extra, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_numpy_min_char_rnn(iters=4000):
    """Karpathy's numpy min-char-rnn (scripts/python/min_char_rnn.py): its training characters per second."""
    out = subprocess.run([sys.executable, "scripts/python/min_char_rnn.py", "--file", "corpora/shakespeare-tragedies.txt",
                          "--iters", str(iters), "--sample-every", "0", "--seed", "1"],
                         check=True, capture_output=True, text=True).stdout
    line = [x for x in out.splitlines() if x.startswith("training:")][-1]
    return float(line.split()[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", action="append", help="cell:H:L:B:T (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--binary", default=".build/release/rnn")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: rnn bench --precision bf16 against PyTorch's bf16 autocast (training only)")
    args = parser.parse_args()
    if args.precision == "bf16":
        return compare_bf16(args)
    configs = args.config or STANDARD
    rows = {c: {"rnn": [], "torch": []} for c in configs}
    for r in range(args.rounds):
        for c in configs:
            order = [("rnn", lambda: run_rnn(args.binary, c, args.seconds, args.threads)),
                     ("torch", lambda: run_torch(c, args.seconds, args.threads))]
            if r % 2:
                order.reverse()
            if c == MIN_CHAR:
                order.append(("numpy", lambda: {"train_chars_per_s": run_numpy_min_char_rnn(),
                                                "sample_chars_per_s": float("nan")}))
            for name, fn in order:
                rows[c].setdefault(name, []).append(fn())
                print(f"round {r + 1} {c} {name}: train {rows[c][name][-1]['train_chars_per_s']:.0f} chars/s, "
                      f"sample {rows[c][name][-1]['sample_chars_per_s']:.0f} chars/s", file=sys.stderr)

    def ratios(c, key):
        return [a[key] / b[key] for a, b in zip(rows[c]["rnn"], rows[c]["torch"])]

    print(f"rnn vs PyTorch, {args.rounds} alternating rounds, {args.threads} threads, {args.seconds:g} s per measurement")
    print(f"sgemm ceiling (rnn's cblas_sgemm 2048²): "
          f"{statistics.median(x['sgemm_gflops'] for c in configs for x in rows[c]['rnn']):.1f} GFLOP/s; "
          f"PyTorch's torch.mm: {statistics.median(x.get('sgemm_gflops', 0) for c in configs for x in rows[c]['torch']):.1f}")
    header = ("config", "rnn train c/s", "torch train c/s", "train ratio min/med/max",
              "rnn sample c/s", "torch sample c/s", "sample ratio min/med/max", "rnn util", "torch util",
              "rnn RSS MB", "torch RSS MB", "rnn eval c/s (1 / B streams)", "rnn 1st char ms", "torch 1st char ms")
    print(" | ".join(header))
    for c in configs:
        tr, sr = ratios(c, "train_chars_per_s"), ratios(c, "sample_chars_per_s")
        med = lambda name, key: statistics.median(x[key] for x in rows[c][name])
        print(" | ".join([
            c, f"{med('rnn', 'train_chars_per_s'):.0f}", f"{med('torch', 'train_chars_per_s'):.0f}",
            f"{min(tr):.2f} / {statistics.median(tr):.2f} / {max(tr):.2f}",
            f"{med('rnn', 'sample_chars_per_s'):.0f}", f"{med('torch', 'sample_chars_per_s'):.0f}",
            f"{min(sr):.1f} / {statistics.median(sr):.1f} / {max(sr):.1f}",
            f"{100 * med('rnn', 'utilisation'):.0f}%", f"{100 * med('torch', 'utilisation'):.0f}%",
            f"{med('rnn', 'peak_rss_bytes') / 1e6:.0f}", f"{med('torch', 'peak_rss_bytes') / 1e6:.0f}",
            f"{med('rnn', 'eval_chars_per_s'):.0f} / {med('rnn', 'eval_batched_chars_per_s'):.0f}",
            f"{med('rnn', 'first_char_ms'):.2f}",
            f"{med('torch', 'first_char_ms'):.2f}"]))
    for c in configs:
        if "numpy" in rows[c]:
            nr = [a["train_chars_per_s"] / b["train_chars_per_s"] for a, b in zip(rows[c]["rnn"], rows[c]["numpy"])]
            print(f"{c}: numpy min-char-rnn trains at "
                  f"{statistics.median(x['train_chars_per_s'] for x in rows[c]['numpy']):.0f} chars/s; "
                  f"rnn / numpy = {min(nr):.1f} / {statistics.median(nr):.1f} / {max(nr):.1f} (min/med/max)")


def compare_bf16(args):
    """rnn bench --precision bf16 against torch.autocast bf16, alternating (one of each per round,
    the order flipped every round); prints training chars/s and rnn / PyTorch per round."""
    configs = args.config or BF16_STANDARD
    rows = {c: {"rnn": [], "torch": []} for c in configs}
    for r in range(args.rounds):
        for c in configs:
            order = [("rnn", lambda: run_rnn(args.binary, c, args.seconds, args.threads, "bf16")),
                     ("torch", lambda: run_torch(c, args.seconds, args.threads, "bf16"))]
            if r % 2:
                order.reverse()
            for name, fn in order:
                rows[c][name].append(fn())
                print(f"round {r + 1} {c} {name} bf16: train {rows[c][name][-1]['train_chars_per_s']:.0f} chars/s",
                      file=sys.stderr, flush=True)
    print(f"rnn bf16 vs PyTorch bf16 autocast (training chars/s), {args.rounds} alternating rounds, "
          f"{args.threads} threads, {args.seconds:g} s per measurement")
    print("config | rnn bf16 | torch autocast | rnn / torch per round | min / med / max | rnn util (bf16 ceiling)")
    for c in configs:
        tr = [a["train_chars_per_s"] / b["train_chars_per_s"] for a, b in zip(rows[c]["rnn"], rows[c]["torch"])]
        med = lambda name: statistics.median(x["train_chars_per_s"] for x in rows[c][name])
        print(" | ".join([
            c, f"{med('rnn'):.0f}", f"{med('torch'):.0f}", " ".join(f"{x:.2f}" for x in tr),
            f"{min(tr):.2f} / {statistics.median(tr):.2f} / {max(tr):.2f}",
            f"{100 * statistics.median(x['utilisation'] for x in rows[c]['rnn']):.0f}%"]))


if __name__ == "__main__":
    main()
