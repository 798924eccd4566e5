#!/usr/bin/env bash
# Builds the libFuzzer targets (FuzzLanguage, FuzzCheckpoint, FuzzCorpus) with the fuzzer and address
# sanitizers into .build-fuzz and runs each for SECONDS (default 600), two at a time (one per core).
# Seeds come from Tests/FuzzSeeds/<target>; the growing corpus, crash files and logs go to
# .build-fuzz/out/<target>/. Prints executions and findings per target.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# Replay a crash with the plain (non-fuzzing) build:  swift build -c release --product FuzzLanguage
#   && .build/release/FuzzLanguage CRASH-FILE   (or the fuzz binary: .build-fuzz/release/FuzzLanguage CRASH-FILE)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(FuzzLanguage FuzzCheckpoint FuzzCorpus)
jobs=${FUZZ_JOBS:-2}
scratch=.build-fuzz
flags=(-c release --scratch-path "$scratch"
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
# RNN_CHECKED=1: Package.swift compiles every target -O even if RNN_UNCHECKED_TARGETS names some
# for -Ounchecked, so the fuzzer sees the overflow, bounds and precondition checks everywhere.
export RNN_CHECKED=1
for t in "${targets[@]}"; do
  echo "== building $t"
  swift build "${flags[@]}" --product "$t" 2>&1 | grep -E "error|warning: unre|Compiling|complete" | tail -n 3
done
bin=$(swift build "${flags[@]}" --show-bin-path)

run() {
  local t=$1 out=$scratch/out/$1
  mkdir -p "$out/corpus" "$out/crashes"
  # LeakSanitizer is on (libFuzzer checks each input that mallocs more than it frees); set
  # ASAN_OPTIONS=detect_leaks=0 to turn it off.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$bin/$t" "$out/corpus" "Tests/FuzzSeeds/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/crashes/" >"$out/log.txt" 2>&1 || true
}
summary() {
  local t=$1 out=$scratch/out/$1
  local execs secs crashes
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log.txt" | grep -o '[0-9]*$' || echo "?")
  secs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$out/log.txt" | grep -o '[0-9]*$' || echo "?")
  crashes=$(find "$out/crashes" -type f | wc -l)
  echo "$t: ${execs:-?} executions (${secs:-?}/s) in ${seconds}s, corpus $(find "$out/corpus" -type f | wc -l) files, findings $crashes"
  find "$out/crashes" -type f -printf '  %p\n'
  grep -m1 -E "^==[0-9]+==ERROR|Fatal error|SUMMARY" "$out/log.txt" | sed 's/^/  /' || true
}

pids=()
for t in "${targets[@]}"; do
  run "$t" &
  pids+=($!)
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
wait
echo "== fuzzing results (logs in $scratch/out/<target>/log.txt)"
for t in "${targets[@]}"; do summary "$t"; done
