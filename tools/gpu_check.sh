#!/usr/bin/env bash
# The GPU checks in one prepared run, sized for the few minutes of a lent GPU machine.
#
#   bash tools/gpu_check.sh --download   # here, where pip reaches the registries: wheels of tools/gpu_wheels.txt into .whl/
#   bash tools/gpu_check.sh [OUT]        # there (carry .whl): figures and logs into OUT (default $OUT, else gpu_check/)
#
# On the GPU machine it installs the carried wheels into /tmp/site (nothing is fetched there), puts this checkout on
# PYTHONPATH, and runs, each step under its own time limit so that one slow step leaves the others their figures:
#   1. tools/bench_supernet.py --device cuda: the paper and tiny supernets at batches 1-256 (fixed cost per call, cost
#      per image, FLOP/s, peak memory), one IMTNAS iteration, and where an iteration's GPU time goes;
#   2. nbs/06_mlo.ipynb with its `cuda` cells (tools/gpu_check_nb.py: a copy, saved with its outputs to
#      OUT/06_mlo_gpu.ipynb, what the cells print also in OUT/mlo_cuda.txt): every chain on the GPU against the CPU,
#      the memory and time of each hypergradient mode, and Table 5 (stored against generated weights, against
#      single-task PC-DARTS), at the paper's supernet size;
#   3. the supernets eager and torch.compile'd at batches 1 and 64 (compile seconds reported), no iterations.
# The limits (seconds) add up to 480, inside one call of the device tool: run it with timeout_s=540 or so.
# The exit status is 1 if any step failed or ran out of time.
# Copy what step 2 printed into the committed notebook's cuda cells by hand; the CPU cells' outputs stay this machine's.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${1:-}" = "--download" ]; then
    rm -rf .whl
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any \
        -d .whl -r tools/gpu_wheels.txt || exit 1
    echo "$(ls .whl | wc -l) wheels, $(du -sh .whl | cut -f1), in .whl/: name .whl in the run's carry"
    exit 0
fi
case "${1:-}" in
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "gpu_check.sh: unknown option $1 (--download, --help, or an output folder)" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "gpu_check.sh: one output folder at most, got: $*" >&2; exit 2; }
OUT_DIR="${1:-${OUT:-gpu_check}}"; mkdir -p "$OUT_DIR"
T1="${GPU_CHECK_BENCH_S:-130}" T2="${GPU_CHECK_NB_S:-250}" T3="${GPU_CHECK_COMPILE_S:-100}"
if ! python3 -c 'import fastai, fastcore, nbdev, execnb, IPython, higher, mlxtend, altair' 2>/dev/null; then
    [ -d .whl ] || { echo "no .whl/ here: run 'bash tools/gpu_check.sh --download' where pip works, and carry .whl"; exit 1; }
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 MPLBACKEND=Agg
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee "$OUT_DIR/gpu.txt"
python3 -c "import torch, imtnas; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'imtnas from', imtnas.__file__)" 2>&1 | tee -a "$OUT_DIR/gpu.txt"
python3 -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'gpu_check.sh: torch sees no CUDA device on this machine: nothing to check')" || exit 1
FAILED=""
step() { local name=$1 limit=$2; shift 2; echo "==> [$(date +%T)] $name (at most ${limit} s)"
         timeout -k 10 "$limit" "$@" > "$OUT_DIR/$name.txt" 2>&1; local rc=$?; tail -40 "$OUT_DIR/$name.txt"
         echo "==> $name: rc=$rc$([ $rc = 124 ] && echo ' (ran out of time)')"; [ $rc = 0 ] || FAILED="$FAILED $name"; }
step bench "$T1" python3 tools/bench_supernet.py --device cuda --supernets paper,tiny --rounds 1 --reps 5 --out "$OUT_DIR/bench.json"
step mlo_cuda "$T2" python3 tools/gpu_check_nb.py nbs/06_mlo.ipynb "$OUT_DIR/06_mlo_gpu.ipynb"
step bench_compiled "$T3" python3 tools/bench_supernet.py --device cuda --supernets paper,tiny --batches 1,64 --rounds 1 --reps 5 --compile --skip-iterations --out "$OUT_DIR/bench_compiled.json"
echo "figures in $OUT_DIR: $(ls "$OUT_DIR" | tr '\n' ' ')"
[ -z "$FAILED" ] || { echo "failed:$FAILED"; exit 1; }
