#!/usr/bin/env python3
"""Converts an `rnn` metrics log (`train ... log "runs/m.jsonl"`) to TensorBoard event files with
PyTorch's own writer (torch.utils.tensorboard.SummaryWriter; needs `pip install tensorboard`).

    python3 scripts/python/log_to_tensorboard.py runs/m.jsonl runs/tb
    tensorboard --logdir runs/tb

The log is JSON Lines, one object per line:

    {"kind":"train","step":N,"loss":nats,"bits_per_char":x,"lr":x,"grad_norm":x,"chars_per_s":x,"wall_s":x,"model":"m"}
    {"kind":"validation","step":N,"loss":nats,"bits_per_char":x,"wall_s":x,"model":"m"}

Each model gets its own run (a subfolder of OUTDIR named after `model`, or OUTDIR itself with
--flat), so TensorBoard overlays models trained in one session. Scalars, at `step`, with the
line's `wall_s` as the event's wall time (relative to the conversion's start):

    train/loss, train/bits_per_char, train/lr, train/grad_norm, train/chars_per_s
    validation/loss, validation/bits_per_char

Unknown keys and unknown kinds are ignored (the log may grow); a key that is absent or not a finite
number is skipped. A line that is not a JSON object is an error naming the line, unless
--skip-bad (then counted and reported). Prints what it wrote.
"""

import argparse
import json
import math
import os
import sys
import time

SCALARS = {
    "train": ("loss", "bits_per_char", "lr", "grad_norm", "chars_per_s"),
    "validation": ("loss", "bits_per_char"),
}


class LogError(ValueError):
    pass


def read_log(path, skip_bad=False):
    """The log's records (dicts) in order and the number of bad lines skipped."""
    records, bad = [], 0
    with open(path, "r", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as err:
                if skip_bad:
                    bad += 1
                    continue
                raise LogError(f"{path}:{number}: {err}") from None
            records.append(record)
    return records, bad


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def convert(records, outdir, flat=False, start=None):
    """Writes the scalars of `records` with one SummaryWriter per model; returns
    {model: {tag: count}}."""
    from torch.utils.tensorboard import SummaryWriter

    start = time.time() if start is None else start
    writers, written = {}, {}
    try:
        for record in records:
            kind = record.get("kind")
            step = record.get("step")
            if kind not in SCALARS or isinstance(step, bool) or not isinstance(step, int):
                continue
            model = str(record.get("model", "")) or "model"
            if model not in writers:
                logdir = outdir if flat else os.path.join(outdir, model.replace(os.sep, "_"))
                writers[model] = SummaryWriter(log_dir=logdir)
                written[model] = {}
            wall = _number(record.get("wall_s"))
            for key in SCALARS[kind]:
                value = _number(record.get(key))
                if value is None:
                    continue
                tag = f"{kind}/{key}"
                writers[model].add_scalar(tag, value, global_step=step,
                                          walltime=start + wall if wall is not None else None)
                written[model][tag] = written[model].get(tag, 0) + 1
    finally:
        for w in writers.values():
            w.close()
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log", help="an rnn metrics log (JSON Lines)")
    ap.add_argument("outdir", help="folder for the event files (created)")
    ap.add_argument("--flat", action="store_true", help="all models in OUTDIR itself, not one subfolder each")
    ap.add_argument("--skip-bad", action="store_true", help="skip (and count) lines that are not JSON objects")
    args = ap.parse_args(argv)
    try:
        records, bad = read_log(args.log, skip_bad=args.skip_bad)
        written = convert(records, args.outdir, flat=args.flat)
    except (LogError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except ImportError as err:
        print(f"error: {err} (pip install torch tensorboard)", file=sys.stderr)
        return 1
    for model, tags in written.items():
        where = args.outdir if args.flat else os.path.join(args.outdir, model)
        shown = ", ".join(f"{tag} {n}" for tag, n in sorted(tags.items()))
        print(f"{model}: {where}: {shown}")
    if not written:
        print(f"{args.log}: no train or validation lines; nothing written")
    if bad:
        print(f"skipped {bad} line(s) that are not JSON objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
