#!/usr/bin/env bash
# The README's main job: the quick IMTNAS search on the two offline tasks (CPU, a few minutes).
# It prints where the genotype and the plots went. Extra arguments go to `imtnas search`.
set -euo pipefail
PY="${PYTHON:-python3}"
BIN="$(dirname "$("$PY" -c 'import sys; print(sys.executable)')")"
export PATH="$BIN:$PATH"
exec imtnas search --preset quick "$@"
