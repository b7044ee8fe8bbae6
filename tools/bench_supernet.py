#!/usr/bin/env python
"""Where the time of a search goes: the search-time supernet and one IMTNAS iteration, optionally against another revision.

    python tools/bench_supernet.py                      # this checkout, 1 thread
    python tools/bench_supernet.py --compare HEAD~1     # ... and the same measurements at another git revision
    python tools/bench_supernet.py --device cuda --compile --out bench.json

Table 1, for the `tiny` and `paper` presets' supernets: forward+backward seconds (cross-entropy through a linear
head) at batches 1, 16, 64 and 256; the fixed cost of one call (where the line through the two smallest batches
meets B = 0) and the cost per image (the slope between the two largest; a least-squares line through all four is
useless here, because the time grows faster than linearly once the activations leave the caches); FLOPs per image of forward+backward (the forward pass counted by `torch.utils.flop_counter`,
times 3), on the edge-by-edge reference cells and on the vectorised ones (equal: vectorising adds no arithmetic);
and the FLOP/s achieved at the largest batch next to a dense 512×512 matmul timed in the same process. On a GPU also the peak memory per batch, and with `--compile` the same for `torch.compile`d encoders.

Table 2: one first-order IMTNAS iteration (K=2, M=2) on two fixed configurations: the `tiny` preset as it was
before the vectorised supernet (C=4, k=2, literal objective) and today's `tiny` preset.

Table 3: where one iteration of today's `tiny` preset goes: the self time of its aten operations under `torch.profiler`,
summed by family (convolutions split into depthwise, pointwise and dense, forward and backward), in this checkout only.
On a CPU the depthwise convolutions' backward is the largest family (about 30% on 2026-12-03).

Table 4 (`--depthwise`): whether that backward can be bought cheaper: one depthwise convolution of the tiny supernet's
sizes, forward+backward, as aten runs it, as im2col (`F.unfold`) times the weights, and as k*k shifted slices
(both checked equal to aten's first). On the 2-core CPU machine (2026-12-03, four runs) im2col was slower throughout;
shift-and-add was slower at 5x5 and about even at 3x3 (faster in some runs, slower in others), never enough to pay for
a rewrite that would also change the rounding of every committed result.

Every measurement runs in a fresh process (`--worker`); with `--compare REV` the revision is checked out into a
temporary git worktree, and the two are measured alternately (this, REV, this, REV, ...) so that a change in the
machine's load hits both alike. Ratios are REV's time over this checkout's. Run one benchmark at a time: two heavy
processes on a 2-core machine slow each other down many times over.
"""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCHES = (1, 16, 64, 256)
# the supernets of the presets (as SearchSpaceConfig fields) and their inputs (channels, side)
SUPERNETS = {
    'tiny':  (dict(C=8, layers=3, steps=4, multiplier=4, stem_multiplier=2, pc_k=2), (1, 16, 16)),
    'paper': (dict(C=16, layers=8, steps=4, multiplier=4, stem_multiplier=3, pc_k=4), (3, 32, 32)),
}
# table 4: depthwise convolutions as the tiny supernet's edges run them (channels: edges x C/k stacked; batch 32)
DEPTHWISE_CASES = [(64, 16, 5, 2, 1), (64, 16, 3, 2, 2), (32, 16, 5, 1, 1), (32, 16, 3, 1, 2)]
# IMTNAS iterations: SearchConfig overrides (dotted names) that every revision understands
_TASKS = dict(tasks=['digits', 'mnist5k'], batch_size=32)
ITERATIONS = {
    'old tiny preset (C=4, k=2, literal objective)': dict(_TASKS, **{
        'space.C': 4, 'space.layers': 3, 'space.pc_k': 2, 'space.stem_multiplier': 2, 'mlo.w_lr': 0.05, 'mlo.h_lr': 0.1,
        'mlo.transfer.n_examples': 4, 'mlo.transfer.n_views': 4}),
    'tiny preset (C=8, k=2, task+transfer)': dict(_TASKS, **{
        'space.C': 8, 'space.layers': 3, 'space.pc_k': 2, 'space.stem_multiplier': 2, 'mlo.w_lr': 0.2, 'mlo.h_lr': 0.2,
        'mlo.encoder_objective': 'task+transfer', 'mlo.transfer.n_examples': 4, 'mlo.transfer.n_views': 4}),
}

