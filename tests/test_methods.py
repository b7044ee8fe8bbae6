"The method registry: modules import only what comes before them, every method resumes exactly, and a user's own method runs from the command line."
import ast, csv, dataclasses, json, os, re, subprocess, sys, textwrap
from pathlib import Path
import pytest
import torch
import imtnas.core  # noqa: F401 (first: it silences fastai's torch.jit FutureWarning)
from fastai.callback.core import Callback
from imtnas.methods import available_methods, get_method, CellResult
from imtnas.search import preset, search, RunCheckpoint

ROOT = Path(__file__).parents[1]


def reading_order() -> list[str]:
    "Module names of the notebooks in the order of the site's sidebar."
    nbs = re.findall(r'^\s*- (\S+\.ipynb)\s*$', (ROOT / 'nbs' / 'sidebar.yml').read_text(), flags=re.M)
    out = []
    for nb in nbs:
        cells = json.loads((ROOT / 'nbs' / nb).read_text())['cells']
        m = next((re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source'])) for c in cells if 'default_exp' in ''.join(c['source'])), None)
        if m: out.append(m.group(1))
    return out


def package_imports(module: str) -> set[str]:
    "The `imtnas` modules that `imtnas/<module>.py` imports at module level."
    tree = ast.parse((ROOT / 'imtnas' / f'{module}.py').read_text())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module: out.add(node.module.split('.')[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or '').startswith('imtnas.'): out.add(node.module.split('.')[1])
        elif isinstance(node, ast.Import): out |= {a.name.split('.')[1] for a in node.names if a.name.startswith('imtnas.')}
    return out


def test_no_module_imports_a_later_one():
    order = reading_order()
    mods = sorted(p.stem for p in (ROOT / 'imtnas').glob('[!_]*.py'))
    assert sorted(order) == mods, (order, mods)   # every module has its notebook in the sidebar
    later = [(m, i) for k, m in enumerate(order) for i in package_imports(m) if i not in order[:k]]
    assert not later, f"modules importing one that comes later in the reading order: {later}"


def test_search_and_evaluate_import_no_method_module():
    method_modules = {type(m).__module__.split('.')[-1] for m in available_methods().values()}
    assert {'callbacks', 'baselines'} <= method_modules
    for m in ('search', 'evaluate', 'methods'):
        assert not package_imports(m) & method_modules, (m, package_imports(m) & method_modules)


TINY = {'epochs': 2, 'warmup_epochs': 0, 'epoch_len': 2, 'batch_size': 8, 'eval_batch_size': 512,
        'space.C': 4, 'space.layers': 2, 'space.steps': 2, 'space.multiplier': 2}


class Interrupt(Callback):
    order = RunCheckpoint.order + 1   # right after the first checkpoint
    def after_epoch(self): raise KeyboardInterrupt


def rows(folder):
    return [{k: v for k, v in r.items() if k != 'seconds'} for r in csv.DictReader(open(Path(folder) / 'metrics.csv'))]


@pytest.mark.parametrize("method", sorted(available_methods()) + ['imtnas.random_search:RandomSearch'])
def test_every_method_resumes_exactly(tmp_path, method):
    "An interrupted search of every method, resumed, ends with the metrics and the result of an uninterrupted one."
    m = get_method(method)
    if m.config_type is None: cfg = preset('smoke', method=method, out_dir=str(tmp_path / 'full'), **TINY)
    else: cfg = m.preset('smoke', epochs=2, out_dir=str(tmp_path / 'full'))   # a method with its own config (mtl-nas, aux-nas, conal, conal-pro, bmtas, stl, hps)
    full = search(cfg, progress=False, plots=False)
    part = cfg.replace(out_dir=str(tmp_path / 'part'))
    with pytest.raises(KeyboardInterrupt): search(part, progress=False, plots=False, cbs=[Interrupt()])
    rd, = (tmp_path / 'part').iterdir()
    assert len(rows(rd)) == 1 and not (rd / 'result.json').exists()
    res = search(resume=rd, progress=False, plots=False)
    n_search = sum(r.get('phase') == 'search' for r in rows(full.rundir.path))   # their search epochs, then two of the tree
    if method in ('conal', 'bmtas'): assert n_search == cfg.search_epochs
    elif method == 'conal-pro': assert n_search >= 1   # its stages end once every task is placed
    else: assert n_search == 0
    assert rows(rd) == rows(full.rundir.path) and len(rows(rd)) == 2 + n_search
    if m.config_type is None: assert res.result == full.result and CellResult.load(rd) == full.result
    else: assert dataclasses.replace(res.result, minutes=0) == dataclasses.replace(full.result, minutes=0)   # everything but the time taken
    for a, b in zip(res.learn.model.state_dict().values(), full.learn.model.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert json.loads((rd / 'meta.json').read_text())['method'] == method


USER_MODULE = '''
from imtnas.methods import register_method
from imtnas.random_search import RandomSearch

class FewCandidates(RandomSearch):
    "Random search, the user's variant."
    name = 'my-random'
    description = "a user's random search"

method = FewCandidates()
register_method(method)
'''


def imtnas(*args, cwd, env):
    return subprocess.run([sys.executable, '-c', 'import sys; from imtnas.cli import main; sys.exit(main())', *args],
                          capture_output=True, text=True, cwd=cwd, env=env)


def test_a_user_method_from_the_command_line(tmp_path):
    "`--method module:name` searches, resumes and is evaluated like a built-in method; `imtnas methods --modules` lists it."
    (tmp_path / 'mymethods.py').write_text(textwrap.dedent(USER_MODULE))
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(tmp_path), str(ROOT)]), 'OMP_NUM_THREADS': '2'}
    sets = [f"{k}={v}" for k, v in TINY.items()] + ['baseline.n_candidates=3']
    r = imtnas('search', '--preset', 'smoke', '--method', 'mymethods:method', '--out-dir', str(tmp_path / 'runs'), '--no-progress', '--set', *sets, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    rd, = (tmp_path / 'runs').iterdir()
    assert "final-round validation accuracy: digits:" in r.stdout and str(rd) in r.stdout
    assert json.loads((rd / 'config.json').read_text())['baseline'] == {'n_candidates': 3}
    assert json.loads((rd / 'meta.json').read_text())['method_class'] == 'mymethods.FewCandidates'
    r = imtnas('search', '--resume', str(rd), '--no-progress', cwd=tmp_path, env=env)
    assert r.returncode == 0 and 'nothing to train' in r.stdout, r.stderr
    r = imtnas('search', '--method', 'mymethods:method', '--set', 'baseline.lam=3', '--show-config', cwd=tmp_path, env=env)
    assert r.returncode == 2 and "baseline.lam=3 is not used by method 'mymethods:method'; it applies to il" in r.stderr, r.stderr
    r = imtnas('search', '--method', 'mymethods:nothing', '--show-config', cwd=tmp_path, env=env)
    assert r.returncode == 2 and "module 'mymethods' has no attribute 'nothing'" in r.stderr, r.stderr
    r = imtnas('methods', '--modules', 'mymethods', cwd=tmp_path, env=env)
    assert r.returncode == 0 and re.search(r"^my-random\n    a user's random search\n.*\n.*\n    fields: baseline.n_candidates", r.stdout, flags=re.M), r.stdout
    r = imtnas('evaluate', str(rd), '--epochs', '1', '--n-seeds', '1', '--task', 'digits', '--no-progress', cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    ev, = (rd / 'evals').iterdir()
    assert json.loads((ev / 'summary.json').read_text())['genotype'] == str((rd / 'genotype.json').resolve())


def test_user_method_mistakes_are_one_line(tmp_path):
    "Name collisions, broken modules and unfinished methods are refused in one line, before any folder is made."
    (tmp_path / 'collide.py').write_text("from imtnas.methods import register_method\nfrom imtnas.random_search import RandomSearch\n"
                                         "class Collide(RandomSearch): name = 'darts'\nregister_method(Collide())\n")
    (tmp_path / 'reg1.py').write_text("from imtnas.methods import register_method\nfrom imtnas.random_search import RandomSearch\n"
                                      "class Mine(RandomSearch): name = 'mine'\nregister_method(Mine())\n")
    (tmp_path / 'reg2.py').write_text((tmp_path / 'reg1.py').read_text())
    (tmp_path / 'broken.py').write_text("def f(:\n")
    (tmp_path / 'unfinished.py').write_text("from imtnas.methods import Method\nclass Half(Method): name = 'half'\n")
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(tmp_path), str(ROOT)]), 'OMP_NUM_THREADS': '1'}
    out = tmp_path / 'runs'
    for args, msg in [
        (['search', '--modules', 'collide'], "method name 'darts' is taken by imtnas.baselines.Baseline; register collide.Collide under another name"),
        (['methods', '--modules', 'reg1,reg2'], "method name 'mine' is taken by reg1.Mine; register reg2.Mine under another name"),
        (['search', '--method', 'broken:X'], "importing module 'broken' failed: SyntaxError"),
        (['search', '--method', 'unfinished:Half'], "method 'unfinished:Half' (unfinished.Half) does not implement learner and result"),
        (['search', '--method', 'darts', '--set', 'baseline.n_candidates=3'], "its options (--set baseline.X) are: arch_grad, fd_r"),
    ]:
        r = imtnas(*args, '--out-dir', str(out), '--no-progress', cwd=tmp_path, env=env) if args[0] == 'search' else imtnas(*args, cwd=tmp_path, env=env)
        assert r.returncode == 2 and msg in r.stderr and 'Traceback' not in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert not out.exists()
    r = imtnas('search', '--modules', 'reg1', '--method', 'mine', '--show-config', cwd=tmp_path, env=env)   # a short name, once its module is imported
    assert r.returncode == 0 and json.loads(r.stdout)['method'] == 'mine', r.stderr


def test_a_method_changed_in_place_is_caught():
    cfg = preset('smoke', method='darts')
    cfg.method = 'imtnas.random_search:RandomSearch'   # configs are plain dataclasses; replace(method=...) converts the options
    with pytest.raises(ValueError, match="SearchConfig.baseline is a MethodConfig, but method 'imtnas.random_search:RandomSearch' takes RandomSearchConfig options"):
        search(cfg, progress=False, plots=False)
