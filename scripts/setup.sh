#!/usr/bin/env bash
# One set-up for every entry point: installs what a fresh Debian/Ubuntu machine lacks to build `rnn`
# (OpenBLAS, GNU readline, pkg-config), and only what is missing. Safe to run again and again.
#   bash scripts/setup.sh            the build's system packages
#   bash scripts/setup.sh --python   also the Python tools' packages (scripts/python/requirements.txt:
#                                    torch, safetensors, numpy, pinned; pip installs what is missing)
#   bash scripts/setup.sh --browser  also Chromium (Debian's `chromium`), for the browser test of
#                                    `serve` (scripts/test.sh asks for it; a failed install only
#                                    warns: that test then skips, saying so)
set -euo pipefail

python=0
browser=0
for arg in "$@"; do
  case "$arg" in
    --python) python=1 ;;
    --browser) browser=1 ;;
    *)
      echo "setup: unknown argument '$arg' (usage: bash scripts/setup.sh [--python] [--browser])" >&2
      exit 2
      ;;
  esac
done

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libopenblas-dev libreadline-dev pkg-config; do
  have_pkg "$pkg" || need+=("$pkg")
done

if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if ((browser)) && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium (the browser test of serve)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium; } >&2; then
    echo "setup: warning: could not install chromium; the browser test will skip" >&2
  fi
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: 'swift' is not on PATH; install Swift 6 from swift.org first" >&2
  exit 1
fi

if ((python)); then
  requirements="$(dirname "$0")/python/requirements.txt"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "setup: --python needs python3 with pip (apt-get install python3-pip)" >&2
    exit 1
  fi
  echo "setup: pip install -r $requirements" >&2
  python3 -m pip install -r "$requirements" >&2
fi
