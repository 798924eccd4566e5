#!/usr/bin/env bash
# The README's test command: set up what is missing, check the formatting (swift format lint), then
# build (release: the numeric tests train real models, ~80× faster than a debug build) and run
# every test. Extra arguments go to
# `swift test` (e.g. `bash scripts/test.sh --filter PyTorchParityTests`). Prints one summary line,
# "N passed, F failed, S skipped"; then runs the same tests again under the address and leak
# sanitizers (scripts/asan.sh, its own summary line; RNN_SKIP_ASAN=1 leaves that out). Both builds
# keep the overflow, bounds and precondition checks (every target -O: README, "Build flags"); the
# sanitizer pass sets RNN_CHECKED=1, so it stays fully checked even if RNN_UNCHECKED_TARGETS is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-summary.sh
# --browser: Chromium for the browser test of `serve` (ServeBrowserTests; it skips without it).
bash scripts/setup.sh --browser
# Style first (seconds): the code must match .swift-format (2-space indentation, lines up to 140).
# `swift format format -i FILE` fixes what this reports.
swift format lint --strict --recursive --parallel Sources Tests Package.swift
swift build -c release --build-tests -Xswiftc -enable-testing
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test -c release -Xswiftc -enable-testing --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
print_test_summary "$log"
if [[ ${RNN_SKIP_ASAN:-0} != 1 ]]; then
  bash scripts/asan.sh "$@" || status=1
fi
exit "$status"
