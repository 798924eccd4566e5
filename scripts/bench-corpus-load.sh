#!/usr/bin/env bash
# Corpus-load time of byte-level BPE against characters (issue 15: a BPE corpus must load in at
# most 2x the char path's time). Alternates, ROUNDS times (default 3),
#   rnn -e 'c = corpus "DIR"'                          (char)
#   rnn -e 'c = corpus "DIR" tokens bpe vocab VOCAB'   (BPE, VOCAB default 2048)
# under /usr/bin/time -v and prints per round each run's wall time, CPU time (user + sys) and peak
# RSS, and the BPE / char ratios of wall and CPU time. On a shared machine compare within a round:
# absolute times move with the other load, the alternating pair sees about the same.
#   bash scripts/bench-corpus-load.sh [ROUNDS] [DIR] [RNN_BINARY]
# DIR defaults to the 10,000-file folder of tiny-Shakespeare x180 (200.8 MB) that
# `scripts/big_corpus.sh --folder` writes in /tmp (made here when missing).
# Default binary: .build/release/rnn (build it first: swift build -c release --product rnn).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
dir=${2:-}
rnn=${3:-.build/release/rnn}
vocab=${VOCAB:-2048}
[[ -n $dir ]] || dir=$(bash scripts/big_corpus.sh --folder)
[[ -x $rnn ]] || { echo "bench-corpus-load.sh: $rnn is missing (swift build -c release --product rnn)" >&2; exit 1; }

# run PROGRAM: runs rnn once and sets wall, cpu (seconds) and rss (MiB).
run() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$rnn" -e "$1" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
  rm -f "$log"
}

echo "corpus $dir ($(find "$dir" -type f | wc -l) files), tokens bpe vocab $vocab, $rounds rounds, load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%-5s | %-28s | %-28s | %s\n' round "char: wall, CPU, peak RSS" "BPE: wall, CPU, peak RSS" "BPE / char: wall, CPU"
for ((r = 1; r <= rounds; r++)); do
  run "c = corpus \"$dir\""
  char=("$wall" "$cpu" "$rss")
  run "c = corpus \"$dir\" tokens bpe vocab $vocab"
  bpe=("$wall" "$cpu" "$rss")
  printf '%-5s | %6.2f s, %6.2f s, %4d MiB | %6.2f s, %6.2f s, %4d MiB | %.2fx, %.2fx\n' "$r" \
    "${char[0]}" "${char[1]}" "${char[2]}" "${bpe[0]}" "${bpe[1]}" "${bpe[2]}" \
    "$(echo "${bpe[0]} / ${char[0]}" | bc -l)" "$(echo "${bpe[1]} / ${char[1]}" | bc -l)"
done
echo "load average after: $(cut -d' ' -f1 /proc/loadavg)"
