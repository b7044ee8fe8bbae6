#!/usr/bin/env python
"""Run a notebook as `nbdev-test --flags cuda` would, on a copy, and save the copy with its outputs.

    python tools/gpu_check_nb.py nbs/06_mlo.ipynb OUT/06_mlo_gpu.ipynb

The copy leaves out the cells that call `nbdev_export` (the package must not be regenerated from it) and runs from
the notebooks' folder, as nbdev-test runs them; `notest`, `slow` and `experiment` cells are skipped. The notebook in
the repository is not touched: its CUDA cells' outputs are copied into it by hand from the saved copy.
"""
import json, os, sys, time
from pathlib import Path

def main(src, dst, flags=('cuda',), skip=('notest', 'slow', 'experiment')):
    from nbdev.test import test_nb
    src, dst = Path(src).resolve(), Path(dst).resolve()
    nb = json.loads(src.read_text())
    nb['cells'] = [c for c in nb['cells'] if 'nbdev_export' not in ''.join(c.get('source', ''))]
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    os.chdir(src.parent)
    t0 = time.perf_counter()
    ok, _ = test_nb(dst, skip_flags=list(skip), force_flags=list(flags), basepath=str(src.parent.parent), save=True, cell_timeout=None)
    print(f"{src.name}: {'ran' if ok else 'FAILED'} in {time.perf_counter() - t0:.0f} s; outputs in {dst}")
    return 0 if ok else 1

if __name__ == '__main__':
    if len(sys.argv) != 3: sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
