#!/usr/bin/env bash
# The README's main command: set up what is missing, build `rnn` in release mode, and run it.
# With no arguments it runs the demo script scripts/shakespeare.rnn through the interpreter (the
# same as `rnn demo`): an LSTM learns the bundled Shakespeare tragedies in under a minute, with
# samples before and after and the loss falling as it trains; any arguments are passed to `rnn`
# instead (`bash scripts/run.sh -i` starts the REPL, `bash scripts/run.sh bench` benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product rnn >&2
if [ "$#" -eq 0 ]; then
  exec .build/release/rnn scripts/shakespeare.rnn
fi
exec .build/release/rnn "$@"
