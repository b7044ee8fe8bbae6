"The console script, run as a user runs it."
import subprocess, sys, shutil, os

EXE = shutil.which("imtnas")


def run(*args, env=None):
    cmd = [EXE, *args] if EXE else [sys.executable, "-c", "import sys; from imtnas.cli import main; sys.exit(main())", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0 and "data-check" in r.stdout and "tasks" in r.stdout


def test_command_help_from_docments():
    r = run("data-check", "--help")
    assert r.returncode == 0 and "raw examples per task per iteration" in r.stdout


def test_data_check_runs():
    r = run("data-check", "--iters", "2", "--batch-size", "8")
    assert r.returncode == 0, r.stderr
    assert "mnist5k: train (8, 1, 16, 16)" in r.stdout


def test_config_mistakes_are_one_line_errors():
    r = run("data-check", "--tasks", "digits,nope")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("imtnas data-check: error: unknown task 'nope'")
    r = run("data-check", "--tasks", "cifar10", "--root", "/nonexistent/data")
    assert r.returncode == 2 and "cifar-10-batches-py" in r.stderr and "Traceback" not in r.stderr
    r = run("nope")
    assert r.returncode == 2 and "unknown command" in r.stderr


# ---- in-process: every bad input of the command line, and the message it gets -------------------------------
import json
import pytest
from imtnas.cli import run_main
from imtnas.search import preset, resolve_method, SearchConfig, SEARCH_OPTIONS
from imtnas.evaluate import EvalConfig
from imtnas.search_space import PC_DARTS_CIFAR


call = run_main   # in-process: (exit status, stdout, stderr)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    "A search run folder (its saved config only: nothing to resume is needed to refuse) and a genotype file."
    d = tmp_path_factory.mktemp("cli")
    run = d / "run"; run.mkdir()
    resolve_method(preset("smoke")).save(run / "config.json")
    PC_DARTS_CIFAR.save(d / "genotype.json")
    ev = d / "evals"; ev.mkdir()   # an evaluation folder: its config and genotype
    EvalConfig().save(ev / "config.json"); PC_DARTS_CIFAR.save(ev / "genotype.json")
    return run, d / "genotype.json"


BAD = [  # (argv, the message on stderr after "imtnas CMD: error: "); {run} and {geno} are filled in
    (["search", "--method", "nas"], "SearchConfig.method='nas' is not allowed: expected one of 'imtnas', 'mtl-sao'"),
    (["search", "--method", "nas"], "(on the command line: --method)"),
    (["search", "--set", "mlo.hypernet.hidden=abc"], "--set mlo.hypernet.hidden=abc: HypernetConfig.hidden expects a comma-separated list, each item an int, got 'abc'"),
    (["search", "--set", "mlo.transfer.tau=1e400"], "--set mlo.transfer.tau=1e400: TransferConfig.tau expects a number that fits a float (this one overflows to infinity)"),
    (["search", "--set", "mlo.nope=1"], "--set mlo.nope=1: MLOConfig (at mlo) has no field 'nope'; its fields: rounds, hypergrad,"),
    (["search", "--set", "mlo=1"], "--set mlo=1: SearchConfig.mlo expects a single field of this group"),
    (["search", "--set", "space.C"], "--set expects KEY=VALUE, got 'space.C'"),
    (["search", "--epochs", "1"], "lower it (--set warmup_epochs=0) or give more epochs"),
    (["search", "--tau", "5"], "unrecognized arguments: --tau 5; did you mean --set mlo.transfer.tau=5?"),
    (["search", "--epochs", "3", "--set", "epochs=4"], "--epochs and --set epochs=4 both set epochs, to different values: give one of them"),
    (["search", "--set", "mlo.rounds=0"], "MLOConfig.rounds=0 is out of range: expected an int in [1, 50] (on the command line: --set mlo.rounds)"),
    (["search", "--seed", "-1"], "SearchConfig.seed=-1 is out of range: expected an int in [0, inf) (on the command line: --seed)"),
    (["search", "--resume", "{run}", "--set", "space.C"], "--set expects KEY=VALUE, got 'space.C'"),
    (["search", "--resume", "{run}", "--seed", "1"], "with a different config; nothing was changed. Differences:\n  seed: saved 0, given 1"),
    (["search", "--resume", "{run}", "--preset", "paper"], "--preset and --resume cannot be combined"),
    (["search", "--resume", "/nonexistent/run"], "cannot resume /nonexistent/run: no such folder"),
    (["evaluate", "{geno}", "--set", "seeds=a,b"], "--set seeds=a,b: EvalConfig.seeds expects a comma-separated list, each item an int, got 'a,b'"),
    (["evaluate", "{geno}", "--set", "seeds=-1"], "EvalConfig.seeds=(-1,) has a negative seed"),
    (["evaluate", "{geno}", "--n-seeds", "3", "--set", "seeds=5,7"], "--n-seeds and --set seeds=5,7 both set seeds, to different values"),
    (["evaluate", "{geno}", "--seeds", "3", "--n-seeds", "2"], "--seeds 3 and --n-seeds 2 disagree: give --n-seeds only"),
    (["evaluate", "{geno}", "--n-seeds", "0"], "--n-seeds 0 is out of range: give 1 or more"),
    (["evaluate", "{geno}", "--layers", "3"], "unrecognized arguments: --layers 3; did you mean --set layers=3?"),
    (["evaluate", "{geno}", "--set", "nope=1"], "EvalConfig has no field 'nope'; its fields: task, seeds,"),
    (["evaluate", "{geno}", "--resume"], "cannot resume"),
    (["search", "--set", "space.C=4", "--set", "space.C=8"], "--set space.C=4 and --set space.C=8 both set space.C, to different values"),
    (["search", "--set"], "--set needs at least one KEY=VALUE"),
    (["search", "--device", "gpu"], "SearchConfig.device='gpu' is not a device"),
    (["search", "--method", "darts", "--transfer", "mmd"], "--transfer is not used by method 'darts'; it applies to imtnas"),
    (["search", "--epoch", "3"], "unrecognized arguments: --epoch 3; did you mean --epochs?"),
    (["search", "--epochs", "2.5"], "argument --epochs: invalid int value: '2.5'"),
    (["search", "--resume", "{run}", "--method", "darts"], "Differences:\n  method: saved 'imtnas', given 'darts' (--method)"),
    (["evaluate", "{run}", "--resume"], "it is not an evaluation folder"),
    (["evaluate", "{run}/config.json"], "is a SearchConfig file, not a genotype"),
    (["evaluate", "{evals}"], "is an evaluation, not a search: add --resume to continue it"),
    (["evaluate", "{geno}", "--device", "gpu"], "EvalConfig.device='gpu' is not a device"),
    (["search", "--set", "space.C=3"], "does not divide C=3: partial channels send C/pc_k of each cell's C, 2C or 4C channels through the operations; use a pc_k that divides C (e.g. 1, 3) (on the command line: --set space.C)"),
    (["search", "--method", "darts", "--set", "mlo.transfer.kind=mmd"], "--set mlo.transfer.kind is not used by method 'darts'"),
    (["search", "--method", "darts", "--transfer", "none"], "--transfer is not used by method 'darts'"),
    (["tasks", "--modules", "nope_mod"], "--modules: cannot import 'nope_mod' (No module named 'nope_mod')"),
    (["data-check", "--tasks", "digits,cifar-10"], "unknown task 'cifar-10'; known tasks:"),
    (["search", "--method", "mtl-nas", "--tasks", "digits,mnist5k"], "or join separate datasets with '+' (every branch sees every task's images, each target labelled on its own): digits+mnist5k"),
    (["search", "--method", "bmtas", "--tasks", "digits+scenes"], "'scenes' is a shared-input task set"),
    (["search", "--method", "conal", "--tasks", "digits+digits"], "join_tasks needs at least two distinct tasks"),
]


def test_bad_inputs_table(folders):
    "Each bad input ends with exit status 2 and one line that says what was wrong, in the command line's words; nothing is printed to stdout."
    run, geno = folders
    for argv, msg in BAD:
        argv = [a.format(run=run, geno=geno, evals=geno.parent / "evals") for a in argv]
        rc, out, err = call(*argv, *(["--show-config"] if argv[0] in ("search", "evaluate") else []))
        assert rc == 2, (argv, rc, out, err)
        assert err.startswith(f"imtnas {argv[0]}: error: ") and msg in err, (argv, err)
        assert "Traceback" not in err and out == "", (argv, out, err)
    rc, out, err = call("serach")
    assert rc == 2 and err == "imtnas: error: unknown command 'serach'; did you mean search? (imtnas --help lists the commands)\n", err
    rc, out, err = call()
    assert rc == 2 and err.startswith("usage: imtnas COMMAND") and out == ""   # no command: the usage, as an error
    rc, out, err = call("search", "--set", "space.k=0", "--show-config")       # an old name: one warning line, then the error
    assert rc == 2 and err.splitlines() == ["imtnas search: warning: space.k is now space.pc_k; the old name is accepted until the next release",
                                            "imtnas search: error: SearchSpaceConfig.pc_k=0 is out of range: expected an int in [1, inf) (on the command line: --set space.pc_k)"], err


@pytest.mark.parametrize("opt,field", sorted(SEARCH_OPTIONS.items()))
def test_search_option_and_set_pairs(opt, field, tmp_path):
    "Every option of `imtnas search` that reaches a config field: alone it sets the field; with a --set of the same field they must agree."
    flag = "--" + opt.replace("_", "-")
    base = resolve_method(preset("tiny"))
    cur = base
    for p in field.split("."): cur = getattr(cur, p)
    val = {"method": "pcdarts", "transfer": "none", "tasks": "mnist5k,digits", "epochs": "6", "hypergrad": "unrolled",
           "encoder_objective": "transfer", "weights": "hypernet", "root": str(tmp_path), "seed": "7", "device": "cpu",
           "out_dir": str(tmp_path / "runs")}[opt]
    rc, out, err = call("search", flag, val, "--show-config")
    assert rc == 0, err
    got = SearchConfig.from_dict(json.loads(out))
    for p in field.split("."): got = getattr(got, p)
    assert got != cur and str(got if not isinstance(got, tuple) else ",".join(got)) == val, (opt, got)
    rc, _, _ = call("search", flag, val, "--set", f"{field}={val}", "--show-config")
    assert rc == 0
    rc, _, err = call("search", flag, val, "--set", f"{field}={cur if not isinstance(cur, tuple) else ','.join(cur)}", "--show-config")
    assert rc == 2 and f"{flag} and --set {field}=" in err, err


@pytest.mark.parametrize("flag,val,field,field_val", [("--task", "mnist5k", "task", "mnist5k"), ("--epochs", "2", "epochs", 2),
    ("--root", "/data", "root", "/data"), ("--device", "cpu", "device", "cpu"), ("--n-seeds", "2", "seeds", (0, 1)),
    ("--out-dir", "/tmp/x", "out_dir", "/tmp/x")])
def test_evaluate_option_and_set_pairs(flag, val, field, field_val, folders):
    "The same for `imtnas evaluate`; --n-seeds N is a count, --set seeds=... the seeds themselves."
    _, geno = folders
    rc, out, err = call("evaluate", str(geno), flag, val, "--show-config")
    assert rc == 0, err
    assert getattr(EvalConfig.from_dict(json.loads(out)), field) == field_val
    other = "0,1,2" if field == "seeds" else "3" if field == "epochs" else "other"
    rc, _, err = call("evaluate", str(geno), flag, val, "--set", f"{field}={other}", "--show-config")
    assert rc == 2 and f"{flag} and --set {field}={other}" in err, err


def test_module_task_has_one_name(tmp_path, monkeypatch):
    "A user's task given as module:name is named so in metrics.csv, the final summary, the run folder and evaluate."
    (tmp_path / "mytasks_mod.py").write_text(
        "import torch\nfrom imtnas.data import register_tensor_task\n"
        "g = torch.Generator().manual_seed(0)\n"
        "register_tensor_task('bars', torch.rand(300, 1, 16, 16, generator=g), torch.arange(300) % 3, overwrite=True)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "mytasks_mod:bars"
    rc, out, err = call("search", "--preset", "smoke", "--tasks", f"digits,{name}", "--out-dir", str(tmp_path / "runs"), "--no-progress")
    assert rc == 0, err
    assert f"{name}: nan" not in out and f"{name}: 0." in out, out
    run = next((tmp_path / "runs").iterdir())
    header = (run / "metrics.csv").read_text().splitlines()[0].split(",")
    assert f"{name}_acc" in header and "bars_acc" not in header, header
    assert SearchConfig.load(run / "config.json").tasks == ("digits", name)
    meta = json.loads((run / "meta.json").read_text())   # what produced the run
    assert (meta["method"], meta["device"], meta["config_type"]) == ("imtnas", "cpu", "SearchConfig")
    assert meta["torch"] and meta["fastai"] and meta["imtnas"] and isinstance(meta["command"], str)
    rc, out, err = call("search", "--resume", str(run), "--no-progress")   # a finished run: nothing to train, outputs written again
    assert rc == 0 and "nothing to train" in out, (out, err)
    rc, out, err = call("evaluate", str(run), "--task", name, "--n-seeds", "1", "--epochs", "1", "--set", "C=4", "layers=2",
                        "--no-progress")
    assert rc == 0, err
    assert f"task {name}: 1 seed(s)" in out, out


def test_joined_datasets_run_and_resume(tmp_path):
    "A shared-input method on separate datasets joined with '+': the run tests each target on its own task, and a new process resumes the folder from its saved config alone (the joined set is registered again by name)."
    r = run("search", "--method", "mtl-nas", "--preset", "smoke", "--tasks", "digits+mnist5k", "--out-dir", str(tmp_path), "--no-progress")
    assert r.returncode == 0, r.stderr[-2000:]
    folder, = tmp_path.iterdir()
    assert json.loads((folder / "config.json").read_text())["tasks"] == ["digits+mnist5k"]
    test = json.loads((folder / "result.json").read_text())["test"]
    assert set(test) == {"digits", "mnist5k"}
    r2 = run("search", "--resume", str(folder), "--no-progress")
    assert r2.returncode == 0, r2.stderr[-2000:]
    assert json.loads((folder / "result.json").read_text())["test"] == test
