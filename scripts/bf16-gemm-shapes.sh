#!/usr/bin/env bash
# The bf16 GEMM kernel of the working tree against the one at REV (default HEAD), on the shapes an
# LSTM's training step runs (scripts/bench/bf16_gemm_shapes.c), single-threaded, GFLOP per
# CPU-second, the two builds alternating ROUNDS times; prints the median of each and their ratio.
# Usage: bash scripts/bf16-gemm-shapes.sh [REV] [ROUNDS]. Needs clang (the Swift toolchain's) and
# a CPU with AVX-512 BF16 (elsewhere both run the portable path).
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}" rounds="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old/include"
for f in bf16gemm.c cpu.c include/bf16gemm.h include/cpu.h; do
  git show "$rev:Sources/CKernels/$f" > "$work/old/$f"
done
build() {  # build DIR OUT: the harness with DIR's kernel, as Package.swift compiles CKernels
  clang -O3 -ffp-contract=off -fno-math-errno -DRNN_BUILD_AVX2=1 -I"$1/include" \
    -o "$2" scripts/bench/bf16_gemm_shapes.c "$1/bf16gemm.c" "$1/cpu.c"
}
build "$work/old" "$work/old-bench"
build Sources/CKernels "$work/new-bench"
for ((r = 0; r < rounds; r++)); do
  "$work/old-bench" 1 | sed 's/^/old /' >> "$work/results"
  "$work/new-bench" 1 | sed 's/^/new /' >> "$work/results"
done
python3 - "$work/results" "$rev" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    who, m, n, k, t, g = line.split()
    rows.setdefault((int(m), int(n), int(k), t), {}).setdefault(who, []).append(float(g))
print(f"{'shape (m×n×k)':<24}{sys.argv[2][:12]:>14}{'working tree':>14}{'ratio':>8}   GFLOP per CPU-second, medians")
for (m, n, k, t), v in rows.items():
    old, new = statistics.median(v["old"]), statistics.median(v["new"])
    name = f"{m}×{n}×{k}" + (" (Aᵀ)" if t == "1" else "")
    print(f"{name:<24}{old:>14.1f}{new:>14.1f}{new / old:>8.2f}")
PY
