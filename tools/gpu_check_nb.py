#!/usr/bin/env python
"""Run a notebook as `nbdev-test --flags cuda` would, on a copy, and save the copy with its outputs.

    python tools/gpu_check_nb.py nbs/06_mlo.ipynb OUT/06_mlo_gpu.ipynb

The copy is written next to the notebook as `_gpu_NAME` (nbdev's export and test globs skip names that start with
`_`; .gitignore ignores it), so its cells run from the notebooks' folder, as nbdev-test runs them. The copy leaves out
the cells that call `nbdev_export` (the package must not be regenerated from it); `notest`, `slow` and `experiment`
cells (the project's other `tst_flags`) are skipped, `cuda` cells run. What the cells print streams to stdout as they run, so a log keeps it even when
a cell fails or the run is stopped; nbdev saves a notebook's outputs only when every cell succeeded. The notebook in
the repository is not touched: its CUDA cells' outputs are copied into it by hand from the saved copy.
"""
import json, shutil, sys, time
from pathlib import Path
from nbdev.config import get_config

FORCE = ('cuda',)   # the flags whose cells run; every other flag of the project's `tst_flags` is skipped, as nbdev-test skips it
_flags = get_config(path=Path(__file__).resolve().parents[1]).tst_flags
SKIP = tuple(f for f in (_flags.split() if isinstance(_flags, str) else _flags) if f not in FORCE)

def main(src, dst):
    from nbdev.test import test_nb
    src, dst = Path(src).resolve(), Path(dst).resolve()
    if src.suffix != '.ipynb' or not src.is_file(): sys.exit(f"gpu_check_nb: {src} is not a notebook file")
    if dst == src or dst == src.parent / f'_gpu_{src.name}': sys.exit(f"gpu_check_nb: the copy {dst} would overwrite the notebook; give another path")
    try: nb = json.loads(src.read_text())
    except json.JSONDecodeError as e: sys.exit(f"gpu_check_nb: {src} is not a notebook ({e})")
    nb['cells'] = [c for c in nb['cells'] if 'nbdev_export' not in ''.join(c.get('source', ''))]
    tmp = src.parent / f'_gpu_{src.name}'
    tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    t0 = time.perf_counter()
    try: ok, _ = test_nb(tmp, skip_flags=list(SKIP), force_flags=list(FORCE), basepath=str(src.parent.parent),
                         save=True, cell_timeout=None)
    finally:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(tmp), str(dst))
    print(f"{src.name}: {'ran' if ok else 'FAILED (the saved copy has no outputs; the log above has what the cells printed)'} "
          f"in {time.perf_counter() - t0:.0f} s; copy in {dst}")
    return 0 if ok else 1

if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] in ('-h', '--help'):
        print(__doc__); sys.exit(0 if sys.argv[1:2] in (['-h'], ['--help']) else 2)
    sys.exit(main(*sys.argv[1:]))