# ---------------------------------------------------------------- workers (run in a fresh process, at any revision)
def _sync(dev):
    import torch
    if dev.type == 'cuda': torch.cuda.synchronize(dev)

def _median_time(f, dev, reps):
    f(); _sync(dev)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); _sync(dev); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def _space_fields(cls, space):
    "`space` for this revision's SearchSpaceConfig: PC-DARTS's k was the field `k` before it was named `pc_k`."
    import dataclasses
    names = {f.name for f in dataclasses.fields(cls)}
    return {('k' if k == 'pc_k' and 'pc_k' not in names else k): v for k, v in space.items()}

def worker_supernet(job):
    "Forward+backward seconds of a supernet at each batch size (and peak memory on a GPU)."
    import torch, torch.nn.functional as F
    from imtnas.search_space import SearchSpaceConfig, SupernetEncoder, Architecture
    dev = torch.device(job['device'])
    cfg = SearchSpaceConfig(**_space_fields(SearchSpaceConfig, job['space']))
    c, h, w = job['shape']
    torch.manual_seed(0)
    enc = SupernetEncoder(cfg, in_channels=c).to(dev)
    arch, head = Architecture.from_config(cfg).to(dev), torch.nn.Linear(enc.out_dim, 10).to(dev)
    t0 = time.perf_counter()
    call = torch.compile(enc) if job.get('compile') else enc
    out = dict(seconds={}, peak_mb={}, compile_seconds=None)
    for i, bs in enumerate(job['batches']):
        x, y = torch.rand(bs, c, h, w, device=dev), torch.randint(0, 10, (bs,), device=dev)
        step = lambda: F.cross_entropy(head(call(x, arch)), y).backward()
        if i == 0 and job.get('compile'):
            step(); _sync(dev); out['compile_seconds'] = time.perf_counter() - t0
        if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
        out['seconds'][bs] = _median_time(step, dev, job['reps'] if bs < 100 or dev.type == 'cuda' else 2)
        if dev.type == 'cuda': out['peak_mb'][bs] = torch.cuda.max_memory_allocated(dev) / 2**20
    return out

def worker_iteration(job):
    "Seconds of one first-order IMTNAS iteration (median over `reps` distinct batches, after one warm-up)."
    import torch
    from imtnas.search import SearchConfig
    from imtnas.data import get_task, multitask_dls
    from imtnas.mlo import IMTNASModel, IMTNASEngine
    dev = torch.device(job['device'])
    cfg = SearchConfig().replace(**job['overrides'])
    torch.manual_seed(0)
    tasks = [get_task(t) for t in cfg.tasks]
    dls = multitask_dls(tasks, bs=cfg.batch_size, n_aug=cfg.mlo.transfer.n_examples, seed=0, device=dev)
    model = IMTNASModel([t.spec for t in tasks], cfg.space, rounds=cfg.mlo.rounds).to(dev)
    eng = IMTNASEngine(model, cfg.mlo)
    it = iter(dls.train)
    eng.step(next(it)); _sync(dev)
    ts = []
    for _ in range(job['reps']):
        b = next(it); t0 = time.perf_counter(); eng.step(b); _sync(dev); ts.append(time.perf_counter() - t0)
    out = dict(seconds=statistics.median(ts), all=ts)
    if job.get('profile'): out['profile'] = profile_iteration(eng, it, job['reps'], dev)
    return out

# the families of aten operations that table 3 reports (an operation not named here counts as 'other')
FAMILIES = {
    'elementwise: mul, add, sum (the α mixtures, MMD, SGD)': ('mul', 'add', 'add_', 'sum', 'sub', 'div'),
    'matmul, linear': ('mm', 'addmm', 'addmv_', 'bmm'),
    'batch norm, forward and backward': ('native_batch_norm', 'native_batch_norm_backward', 'cudnn_batch_norm', 'cudnn_batch_norm_backward'),
    'copies, cat, layout changes': ('copy_', 'cat', 'clone', 'contiguous'),
    'pooling, forward and backward': ('max_pool2d_with_indices', 'avg_pool2d', 'max_pool2d_with_indices_backward', 'avg_pool2d_backward'),
    'relu, forward and backward': ('relu', 'clamp_min', 'threshold_backward'),
}
_fam = {f'aten::{op}': family for family, ops in FAMILIES.items() for op in ops}

