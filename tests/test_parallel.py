"Data-parallel search through the command line: torchrun with two gloo processes, stopped and resumed, and refusals that write nothing."
import csv, json, os, subprocess
from pathlib import Path
import imtnas.core  # noqa: F401 (first: it silences fastai's torch.jit FutureWarning)
from fastai.callback.core import Callback
from imtnas.distributed import run_on_ranks
from imtnas.search import SearchConfig, search, RunCheckpoint
from imtnas.mtl_nas import MTLNASConfig

SMALL = ['--set', 'epochs=2', 'warmup_epochs=0', 'epoch_len=2', 'batch_size=8', 'eval_batch_size=512',
         'space.C=4', 'space.layers=2', 'space.steps=2', 'space.multiplier=2']
ENV = {**os.environ, 'OMP_NUM_THREADS': '1'}


def torchrun(*args, nproc=2):
    cmd = ['torchrun', '--nproc-per-node', str(nproc), '--no-python', 'imtnas', 'search', '--no-progress', *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=900)


def rows(folder):
    return [{k: v for k, v in r.items() if k != 'seconds'} for r in csv.DictReader(open(Path(folder) / 'metrics.csv'))]


class Interrupt(Callback):
    order = RunCheckpoint.order + 1   # right after the first checkpoint
    def after_epoch(self): raise KeyboardInterrupt


def _stopped_search(cfg):   # on each rank: a search interrupted after its first epoch (as Ctrl-C would)
    try: search(cfg, progress=False, plots=False, cbs=[Interrupt()])
    except KeyboardInterrupt: return 'stopped'
    return 'finished'


def test_torchrun_search_stops_and_resumes(tmp_path):
    "A two-process search through the CLI writes one run folder; the same search stopped after one epoch and resumed through the CLI ends with the same metrics and genotype."
    p = torchrun('--preset', 'smoke', '--encoder-objective', 'task+transfer', '--out-dir', str(tmp_path / 'full'), *SMALL)
    assert p.returncode == 0, p.stderr[-3000:]
    full, = (tmp_path / 'full').iterdir()
    assert json.loads((full / 'meta.json').read_text())['world_size'] == 2 and len(rows(full)) == 2
    cfg = SearchConfig.load(full / 'config.json').replace(out_dir=str(tmp_path / 'part'))
    assert run_on_ranks(_stopped_search, 2, (cfg,)) == ['stopped', 'stopped']
    part, = (tmp_path / 'part').iterdir()
    assert len(rows(part)) == 1 and not (part / 'genotype.json').exists()
    p = torchrun('--resume', str(part))
    assert p.returncode == 0, p.stderr[-3000:]
    assert rows(part) == rows(full)
    assert json.loads((part / 'meta.json').read_text())['resumed_world_sizes'] == [2]
    assert json.loads((part / 'genotype.json').read_text()) == json.loads((full / 'genotype.json').read_text())
    assert p.stdout.count('search finished') == 1   # rank 0 reports


def test_torchrun_fusion_stops_and_resumes(tmp_path):
    "A shared-input system (MTL-NAS, pretraining included) on two processes through the CLI: one folder; stopped after one epoch and resumed, it ends with the uninterrupted run's metrics and test result."
    args = ['--method', 'mtl-nas', '--preset', 'smoke', '--tasks', 'digits-mt/digit,digits-mt/parity', '--set', 'epochs=2']
    p = torchrun(*args, '--out-dir', str(tmp_path / 'full'))
    assert p.returncode == 0, p.stderr[-3000:]
    full, = (tmp_path / 'full').iterdir()
    assert json.loads((full / 'meta.json').read_text())['world_size'] == 2 and len(rows(full)) == 2
    assert p.stdout.count('mtl-nas finished') == 1 and p.stdout.count('test digit:') == 1   # rank 0 reports
    cfg = MTLNASConfig.load(full / 'config.json').replace(out_dir=str(tmp_path / 'part'))
    assert run_on_ranks(_stopped_search, 2, (cfg,)) == ['stopped', 'stopped']
    part, = (tmp_path / 'part').iterdir()
    assert len(rows(part)) == 1 and not (part / 'result.json').exists() and (part / 'pretrained.pt').exists()
    p = torchrun('--resume', str(part))
    assert p.returncode == 0, p.stderr[-3000:]
    assert rows(part) == rows(full)
    assert json.loads((part / 'meta.json').read_text())['resumed_world_sizes'] == [2]
    test = lambda f: json.loads((f / 'result.json').read_text())['test']
    assert test(part) == test(full)
    p = subprocess.run(['imtnas', 'search', '--no-progress', '--resume', str(full)], capture_output=True, text=True, env=ENV, timeout=900)   # one process now
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stderr.count('imtnas search: warning:') == 1 and 'on 2 process(es) and continues on 1' in p.stderr and 'mtl_nas.py' not in p.stderr, p.stderr[-2000:]
    assert json.loads((full / 'meta.json').read_text())['resumed_world_sizes'] == [1]


def test_torchrun_refusals_write_nothing(tmp_path):
    "A method without a data-parallel engine, batches that do not split over the processes (a cell search's, a shared-input system's), and a shared-input batch too large for its split: one line each, no folder."
    p = torchrun('--method', 'imtnas.random_search:RandomSearch', '--preset', 'smoke', '--out-dir', str(tmp_path / 'a'))
    assert p.returncode != 0 and p.stderr.count("imtnas search: error: method 'random' runs in one process") == 1, p.stderr[-2000:]   # rank 0 says it
    p = torchrun('--preset', 'smoke', '--encoder-objective', 'task+transfer', '--out-dir', str(tmp_path / 'b'), '--set', 'batch_size=9')
    assert p.returncode != 0 and p.stderr.count('batch_size=9 does not divide by 2') == 1
    p = torchrun('--method', 'conal', '--preset', 'smoke', '--out-dir', str(tmp_path / 'c'), '--set', 'batch_size=9')
    assert p.returncode != 0 and p.stderr.count('batch_size=9 does not divide by 2') == 1, p.stderr[-2000:]
    p = torchrun('--method', 'conal', '--preset', 'smoke', '--out-dir', str(tmp_path / 'd'), '--set', 'batch_size=40')   # divides by 2, but the split is too small for two disjoint batches
    assert p.returncode != 0 and p.stderr.count('two disjoint batches need 80 examples') == 1, p.stderr[-2000:]
    assert not any((tmp_path / d).exists() for d in 'abcd')
