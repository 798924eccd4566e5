#!/usr/bin/env bash
# The README's test command: set up what is missing, then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests -c debug
swift test --skip-build --parallel "$@"
