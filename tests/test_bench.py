"`tools/bench_supernet.py`: its workers run on today's package, its operation families and rewrites are right, bad options fail early."
import importlib.util, subprocess, sys
from pathlib import Path
import pytest, torch

TOOL = Path(__file__).resolve().parents[1] / 'tools' / 'bench_supernet.py'
spec = importlib.util.spec_from_file_location('bench_supernet', TOOL)
bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)


def test_supernet_worker_builds_each_preset_supernet():
    "The supernets' fields are today's SearchSpaceConfig's (a renamed field once broke the whole benchmark)."
    for name, (space, shape) in bench.SUPERNETS.items():
        res = bench.worker_supernet(dict(device='cpu', space=space, shape=shape, batches=[1, 2], reps=1, compile=False))
        assert set(res['seconds']) == {1, 2} and all(v > 0 for v in res['seconds'].values()), name


def test_space_fields_maps_pc_k_for_old_revisions():
    import dataclasses
    @dataclasses.dataclass
    class Old: C: int = 4; k: int = 1
    assert bench._space_fields(Old, dict(C=8, pc_k=2)) == dict(C=8, k=2)
    from imtnas.search_space import SearchSpaceConfig
    assert bench._space_fields(SearchSpaceConfig, dict(C=8, pc_k=2)) == dict(C=8, pc_k=2)


@pytest.mark.parametrize('key,shapes,family', [
    ('aten::convolution_backward', [[2, 8, 4, 4], [2, 8, 8, 8], [8, 1, 5, 5]], 'convolution backward, depthwise'),
    ('aten::convolution_backward', [[2, 8, 8, 8], [2, 8, 8, 8], [8, 4, 1, 1]], 'convolution backward, pointwise (1x1)'),
    ('aten::mkldnn_convolution', [[2, 3, 8, 8], [8, 3, 3, 3]], 'convolution forward, dense k x k'),
    ('aten::mkldnn_convolution', [[2, 8, 8, 8], [8, 1, 3, 3]], 'convolution forward, depthwise'),
    ('aten::add_', [[2]], 'elementwise: mul, add, sum (the α mixtures, MMD, SGD)'),
    ('aten::native_batch_norm_backward', [[2]], 'batch norm, forward and backward'),
    ('aten::avg_pool2d_backward', [[2]], 'pooling, forward and backward'),
    ('aten::empty', [[2]], 'other'),
    ('aten::cudnn_convolution', [[2, 8, 8, 8], [8, 4, 1, 1]], 'convolution forward, pointwise (1x1)'),
    ('aten::_conv_depthwise2d', [[2, 8, 8, 8], [8, 1, 5, 5]], 'convolution forward, depthwise'),
    ('aten::cudnn_batch_norm_backward', [[2]], 'batch norm, forward and backward'),
])
def test_op_family(key, shapes, family):
    assert bench._op_family(key, shapes) == family


@pytest.mark.parametrize('stride,dil,k', [(1, 1, 3), (2, 1, 5), (1, 2, 3), (2, 2, 5)])
def test_depthwise_rewrites_equal_aten(stride, dil, k):
    "The two rewrites table 4 times are the same convolution as aten's, values and gradients (float64)."
    torch.manual_seed(0)
    x = torch.randn(2, 6, 9, 9, dtype=torch.float64, requires_grad=True)
    w = torch.randn(6, 1, k, k, dtype=torch.float64, requires_grad=True)
    pad = dil * (k - 1) // 2
    ref = torch.nn.functional.conv2d(x, w, stride=stride, padding=pad, dilation=dil, groups=6)
    g = torch.randn_like(ref)
    gx, gw = torch.autograd.grad(ref, (x, w), g)
    for f in (bench._dw_unfold, bench._dw_shift):
        y = f(x, w, stride, pad, dil)
        assert torch.allclose(y, ref, atol=1e-12)
        hx, hw = torch.autograd.grad(y, (x, w), g)
        assert torch.allclose(hx, gx, atol=1e-12) and torch.allclose(hw, gw, atol=1e-12)


def test_iteration_profile_sums_its_families():
    "Table 3's profile of a small iteration: every family's time is positive and the depthwise backward is among them."
    ov = dict(tasks=['digits', 'mnist5k'], batch_size=8, **{'space.C': 4, 'space.layers': 2, 'space.pc_k': 1,
              'mlo.transfer.n_examples': 2, 'mlo.transfer.n_views': 2})
    res = bench.worker_iteration(dict(device='cpu', overrides=ov, reps=1, profile=True))
    fam = res['profile']['families']
    assert res['seconds'] > 0 and all(v >= 0 for v in fam.values()) and sum(fam.values()) > 0
    assert 'convolution backward, depthwise' in fam and 'convolution forward, pointwise (1x1)' in fam


@pytest.mark.parametrize('args,msg', [(['--batches', '16'], 'at least two distinct batch sizes'),
                                      (['--supernets', 'huge'], "unknown ['huge']"),
                                      (['--batches', 'abc'], 'comma-separated whole numbers'),
                                      (['--device', 'gpu'], "'cpu' or 'cuda'"),
                                      (['--threads', '0'], '--threads must be at least 1'),
                                      (['--reps', '0'], '--reps must be at least 1'),
                                      (['--compare', 'NOT_A_REV'], 'is not a commit'),
                                      (['--compare', 'HEAD', '--batches', '0,16'], 'at least two distinct batch sizes')])
