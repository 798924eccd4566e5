# Sourced by scripts/test.sh and scripts/asan.sh: print_test_summary LOG prints the one summary
# line "N passed, F failed, S skipped" from the last XCTest "Executed …" line of a `swift test` log.
print_test_summary() {
  local summary re total skipped failed
  summary=$(grep -E "Executed [0-9]+ tests?, with " "$1" | tail -n 1 || true)
  re='Executed ([0-9]+) tests?, with (([0-9]+) tests? skipped and )?([0-9]+) failures?'
  if [[ $summary =~ $re ]]; then
    total=${BASH_REMATCH[1]}
    skipped=${BASH_REMATCH[3]:-0}
    failed=${BASH_REMATCH[4]}
    echo "$((total - skipped - failed)) passed, $failed failed, $skipped skipped"
  fi
}
