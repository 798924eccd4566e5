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
#
# With --folder [DIR] it only writes the many-documents corpus the README's folder figures use and
# prints its path: ../shared/corpora/tinyshakespeare.txt repeated TIMES times (default 180, 200.8 MB)
# split at line ends into FILES files (default 10,000) in DIR (default /tmp/big-corpus-folder);
# an existing folder with the expected byte total is kept. scripts/bench-corpus-load.sh times it.
#   bash scripts/big_corpus.sh --folder [DIR]      (TIMES=180 FILES=10000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == --folder ]]; then
  folder=${2:-/tmp/big-corpus-folder}
  times=${TIMES:-180}
  files=${FILES:-10000}
  source=../shared/corpora/tinyshakespeare.txt
  [[ -f $source ]] || { echo "big_corpus.sh: $source is missing" >&2; exit 1; }
  expected=$(($(stat -c %s "$source") * times))
  if [[ -d $folder ]] && [[ $(find "$folder" -type f | wc -l) -eq $files ]] &&
    [[ $(find "$folder" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }') -eq $expected ]]; then
    echo "$folder"
    exit 0
  fi
  rm -rf "$folder" "$folder.part"
  mkdir -p "$folder.part"
  whole="$folder.part/whole.txt"
  for ((i = 0; i < times; i++)); do cat "$source"; done >"$whole"
  # -n l/N: N files of about equal size, never splitting a line; names part-00000 … sort as read.
  split -n "l/$files" -a 5 -d "$whole" "$folder.part/part-"
  rm "$whole"
  mv "$folder.part" "$folder"
  echo "$folder"
  exit 0
fi
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
