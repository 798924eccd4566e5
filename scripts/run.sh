#!/usr/bin/env bash
# The README's main command: set up what is missing, build `rnn` in release mode, and run it.
# With no arguments it runs the demo (train an LSTM on the bundled Shakespeare tragedies for about
# a minute, then sample); any arguments are passed to `rnn` instead (e.g. `bash scripts/run.sh bench`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product rnn >&2
if [ "$#" -eq 0 ]; then
  exec .build/release/rnn demo
fi
exec .build/release/rnn "$@"
