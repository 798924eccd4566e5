#!/usr/bin/env bash
# Large-corpus memory check: builds a text file of about SIZE_MB megabytes (default 200) in /tmp by
# repeating the bundled corpora and ../shared/corpora/tinyshakespeare.txt, then runs the release
# `rnn` under /usr/bin/time -v twice and prints the file size, peak RSS and wall time of each run:
#   0. baseline: the process with no corpus (binary, libraries, BLAS)
#   1. load only:  c = corpus FILE
#   2. the training path: corpus, a 2-layer LSTM (hidden 128), 20 training steps, eval of the first
#      EVAL_LIMIT characters of the validation split (the whole 20 MB split takes minutes).
#   bash scripts/big_corpus.sh [SIZE_MB] [RNN_BINARY]
# Default binary: .build/release/rnn (build it first: swift build -c release --product rnn).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-200}
rnn=${2:-.build/release/rnn}
file=${BIG_CORPUS:-/tmp/big-corpus-${size_mb}mb.txt}
eval_limit=${EVAL_LIMIT:-200000}
target=$((size_mb * 1000 * 1000))

sources=(corpora/*.txt)
[[ -f ../shared/corpora/tinyshakespeare.txt ]] && sources+=(../shared/corpora/tinyshakespeare.txt)
if [[ ! -f "$file" || $(stat -c %s "$file") -lt $target ]]; then
  echo "== building $file from ${sources[*]}"
  : >"$file.part"
  while [[ $(stat -c %s "$file.part") -lt $target ]]; do cat "${sources[@]}" >>"$file.part"; done
  mv "$file.part" "$file"
fi
bytes=$(stat -c %s "$file")

measure() { # label, rnn -e program
  local label=$1 program=$2 log
  log=$(mktemp)
  /usr/bin/time -v "$rnn" -e "$program" >"$log.out" 2>"$log"
  sed 's/^/   /' "$log.out"
  local rss wall
  rss=$(grep 'Maximum resident set size' "$log" | grep -o '[0-9]*$')
  wall=$(grep 'Elapsed (wall clock)' "$log" | grep -o '[0-9:.]*$')
  printf '%-9s peak RSS %7.1f MiB (%.2f bytes per file byte), wall %s\n' \
    "$label" "$(echo "$rss / 1024" | bc -l)" "$(echo "$rss * 1024 / $bytes" | bc -l)" "$wall"
  rm -f "$log" "$log.out"
}

printf 'file %s: %s bytes (%.1f MiB)\n' "$file" "$bytes" "$(echo "$bytes / 1048576" | bc -l)"
measure "baseline" 'print "no corpus"'
measure "load" "c = corpus \"$file\""
measure "train" "c = corpus \"$file\"; m = lstm c hidden 128 layers 2; train m steps 20 batch 32 seq 64; eval m limit $eval_limit"
