#!/usr/bin/env python3
"""One-off measurement: PyTorch's checkpoint save/load times and file sizes for the issue-3
comparison model, an LSTM with V=65, E=64, H=512, L=2 (3,322,497 parameters), with Adam state.

Formats measured (each written to a fresh file, `--repeats` times; median and best reported):
  torch.save    {"model": state_dict, "optimizer": Adam.state_dict()} -> torch.load(weights_only=True)
  safetensors   model tensors + `optimizer.step` + `optimizer.exp_avg.<name>` /
                `optimizer.exp_avg_sq.<name>` (the layout `rnn` writes) -> safetensors.torch.load_file
and the same two for the model alone. safetensors' load_file maps the file (tensors are read
lazily), so "load + copy" also clones every tensor into private memory; torch.load(mmap=True)
is shown the same way. "save+fsync" adds an fsync of the file (as `rnn`'s atomic
write does; neither PyTorch writer syncs by itself). Loads read a file that is in the page cache
(just written), so they measure parsing and copying, not the disk. It also times the CRC-32C of
all tensor bytes with scripts/python/rnn_torch.py's implementation (what its save_checkpoint adds).

Usage: python3 scripts/python/checkpoint_bench.py [--repeats 5] [--threads 1] [--dir DIR] [--json]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rnn_torch import CharRNN, crc32c  # noqa: E402


def build(seed=0):
    torch.manual_seed(seed)
    model = CharRNN("lstm", 65, 64, 512, 2)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    x = torch.randint(0, 65, (16, 4))
    logits, _ = model(x, model.zero_state(4))
    nn.functional.cross_entropy(logits.view(-1, 65), torch.randint(0, 65, (64,))).backward()
    opt.step()  # Adam state (step, exp_avg, exp_avg_sq) now exists for every parameter
    return model, opt


def flat_safetensors(model, opt, with_optimizer):
    tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    if with_optimizer:
        names = dict(zip([id(p) for p in model.parameters()], [n for n, _ in model.named_parameters()]))
        step = None
        for p, s in opt.state.items():
            name = names[id(p)]
            tensors[f"optimizer.exp_avg.{name}"] = s["exp_avg"].contiguous()
            tensors[f"optimizer.exp_avg_sq.{name}"] = s["exp_avg_sq"].contiguous()
            step = int(s["step"])
        tensors["optimizer.step"] = torch.tensor([step], dtype=torch.int64)
    return tensors


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def owned(obj):
    """Copies every tensor in a (nested) loaded object into private memory, so that an mmap-backed
    load (safetensors' load_file, torch.load(mmap=True)) has actually read the bytes."""
    if torch.is_tensor(obj):
        return obj.clone()
    if isinstance(obj, dict):
        return {k: owned(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [owned(v) for v in obj]
    return obj


def fsync_path(path):
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dir", default=None, help="where to write the files (default: a temporary directory)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    from safetensors.torch import load_file, save_file

    model, opt = build()
    params = sum(p.numel() for p in model.parameters())
    workdir = tempfile.mkdtemp(prefix="ckpt-bench-", dir=args.dir)
    rows = []
    try:
        for with_opt in (True, False):
            what = "model+adam" if with_opt else "model"
            # torch.save
            path = os.path.join(workdir, f"torch-{what}.pt")
            obj = {"model": model.state_dict(), "optimizer": opt.state_dict()} if with_opt else model.state_dict()
            save = timed(lambda: torch.save(obj, path), args.repeats)
            save_sync = timed(lambda: (torch.save(obj, path), fsync_path(path)), args.repeats)
            load = timed(lambda: torch.load(path, weights_only=True), args.repeats)
            load_mmap = timed(lambda: owned(torch.load(path, weights_only=True, mmap=True)), args.repeats)
            rows.append({"format": "torch.save", "contents": what, "bytes": os.path.getsize(path),
                         "save_s": save, "save_fsync_s": save_sync, "load_s": load, "load_mmap_owned_s": load_mmap})
            # safetensors
            path = os.path.join(workdir, f"st-{what}.safetensors")
            tensors = flat_safetensors(model, opt, with_opt)
            save = timed(lambda: save_file(tensors, path, metadata={"format": "rnn-playground"}), args.repeats)
            save_sync = timed(lambda: (save_file(tensors, path, metadata={"format": "rnn-playground"}),
                                       fsync_path(path)), args.repeats)
            load = timed(lambda: load_file(path), args.repeats)
            load_owned = timed(lambda: owned(load_file(path)), args.repeats)
            crc = timed(lambda: [crc32c(t.view(torch.uint8).numpy().tobytes()) for t in tensors.values()], 1)
            rows.append({"format": "safetensors", "contents": what, "bytes": os.path.getsize(path),
                         "save_s": save, "save_fsync_s": save_sync, "load_s": load,
                         "load_owned_s": load_owned, "crc32c_s": crc[0]})
    finally:
        for name in os.listdir(workdir):
            os.unlink(os.path.join(workdir, name))
        os.rmdir(workdir)

    if args.json:
        for r in rows:
            print(json.dumps(dict(r, params=params, threads=args.threads, torch=torch.__version__)))
        return
    print(f"LSTM V=65 E=64 H=512 L=2: {params:,} parameters ({4 * params:,} bytes of F32); "
          f"torch {torch.__version__}, {args.threads} thread(s), {args.repeats} repeats, median (best) seconds")
    print(f"{'format':<12} {'contents':<11} {'bytes':>11} {'save':>15} {'save+fsync':>15} {'load':>15}  extra")
    for r in rows:
        f = lambda p: f"{p[0]:.4f} ({p[1]:.4f})"
        extra = (f"torch.load(mmap=True) + copy {f(r['load_mmap_owned_s'])}" if "load_mmap_owned_s" in r
                 else f"load + copy {f(r['load_owned_s'])}; crc32c of all tensors (rnn_torch) {r['crc32c_s']:.3f}")
        print(f"{r['format']:<12} {r['contents']:<11} {r['bytes']:>11,} {f(r['save_s']):>15} "
              f"{f(r['save_fsync_s']):>15} {f(r['load_s']):>15}  {extra}")


if __name__ == "__main__":
    main()
