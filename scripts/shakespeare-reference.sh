#!/usr/bin/env bash
# The engine's reference run on tiny-Shakespeare (../shared/corpora/tinyshakespeare.txt, not shipped):
# 2-layer 128-unit LSTM, E=64, Adam lr 2e-3, global-norm clip 5, 90/10 split, B=32, T=64, 2,000 steps,
# validation over the whole validation split (one stream, state carried) every 200 steps.
# The same configuration in PyTorch: python3 scripts/python/torch_shakespeare.py
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/tinyshakespeare.txt}"
[ -f "$corpus" ] || { echo "no corpus at $corpus (pass its path)" >&2; exit 1; }
bash scripts/setup.sh
swift build -c release --product rnn >&2
exec .build/release/rnn demo --corpus "$corpus" --cell lstm --hidden 128 --layers 2 --embed 64 \
  --lr 0.002 --clip 5 --split 0.9 --batch 32 --seq 64 --steps 2000 --eval-every 200 --log-every 100 --threads 2
