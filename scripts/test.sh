#!/usr/bin/env bash
# The README's test command: set up what is missing, then build (release: the numeric tests train
# real models, ~80× faster than a debug build) and run every test. Extra arguments go to
# `swift test` (e.g. `bash scripts/test.sh --filter PyTorchParityTests`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
