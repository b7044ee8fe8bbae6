#!/usr/bin/env bash
# The whole test suite: what `make test` runs and what CI (.ci/run) runs. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
BIN="$(dirname "$("$PY" -c 'import sys; print(sys.executable)')")"
export PATH="$BIN:$PATH"
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::FutureWarning"
# Notebooks and tests run two at a time on tiny tensors: one OpenMP thread each uses both cores without the
# spin-waits that make two-thread workers 10-20x slower on a busy 2-core machine (benchmarks set their own).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
ROOT="$PWD"
T0=$SECONDS
step() { echo; echo "==> [$((SECONDS - T0))s] $*"; }
snapshot() { git status --porcelain=v1 --untracked-files=all; git diff; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "git tree before the checks"
START="$(snapshot)"
if [ -n "${CI:-}" ] && [ -n "$START" ]; then echo "$START"; fail "CI expects a clean checkout"; fi

step "nbdev-clean leaves no diff"
nbdev-clean
[ "$(snapshot)" = "$START" ] || { git status --short; git diff --stat; fail "nbdev-clean changed files: run 'make nbs' and commit"; }

step "nbdev-export leaves no diff"
nbdev-export
[ "$(snapshot)" = "$START" ] || { git status --short; git diff --stat; fail "nbdev-export changed the package: run 'make nbs' and commit"; }

step "the package imports from a neutral folder"
( cd "$(mktemp -d)" && "$PY" - <<'PY'
import importlib, pkgutil, imtnas, pathlib
mods = [m.name for m in pkgutil.iter_modules(imtnas.__path__) if not m.name.startswith('_')]
for m in mods: importlib.import_module(f'imtnas.{m}')
print(f"imtnas {imtnas.__version__} from {pathlib.Path(imtnas.__file__).parent}: {', '.join(mods)}")
PY
)
imtnas --help >/dev/null

step "lint: ruff (pyflakes rules: unused imports and names, undefined names) on the package and tests"
"$PY" -m ruff check --quiet imtnas tests tools || fail "ruff found problems: fix them in the notebooks, then 'make nbs'"

step "GitHub workflows: actionlint where installed, else GitHub's workflow schema (check-jsonschema)"
if command -v actionlint >/dev/null; then actionlint .github/workflows/*.yaml || fail "actionlint"
else
  echo "actionlint is not installed (no registry ships it for offline use): checking against the schema only"
  check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yaml || fail "a workflow does not match GitHub's schema"
fi

step "nbdev-test (every notebook; cells time out after 300 s)"
nbdev-test --n-workers 2 --timing --cell-timeout 300

step "pytest tests/"
# two workers, one test file each at a time (a file's tests share fixtures and the torchrun tests one port): ~35% faster here
"$PY" -m pytest tests/ -q -p no:cacheprovider -n 2 --dist loadfile 2>&1 | tee /tmp/imtnas-pytest.log
PYTEST_LINE="$(grep -E '^=*.* (passed|failed|error)' /tmp/imtnas-pytest.log | tail -1)"

step "a wheel built from this tree installs into a fresh virtual environment and runs from a neutral folder"
# pip users get the wheel, not this checkout: build it from a copy of the tracked files (so the tree stays
# clean), install it without --editable into a new venv (torch and the other dependencies come from this
# interpreter's site-packages), and run the README's commands from an empty folder.
W="$(mktemp -d)"; mkdir "$W/src" "$W/run"
git ls-files -co --exclude-standard -z | xargs -0 tar -cf - | tar -xf - -C "$W/src"
"$PY" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w "$W/dist" "$W/src" >/dev/null
WHL="$(ls "$W"/dist/imtnas-*.whl)"
"$PY" -m zipfile -l "$WHL" | grep 'licenses/LICENSE' >/dev/null || fail "the wheel carries no LICENSE file"
"$PY" -m venv --system-site-packages "$W/venv"
"$W/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$WHL"
( cd "$W/run"
  "$W/venv/bin/python" -c 'import imtnas, sys; p = imtnas.__file__; print("imtnas", imtnas.__version__, "from", p); sys.exit(0 if "/venv/" in p else "imported from " + p)'
  "$W/venv/bin/imtnas" --help >/dev/null
  "$W/venv/bin/imtnas" search --preset smoke --no-progress --out-dir "$W/run/runs" >"$W/run/search.log" 2>&1 || { cat "$W/run/search.log"; exit 1; }
  grep -q "^genotype: " "$W/run/search.log" || { cat "$W/run/search.log"; exit 1; }
  tail -1 "$W/run/search.log" | cut -c1-100
) || fail "the installed wheel did not run"
rm -rf "$W"

step "nbdev-proc-nbs builds the site's sources in _proc/"
# nbdev-proc-nbs needs no Quarto, but tries to download and install it (with sudo) when `quarto` is not on
# PATH; these machines are offline, so a stand-in that only answers "not here" keeps the step honest and quiet.
SHIM="$(mktemp -d)"; printf '#!/bin/sh\necho "quarto is not installed on this offline machine" >&2; exit 1\n' > "$SHIM/quarto"; chmod +x "$SHIM/quarto"
command -v quarto >/dev/null || export PATH="$SHIM:$PATH"
nbdev-proc-nbs >/tmp/imtnas-proc.log 2>&1 || { cat /tmp/imtnas-proc.log; fail "nbdev-proc-nbs"; }
grep -i "warn\|error" /tmp/imtnas-proc.log || true
[ -d _proc ] || fail "nbdev-proc-nbs wrote no _proc/"

step "the site in a browser: the offline preview, every page checked in headless Chromium, every chart's controls"
MISSING="$("$PY" -c 'import sys; sys.path.insert(0, "tools"); import check_site; print(check_site.browser_available() or "")')"
if [ -z "$MISSING" ] && command -v npm >/dev/null; then
  "$PY" tools/preview.py --no-proc >/tmp/imtnas-preview.log 2>&1 || { cat /tmp/imtnas-preview.log; fail "the site preview did not build"; }
  tail -1 /tmp/imtnas-preview.log
  "$PY" tools/check_site.py || fail "pages of the site fail in the browser (make check-site)"
  "$PY" tools/check_explorers.py --vega-dir _site_preview/_vendor --out _site_preview/shots/explorers || fail "a chart or one of its controls fails (make check-site)"
else
  echo "skipped: ${MISSING:-npm} not installed here (README: apt-get install -y chromium chromium-driver npm; pip install selenium)"
fi

step "every public name and method has a show_doc entry on the site"
"$PY" tools/check_docs.py _proc || fail "public names without a show_doc entry (listed above)"

step "no notebook over 2 MB"
BIG="$(find nbs -name '*.ipynb' -size +2M)"
[ -z "$BIG" ] || fail "notebooks over 2 MB: $BIG"

step "the tree is still clean"
[ "$(snapshot)" = "$START" ] || { git status --short; fail "the checks left changes in the tree"; }

echo
echo "all checks passed in $((SECONDS - T0))s"
echo "$PYTEST_LINE"