def test_bad_options_fail_before_measuring(args, msg):
    p = subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and msg in p.stderr and 'GFLOP/s' not in p.stdout


def test_gpu_check_nb_runs_cuda_cells_on_a_copy(tmp_path):
    "tools/gpu_check_nb.py runs `cuda` cells, skips `slow` ones and the export call, and leaves the source notebook as it was."
    import json
    mk = lambda s: dict(cell_type='code', execution_count=None, metadata={}, outputs=[], source=s)
    nb = dict(cells=[mk("x = 1"), mk("#| cuda\nprint('cuda cell ran', x)"), mk("#| slow\nraise RuntimeError('slow ran')"),
                     mk("#| hide\nraise RuntimeError('nbdev_export ran')")],
              metadata={'kernelspec': {'name': 'python3', 'language': 'python', 'display_name': 'Python 3'}}, nbformat=4, nbformat_minor=5)
    (tmp_path / 'nbs').mkdir(); src = tmp_path / 'nbs' / 'a.ipynb'; src.write_text(json.dumps(nb))
    before = src.read_text()
    p = subprocess.run([sys.executable, str(TOOL.parent / 'gpu_check_nb.py'), str(src), str(tmp_path / 'out' / 'a.ipynb')],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads((tmp_path / 'out' / 'a.ipynb').read_text())
    texts = [''.join(o.get('text', '')) for c in out['cells'] for o in c.get('outputs', [])]
    assert texts == ['cuda cell ran 1\n'] and len(out['cells']) == 3 and src.read_text() == before


def test_gpu_check_script_and_wheel_list():
    "The GPU script parses, and its wheel list pins the packages the GPU image lacks (fastai, fastcore, nbdev among them)."
    assert subprocess.run(['bash', '-n', str(TOOL.parent / 'gpu_check.sh')]).returncode == 0
    reqs = [l.split('==') for l in (TOOL.parent / 'gpu_wheels.txt').read_text().splitlines() if l and not l.startswith('#')]
    assert all(len(r) == 2 and r[1] for r in reqs)
    assert {'fastai', 'fastcore', 'nbdev', 'higher', 'execnb'} <= {r[0] for r in reqs}


def test_cuda_cells_need_only_cells_that_run_with_them():
    """Every name a `cuda` cell of a chapter reads is defined by a cell that `tools/gpu_check_nb.py` runs before it
    (no `slow`, `notest` or `experiment` flag), imported, or a builtin: a cuda cell that used a slow cell's function
    failed with NameError on the GPU machine and cost the whole notebook's outputs."""
    import ast, builtins, importlib, json, re
    sys.path.insert(0, str(TOOL.parent)); import gpu_check_nb as g
    flag = lambda src: set(re.findall(r'^#\|\s*(\w+)\s*$', src, re.M))
    for nbp in sorted((TOOL.parents[1] / 'nbs').rglob('*.ipynb')):
        cells = [''.join(c['source']) for c in json.loads(nbp.read_text())['cells'] if c['cell_type'] == 'code']
        if not any('cuda' in flag(c) for c in cells): continue
        known = set(dir(builtins)) | {'get_ipython', 'display'}
        for src in cells:
            fl = flag(src)
            if fl & set(g.SKIP) and not fl & set(g.FORCE): continue
            code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!')))
            tree = ast.parse(code)
            if 'cuda' in fl:
                bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda | ast.FunctionDef) for a in n.args.args}
                bound |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
                used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
                missing = used - known - bound
                assert not missing, f"{nbp.name}: a cuda cell reads {sorted(missing)}, which no cell run with it defines"
            for n in tree.body:
                if isinstance(n, ast.FunctionDef | ast.ClassDef): known.add(n.name)
                elif isinstance(n, ast.Import): known |= {(a.asname or a.name).split('.')[0] for a in n.names}
                elif isinstance(n, ast.ImportFrom):
                    for a in n.names:
                        if a.name != '*': known.add(a.asname or a.name); continue
                        m = importlib.import_module(n.module)
                        known |= set(getattr(m, '__all__', None) or [k for k in dir(m) if not k.startswith('_')])
                else: known |= {t.id for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}


def test_gpu_check_tools_refuse_bad_arguments(tmp_path):
    "The GPU tools refuse a copy over the notebook itself, a file that is no notebook and an unknown option, before doing anything."
    nb = TOOL.parents[1] / 'nbs' / '04_mmd.ipynb'
    before = nb.read_text()
    for args, msg in (([str(nb), str(nb)], 'would overwrite the notebook'), ([str(TOOL.parents[1] / 'README.md'), str(tmp_path / 'a.ipynb')], 'is not a notebook')):
        p = subprocess.run([sys.executable, str(TOOL.parent / 'gpu_check_nb.py'), *args], capture_output=True, text=True, timeout=120)
        assert p.returncode == 1 and msg in p.stderr and 'Traceback' not in p.stderr
    assert nb.read_text() == before
    p = subprocess.run(['bash', str(TOOL.parent / 'gpu_check.sh'), '--dowload'], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and 'unknown option --dowload' in p.stderr