# the convolutions' aten names on a CPU (oneDNN, the fallback) and on CUDA (cuDNN, the depthwise kernel); weight: input 1 (forward), 2 (backward)
_CONV_FORWARD = ('aten::mkldnn_convolution', 'aten::_slow_conv2d_forward', 'aten::cudnn_convolution', 'aten::_conv_depthwise2d')
_CONV_BACKWARD = ('aten::convolution_backward', 'aten::_slow_conv2d_backward')

def _op_family(key, shapes):
    "The family an aten operation's self time counts for; convolutions split by their weight's shape."
    if key in _CONV_FORWARD or key in _CONV_BACKWARD:
        w = shapes[1] if key in _CONV_FORWARD else shapes[2]
        kind = ('depthwise' if len(w) == 4 and w[1] == 1 and w[-1] > 1 else
                'pointwise (1x1)' if len(w) == 4 and w[-1] == 1 else 'dense k x k')
        return f"convolution {'backward' if 'backward' in key else 'forward'}, {kind}"
    return _fam.get(key, 'other')

def profile_iteration(eng, it, reps, dev):
    "Table 3: the self time of `reps` iterations under `torch.profiler`, summed by family of operation (seconds per iteration)."
    from torch.profiler import profile, ProfilerActivity
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if dev.type == 'cuda' else [])
    batches = [next(it) for _ in range(reps)]
    t0 = time.perf_counter()
    with profile(activities=acts, record_shapes=True) as prof:
        for b in batches: eng.step(b)
        _sync(dev)
    wall = (time.perf_counter() - t0) / reps
    fam, other = {}, {}
    attr = 'self_device_time_total' if dev.type == 'cuda' else 'self_cpu_time_total'
    for e in prof.key_averages(group_by_input_shape=True):
        if not e.key.startswith('aten::'): continue
        f = _op_family(e.key, e.input_shapes)
        fam[f] = fam.get(f, 0.0) + getattr(e, attr) / 1e6 / reps
        if f == 'other': other[e.key] = other.get(e.key, 0.0) + getattr(e, attr) / 1e6 / reps
    top = sorted(other.items(), key=lambda kv: -kv[1])[:6]
    return dict(wall=wall, families=dict(sorted(fam.items(), key=lambda kv: -kv[1])), other=dict(top), time='device' if dev.type == 'cuda' else 'cpu')

