#!/usr/bin/env bash
# The test suite under the address sanitizer (and LeakSanitizer): builds everything — tests, `rnn`,
# `checkpoint-stress` — with -sanitize=address into .build-asan (release, -enable-testing: the
# numeric tests train real models, far too slow in a debug build) and runs every test. The
# end-to-end tests run the sanitized `rnn` too. Leaks inside XCTest, Foundation and the Swift runtime
# are suppressed by scripts/lsan.supp (each entry says why); anything else fails the run.
# Extra arguments go to `swift test` (e.g. `bash scripts/asan.sh --filter SafeTensorsTests`).
# Ends with one summary line, "N passed, F failed, S skipped", and the build and test times.
# RNN_CHECKED=1: every target is compiled -O, even if RNN_UNCHECKED_TARGETS names some for
# -Ounchecked (Package.swift), so this pass is CI's run of the whole suite with the overflow, bounds
# and precondition checks on everywhere, whatever the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-summary.sh
bash scripts/setup.sh
export RNN_CHECKED=1
flags=(-c release -Xswiftc -enable-testing --sanitize=address --scratch-path .build-asan)
start=$(date +%s)
swift build "${flags[@]}" --build-tests
built=$(date +%s)
# detect_leaks: LeakSanitizer at exit of every process (the test bundles and the `rnn` children,
# which inherit these variables). malloc_context_size=10 keeps the suppressions of scripts/lsan.supp
# narrow (see there); raise it to see deeper allocation stacks when chasing a report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=10:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
# The serve fuzz test throws 10,000 malformed requests in the release pass (about 2 minutes); under
# the sanitizers 2,000 of the same generator's requests look for memory errors in a fraction of that.
export RNN_SERVE_FUZZ_REQUESTS=${RNN_SERVE_FUZZ_REQUESTS:-2000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test "${flags[@]}" --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
done_at=$(date +%s)
reports=$(grep -cE "^==[0-9]+==ERROR: (AddressSanitizer|LeakSanitizer)" "$log" || true)
print_test_summary "$log"
echo "asan: $reports sanitizer report(s); build $((built - start)) s, tests $((done_at - built)) s"
if ((reports > 0)) && ((status == 0)); then status=1; fi
exit "$status"
