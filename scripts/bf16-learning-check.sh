#!/usr/bin/env bash
# Issue 19's learning check: a 2×256 LSTM on tiny-Shakespeare (../shared/corpora/tinyshakespeare.txt,
# not shipped), E=64, Adam lr 2e-3, clip 5, 90/10 split, B=32, T=64, 2,000 steps, seed 1, trained
# once in fp32 and once in bf16 (the same seed, so the same start and batches), validation over the
# whole validation split every 200 steps; then both loss curves as docs/bf16-learning.svg.
# The final validation losses should agree within 0.01 nats/char. Usage: bash scripts/bf16-learning-check.sh [corpus]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/tinyshakespeare.txt}"
[ -f "$corpus" ] || { echo "no corpus at $corpus (pass its path)" >&2; exit 1; }
swift build -c release --product rnn >&2
mkdir -p runs
rm -f runs/bf16-check-fp32.jsonl runs/bf16-check-bf16.jsonl
for p in fp32 bf16; do
  .build/release/rnn -e "s = corpus \"$corpus\" split 0.9
lstm_$p = lstm s hidden 256 layers 2 embed 64 dropout 0 seed 1
train lstm_$p steps 2000 seq 64 batch 32 lr 0.002 clip 5 eval_every 200 precision $p log \"runs/bf16-check-$p.jsonl\" log_every 50" &
done
wait
.build/release/rnn -e 'plot "runs/bf16-check-fp32.jsonl" "runs/bf16-check-bf16.jsonl" svg "docs/bf16-learning.svg"'
grep '"kind":"validation"' runs/bf16-check-fp32.jsonl | tail -1
grep '"kind":"validation"' runs/bf16-check-bf16.jsonl | tail -1