def _out_size(x, k, stride, pad, dil):
    "Height and width of a k x k convolution's output on `x` [N, C, H, W]."
    return tuple((n + 2 * pad - dil * (k - 1) - 1) // stride + 1 for n in x.shape[-2:])

def _dw_unfold(x, w, stride, pad, dil):
    "Depthwise convolution as im2col (`F.unfold`) times the weights, summed over the taps."
    import torch.nn.functional as F
    N, C, _, _ = x.shape; k = w.shape[-1]
    Ho, Wo = _out_size(x, k, stride, pad, dil)
    u = F.unfold(x, k, dilation=dil, padding=pad, stride=stride).view(N, C, k * k, Ho * Wo)
    return (u * w.view(1, C, k * k, 1)).sum(2).view(N, C, Ho, Wo)

def _dw_shift(x, w, stride, pad, dil):
    "Depthwise convolution as k*k shifted, strided slices of the padded input, each times its tap's weights."
    import torch.nn.functional as F
    C, k = x.shape[1], w.shape[-1]
    Ho, Wo = _out_size(x, k, stride, pad, dil)
    xp, out = F.pad(x, (pad,) * 4), 0
    for i in range(k):
        for j in range(k):
            out = out + xp[:, :, i * dil:i * dil + stride * (Ho - 1) + 1:stride, j * dil:j * dil + stride * (Wo - 1) + 1:stride] * w[:, 0, i, j].view(1, C, 1, 1)
    return out

def worker_depthwise(job):
    "Table 4: forward+backward ms of one depthwise convolution of the tiny supernet's sizes, aten's and two rewrites (checked equal)."
    import torch, torch.nn.functional as F
    dev, out = torch.device(job['device']), {}
    for C, H, k, stride, dil in DEPTHWISE_CASES:
        pad = dil * (k - 1) // 2
        x = torch.randn(32, C, H, H, device=dev, requires_grad=True); w = torch.randn(C, 1, k, k, device=dev, requires_grad=True)
        aten = lambda x, w, s, p, d: F.conv2d(x, w, stride=s, padding=p, dilation=d, groups=x.shape[1])
        ref = aten(x, w, stride, pad, dil); g = torch.randn_like(ref)
        row = {}
        for name, f in (('aten', aten), ('unfold', _dw_unfold), ('shift', _dw_shift)):
            y = f(x, w, stride, pad, dil)
            if not torch.allclose(y, ref, atol=1e-4, rtol=1e-4): raise RuntimeError(f"{name} differs from aten's depthwise convolution")
            row[name] = _median_time(lambda: f(x, w, stride, pad, dil).backward(g), dev, job['reps']) * 1e3
        out[f"C={C} {H}x{H} k={k} stride={stride} dilation={dil}"] = row
    return dict(ms=out)

def run_worker(job):
    root = job['root']
    sys.path.insert(0, root)
    import torch, imtnas
    if not Path(imtnas.__file__).resolve().is_relative_to(Path(root).resolve()):
        raise RuntimeError(f"imported imtnas from {imtnas.__file__}, not from {root}")
    torch.set_num_threads(job['threads'])
    res = dict(supernet=worker_supernet, iteration=worker_iteration, depthwise=worker_depthwise)[job['kind']](job)
    res['imtnas'] = imtnas.__file__
    print('RESULT ' + json.dumps(res))

def spawn(job):
    env = dict(os.environ, OMP_NUM_THREADS=str(job['threads']), MKL_NUM_THREADS=str(job['threads']),
               PYTHONWARNINGS='ignore', PYTHONPATH=os.pathsep.join([job['root']] + [p for p in [os.environ.get('PYTHONPATH')] if p]))
    p = subprocess.run([sys.executable, __file__, '--worker', json.dumps(job)], capture_output=True, text=True, env=env, cwd=job['root'])
    line = next((l for l in p.stdout.splitlines() if l.startswith('RESULT ')), None)
    if p.returncode or line is None: raise RuntimeError(f"worker failed ({job['kind']} at {job['root']}):\n{p.stderr[-3000:]}")
    return json.loads(line[7:])

# ---------------------------------------------------------------- measurements in this process (this checkout only)
def flops_per_image(space, shape, device):
    """Forward+backward FLOPs per image, the operations' own (edge-by-edge reference cells) and what the vectorised cells
    run: the forward pass counted by `torch.utils.flop_counter`, times 3 (a backward costs two forwards). The backward is
    not counted directly because the counter's formula for a convolution's weight gradient ignores `groups`, which
    overcounts a depthwise convolution by its number of channels."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    from imtnas.search_space import SearchSpaceConfig, SupernetEncoder, Architecture, reference_cells
    cfg = SearchSpaceConfig(**space)
    enc = SupernetEncoder(cfg, in_channels=shape[0]).to(device)
    arch, head = Architecture.from_config(cfg).to(device), torch.nn.Linear(enc.out_dim, 10).to(device)
    x = torch.rand(2, *shape, device=device)
    def count():
        with torch.no_grad(), FlopCounterMode(display=False) as fc: head(enc(x, arch))
        return 3 * fc.get_total_flops() / x.shape[0]
    run = count()
    with reference_cells(enc): own = count()
    return own, run

def matmul_flops(device, threads):
    import torch
    torch.set_num_threads(threads)
    dev = torch.device(device)
    a, b = torch.randn(512, 512, device=dev), torch.randn(512, 512, device=dev)
    t = _median_time(lambda: a @ b, dev, 20)
    return 2 * 512 ** 3 / t

def fit(batches, seconds):
    "(fixed cost, cost per image): the intercept of the line through the two smallest batches, the slope between the two largest."
    (b0, t0), (b1, t1) = sorted(zip(batches, seconds))[:2]
    (b2, t2), (b3, t3) = sorted(zip(batches, seconds))[-2:]
    return t0 - b0 * (t1 - t0) / (b1 - b0), (t3 - t2) / (b3 - b2)

# ---------------------------------------------------------------- the report
def worktree(rev):
    d = Path(tempfile.mkdtemp(prefix='imtnas-bench-'))
    subprocess.run(['git', '-C', str(ROOT), 'worktree', 'add', '--detach', str(d / 'tree'), rev], check=True, capture_output=True)
    return d / 'tree'

def alternate(jobs_by_root, rounds):
    "Run each root's job `rounds` times, alternating roots; per root the runs' results."
    out = {r: [] for r in jobs_by_root}
    for _ in range(rounds):
        for r, job in jobs_by_root.items(): out[r].append(spawn(job))
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--worker', help=argparse.SUPPRESS)
    ap.add_argument('--compare', metavar='REV', help='also measure git revision REV (a temporary worktree), alternately with this checkout')
    ap.add_argument('--threads', type=int, default=1, help='torch threads per measurement (default 1)')
    ap.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    ap.add_argument('--rounds', type=int, default=2, help='alternating rounds of fresh processes per measurement (medians are reported)')
    ap.add_argument('--reps', type=int, default=3, help='timed repetitions inside a process (2 for batches of 100 or more on a CPU)')
    ap.add_argument('--supernets', default='tiny,paper', help='which supernets of table 1, comma-separated (default tiny,paper)')
    ap.add_argument('--batches', default=','.join(map(str, BATCHES)), help=f"batch sizes of table 1, comma-separated (default {','.join(map(str, BATCHES))})")
    ap.add_argument('--compile', action='store_true', help='also time torch.compile of the encoder (minutes of compilation on a CPU)')
    ap.add_argument('--skip-iterations', action='store_true', help='table 1 only')
    ap.add_argument('--depthwise', action='store_true', help="table 4: aten's depthwise convolution against an im2col and a shift-and-add rewrite")
    ap.add_argument('--out', help='write all figures to this JSON file')
    a = ap.parse_args()
    if a.worker: return run_worker(json.loads(a.worker))
    for opt in ('threads', 'rounds', 'reps'):
        if getattr(a, opt) < 1: ap.error(f"--{opt} must be at least 1, got {getattr(a, opt)}")
    try: batches = sorted({int(b) for b in a.batches.split(',')})
    except ValueError: ap.error(f"--batches takes comma-separated whole numbers, e.g. 1,16,64,256; got {a.batches!r}")
    if len(batches) < 2 or batches[0] < 1: ap.error(f"--batches needs at least two distinct batch sizes of 1 or more (the fixed cost is a line through two), got {a.batches!r}")
    unknown = set(a.supernets.split(',')) - set(SUPERNETS)
    if unknown: ap.error(f"--supernets: unknown {sorted(unknown)}; known: {', '.join(SUPERNETS)}")
    if a.device not in ('cpu', 'cuda'): ap.error(f"--device is 'cpu' or 'cuda', got {a.device!r}")
    import torch
    if a.device == 'cuda' and not torch.cuda.is_available(): ap.error("--device cuda: torch sees no CUDA device here")
    if a.compare:
        rev = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--verify', '--quiet', f'{a.compare}^{{commit}}'], capture_output=True, text=True)
        if rev.returncode: ap.error(f"--compare {a.compare!r} is not a commit of {ROOT}")
    roots = {'this': str(ROOT)}
    tree = None
    if a.compare: tree = worktree(a.compare); roots[a.compare] = str(tree)
    base = dict(threads=a.threads, device=a.device, reps=a.reps)
    report = dict(torch=torch.__version__, threads=a.threads, device=a.device, load=os.getloadavg()[0], compare=a.compare, supernets={}, iterations={})
    def save():
        if a.out: Path(a.out).write_text(json.dumps(report, indent=2, default=str))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    mm = matmul_flops(a.device, a.threads)
    report['matmul_flops'] = mm
    print(f"torch {torch.__version__}, {a.threads} thread(s), device {a.device}, load average {report['load']:.1f}; "
          f"dense 512x512 matmul: {mm / 1e9:.1f} GFLOP/s")
    try:
        for name in a.supernets.split(','):
            space, shape = SUPERNETS[name]
            variants = [('eager', False)] + ([('compiled', True)] if a.compile else [])
            for vname, comp in variants:
                jobs = {k: dict(base, kind='supernet', root=r, space=space, shape=shape, batches=batches, compile=comp)
                        for k, r in roots.items() if not comp or k == 'this'}
                res = alternate(jobs, a.rounds)
                own, run = flops_per_image(space, shape, a.device)
                print(f"\n{name} supernet {space}, input {shape}, {vname}: forward+backward, median of {a.rounds} processes x {a.reps} steps")
                print(f"  FLOPs per image, forward+backward (3 x the counted forward): {own / 1e6:.1f}M edge by edge, {run / 1e6:.1f}M vectorised")
                rows = {}
                for k, rs in res.items():
                    sec = {b: statistics.median(r['seconds'][str(b)] for r in rs) for b in batches}
                    a0, b0 = fit(batches, [sec[b] for b in batches])
                    bmax = max(batches)
                    rows[k] = dict(seconds=sec, fixed=a0, per_image=b0, flops_per_s=own * bmax / sec[bmax],
                                   peak_mb={b: rs[0]['peak_mb'].get(str(b)) for b in batches}, compile_seconds=rs[0]['compile_seconds'])
                    print(f"  {k:>10}: " + '  '.join(f"B={b}: {sec[b] * 1e3:8.1f} ms" for b in batches) +
                          f" | fixed {a0 * 1e3:7.1f} ms/call, {b0 * 1e3:6.2f} ms/image | {own * bmax / sec[bmax] / 1e9:5.2f} GFLOP/s "
                          f"= {own * bmax / sec[bmax] / mm:.1%} of the matmul's" +
                          (f" | compile {rs[0]['compile_seconds']:.0f} s" if rs[0]['compile_seconds'] else ''))
                    if a.device == 'cuda': print('              peak MB: ' + ', '.join(f"B={b}: {rows[k]['peak_mb'][b]:.0f}" for b in batches))
                if len(rows) == 2:
                    o, t = rows[a.compare], rows['this']
                    print(f"  {a.compare} / this: fixed cost {o['fixed'] / t['fixed']:.2f}x, per image {o['per_image'] / t['per_image']:.2f}x, " +
                          ', '.join(f"B={b} {o['seconds'][b] / t['seconds'][b]:.2f}x" for b in batches))
                report['supernets'][f"{name} {vname}"] = dict(space=space, shape=shape, flops_own=own, flops_run=run, rows=rows); save()
        if not a.skip_iterations:
            for name, ov in ITERATIONS.items():
                jobs = {k: dict(base, kind='iteration', root=r, overrides=ov) for k, r in roots.items()}
                res = alternate(jobs, a.rounds)
                sec = {k: statistics.median(r['seconds'] for r in rs) for k, rs in res.items()}
                line = f"\nIMTNAS iteration, first order, {name}: " + ', '.join(f"{k} {v:.3f} s" for k, v in sec.items())
                if len(sec) == 2: line += f"; {a.compare} / this = {sec[a.compare] / sec['this']:.2f}x"
                print(line)
                report['iterations'][name] = dict(overrides=ov, seconds=sec); save()
            name, ov = list(ITERATIONS.items())[-1]
            res = spawn(dict(base, kind='iteration', root=roots['this'], overrides=ov, profile=True))
            prof = res['profile']
            total = sum(prof['families'].values())
            print(f"\nWhere one iteration of the {name} goes (this checkout; self {prof['time']} time of the aten operations under "
                  f"torch.profiler, per iteration, {total:.2f} s in all; {res['seconds']:.2f} s per iteration unprofiled, "
                  f"{prof['wall']:.2f} s under the profiler, whose own overhead is in the difference):")
            for f, v in prof['families'].items(): print(f"  {v:7.3f} s  {v / total:6.1%}  {f}")
            print('  other: ' + ', '.join(f"{k[6:]} {v:.3f} s" for k, v in prof['other'].items()))
            report['profile'] = dict(name=name, unprofiled=res['seconds'], **prof)
        if a.depthwise:
            ms = spawn(dict(base, kind='depthwise', root=roots['this'], reps=max(a.reps, 10)))['ms']
            print("\nOne depthwise convolution, forward+backward ms (batch 32), aten's against two rewrites of it:")
            for case, row in ms.items(): print(f"  {case:>36}: " + ', '.join(f"{k} {v:6.2f}" for k, v in row.items()))
            report['depthwise'] = ms
    finally:   # also when `timeout` stops the run (SIGTERM, turned into SystemExit above): the figures so far are written
        save()
        if tree is not None:
            subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(tree)], capture_output=True)
            shutil.rmtree(tree.parent, ignore_errors=True)

if __name__ == '__main__': main()
