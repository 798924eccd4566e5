#!/usr/bin/env bash
# The build cost of `serve` (README, "Live view in the browser"): clean release builds of `rnn`,
# exactly what scripts/run.sh builds (`swift build -c release --product rnn`), with and without the
# RNNServe target and its FlyingFox dependency, alternating, in two temporary copies of the
# committed tree (HEAD). The working tree, and its Package.swift, are never touched. The copy
# without the server drops RNNServe, RNNServeTests and FlyingFox from its Package.swift and
# RNNCommands' two serve files (ServeCommand, ServeController), and builds `rnn` whose REPL has no
# server (`serve` there says it works only in a REPL that serves).
#
# Dependencies are fetched once before timing (`swift package resolve`, timed separately); each
# timed build starts from a .build holding only the fetched checkouts. Then, in the copy with the
# server, the two modules' own share: the FlyingFox product alone from clean, and RNNServe +
# FlyingFox + FlyingSocks rebuilt (with the relink of `rnn`) after everything else is built.
#
# Usage: bash scripts/serve-build-cost.sh [ROUNDS]   (default 2; prints one line per build and a summary)
# CPU-heavy: on a shared machine the figures are "under load" (the load average is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/rnn-serve-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
for v in with without; do
  mkdir -p "$work/$v"
  git archive HEAD | tar -x -C "$work/$v"
done

# The copy without the server.
python3 - "$work/without" <<'EOF'
import re, sys, pathlib, shutil
root = pathlib.Path(sys.argv[1])
p = root / "Package.swift"
s = p.read_text()
s = re.sub(r'\n *// The HTTP server of `serve`[^\n]*\n *\.package\(url: "https://github.com/swhitty/FlyingFox"[^\n]*\n', "\n", s)
s = re.sub(r'\n *// `serve`: the web page[^\n]*\n *\.target\(\n *name: "RNNServe",.*?\),\n', "\n", s, flags=re.S)
s = s.replace('"RNNShell", "RNNServe",', '"RNNShell",')
s = re.sub(r'\n *\.testTarget\(name: "RNNServeTests"[^\n]*\n', "\n", s)
code = "\n".join(l for l in s.splitlines() if not l.lstrip().startswith("//"))
assert "RNNServe" not in code and "FlyingFox" not in code, "Package.swift still names the server"
p.write_text(s)
shutil.rmtree(root / "Sources/RNNServe")
shutil.rmtree(root / "Tests/RNNServeTests")
for f in ["ServeCommand.swift", "ServeController.swift"]:
    (root / "Sources/RNNCommands" / f).unlink()
c = root / "Sources/RNNCommands/RNNCommand.swift"
t = c.read_text()
t = t.replace("import RNNServe\n", "").replace(", ServeCommand.self]", "]")
t = t.replace(", host: ServeController())", ")")
assert "Serve" not in t, "RNNCommand.swift still names the server"
c.write_text(t)
EOF

clean() {  # everything in .build but the fetched dependencies
  find "$1/.build" -mindepth 1 -maxdepth 1 ! -name checkouts ! -name repositories ! -name artifacts \
    ! -name workspace-state.json -exec rm -rf {} +
}
timed() {  # LABEL DIR COMMAND…: prints and records "LABEL wall cpu" (seconds; cpu = user + sys)
  local label=$1 dir=$2
  shift 2
  local load0 load1 wall cpu
  load0=$(cut -d' ' -f1 /proc/loadavg)
  if ! (cd "$dir" && /usr/bin/time -o "$work/time.txt" -f "%e %U %S" "$@" >/dev/null 2>"$work/err.log"); then
    tail -20 "$work/err.log" >&2
    exit 1
  fi
  load1=$(cut -d' ' -f1 /proc/loadavg)
  wall=$(awk '{ print $1 }' "$work/time.txt")
  cpu=$(awk '{ print $2 + $3 }' "$work/time.txt")
  printf "%-28s wall %7.1f s  cpu %7.1f s  load average %s -> %s\n" "$label" "$wall" "$cpu" "$load0" "$load1"
  echo "$label $wall $cpu" >>"$work/results"
}

for v in with without; do
  timed "resolve ($v)" "$work/$v" swift package resolve
done
for r in $(seq "$rounds"); do
  for v in with without; do
    clean "$work/$v"
    timed "rnn $v serve (round $r)" "$work/$v" swift build -c release --product rnn
    bytes=$(stat -c %s "$work/$v/.build/release/rnn")
    text=$(size -A "$work/$v/.build/release/rnn" | awk '$1 == ".text" { print $2 }')
    echo "  binary: $bytes bytes ($text bytes of .text)"
    echo "size $v $bytes $text" >>"$work/results"
  done
done
# The server's own modules, in the copy with it: FlyingFox alone from clean; then RNNServe,
# FlyingFox and FlyingSocks recompiled (and rnn relinked) after a full build.
clean "$work/with"
timed "FlyingFox alone (clean)" "$work/with" swift build -c release --target FlyingFox
swift build -c release --product rnn --package-path "$work/with" >/dev/null 2>&1
rm -rf "$work/with/.build/release/"{RNNServe,FlyingFox,FlyingSocks}.build "$work/with/.build/release/rnn"
timed "RNNServe+FlyingFox rebuild" "$work/with" swift build -c release --product rnn

awk '
  $1 == "rnn" && $2 == "with" { wn++; ww += $6; wc += $7 }
  $1 == "rnn" && $2 == "without" { on++; ow += $6; oc += $7 }
  $1 == "size" { size[$2] = $3; text[$2] = $4 }
  END {
    if (wn && on) {
      printf "mean of %d rounds: with serve wall %.1f s (cpu %.1f s), without %.1f s (cpu %.1f s): +%.1f s wall (x%.2f), +%.1f s cpu (x%.2f)\n",
        wn, ww / wn, wc / wn, ow / on, oc / on, ww / wn - ow / on, (ww / wn) / (ow / on), wc / wn - oc / on, (wc / wn) / (oc / on)
      printf "binary: with %d bytes, without %d bytes: +%d bytes (+%.1f%%)\n", size["with"], size["without"],
        size["with"] - size["without"], 100 * (size["with"] - size["without"]) / size["without"]
    }
  }' "$work/results"
