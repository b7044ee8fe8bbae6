#!/usr/bin/env python
"""Run a notebook as `nbdev-test --flags cuda` would, on a copy, and save the copy with its outputs.

    python tools/gpu_check_nb.py nbs/06_mlo.ipynb OUT/06_mlo_gpu.ipynb

The copy is written next to the notebook as `_gpu_NAME` (nbdev's export and test globs skip names that start with
`_`; .gitignore ignores it), so its cells run from the notebooks' folder, as nbdev-test runs them. The copy leaves out
the cells that call `nbdev_export` (the package must not be regenerated from it); `notest`, `slow` and `experiment`
cells are skipped, `cuda` cells run. What the cells print streams to stdout as they run, so a log keeps it even when
a cell fails or the run is stopped; nbdev saves a notebook's outputs only when every cell succeeded. The notebook in
the repository is not touched: its CUDA cells' outputs are copied into it by hand from the saved copy.
"""
import json, shutil, sys, time
from pathlib import Path

FORCE, SKIP = ('cuda',), ('notest', 'slow', 'experiment')

def main(src, dst):
    from nbdev.test import test_nb
    src, dst = Path(src).resolve(), Path(dst).resolve()
    nb = json.loads(src.read_text())
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
    if len(sys.argv) != 3: sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
