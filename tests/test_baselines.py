"`imtnas search --method NAME`: method settings are checked against the method, resolved into config.json, and a baseline writes a run folder."
import io, contextlib, json
import pytest
from imtnas.search import SearchConfig
from imtnas.cli import main


def run(*args):
    "Run `imtnas ARGS` in this process; returns (exit code, stdout, stderr)."
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("args,msg", [
    (["--method", "mtl"], "SearchConfig.method='mtl' is not allowed"),
    (["--method", "mtl-hws", "--set", "baseline.coupling_weight=10"], "baseline.coupling_weight=10 is not used by method 'mtl-hws'; it applies to mtl-sws, mi"),
    (["--set", "baseline.lam=10"], "baseline.lam=10 is not used by method 'imtnas'; it applies to il"),
    (["--method", "mtl-sao", "--set", "baseline.task_weights=[1,2,3]"], "has 3 values for 2 tasks"),
    (["--method", "mtl-sao", "--set", "baseline.val_weights=[0,0]"], "not all zero"),
    (["--method", "mtl-sws", "--set", "baseline.l2_reduction=max"], "MethodConfig.l2_reduction='max' is not allowed"),
    (["--method", "il", "--transfer", "none"], "--transfer is not used by method 'il'; it applies to imtnas"),
    (["--transfer", "l3"], "TransferConfig.kind='l3' is not allowed"),
    (["--method", "mtl-sws", "--encoder-objective", "task+transfer"], "--encoder-objective is not used by method 'mtl-sws'"),
    (["--method", "darts", "--hypergrad", "unrolled"], "set baseline.arch_grad=second_order"),
    (["--method", "pcdarts", "--set", "baseline.fd_r=0.1"], "is the finite-difference radius of arch_grad='second_order' only"),
    (["--method", "mi", "--set", "mlo.rounds=3"], "--set mlo.rounds is not used by method 'mi'"),
    (["--method", "mtl-sws", "--set", "baseline.prox_step=explicit"], "baseline.prox_step='explicit' with l2_reduction='sum' diverges here"),
    (["--method", "il", "--set", "baseline.prox_step=explicit"], "multiplies the coupled encoders' differences by 1 - 2*w_lr*lam*1 ="),
    (["--method", "mtl-sao", "--set", "baseline.prox_step=implicit"], "baseline.prox_step='implicit' is not used by method 'mtl-sao'"),
    (["--set", "mlo.transfer.prox_step=implicit"], "prox_step='implicit' applies to kind='l2_weights' only"),
])
def test_bad_method_config_is_one_line(args, msg):
    rc, out, err = run("search", *args, "--show-config")
    assert rc == 2, out + err
    assert err.startswith("imtnas search: error:") and "Traceback" not in err and msg in err, err


def test_show_config_resolves_the_methods_defaults():
    cfg = lambda *a: SearchConfig.from_dict(json.loads(run("search", *a, "--show-config")[1]))
    c = cfg("--method", "mtl-sws")
    assert (c.method, c.baseline.coupling_weight, c.baseline.l2_reduction, c.baseline.prox_step, c.baseline.task_weights, c.baseline.arch_grad) == ("mtl-sws", 100.0, "sum", "implicit", (1.0, 1.0), "first_order")
    assert c.baseline.lam is None
    c = cfg("--method", "darts")
    assert (c.space.pc_k, c.space.edge_norm, c.baseline.arch_grad, c.baseline.fd_r) == (1, False, "second_order", 0.01)
    c = cfg("--method", "il", "--set", "baseline.lam=10", "baseline.l2_reduction=mean")
    assert (c.baseline.lam, c.baseline.l2_reduction, c.baseline.prox_step, c.baseline.coupling_weight) == (10.0, "mean", "implicit", None)
    c = cfg("--method", "mi", "--set", "baseline.prox_step=explicit", "baseline.l2_reduction=mean")   # explicit with mean is stable
    assert (c.baseline.prox_step, c.baseline.l2_reduction, c.baseline.coupling_weight) == ("explicit", "mean", 100.0)
    c = cfg("--transfer", "l2_embedding", "--encoder-objective", "task+transfer")
    assert (c.method, c.mlo.transfer.kind, c.mlo.encoder_objective) == ("imtnas", "l2_embedding", "task+transfer")
    c = cfg("--method", "mtl-sao", "--set", "baseline.val_weights=[1,0.5]")
    assert c.baseline.val_weights == (1.0, 0.5)


FAST = ["--preset", "smoke", "--set", "epochs=1", "warmup_epochs=0", "epoch_len=2", "batch_size=8", "eval_batch_size=512", "space.layers=2", "space.steps=2", "space.multiplier=2"]


@pytest.mark.parametrize("method,extra", [("mtl-hws", []), ("pcdarts", ["genotype_digits.json", "genotype_mnist5k.json", "alpha_mnist5k.png"])])
def test_a_baseline_writes_the_run_folder(tmp_path, method, extra):
    rc, out, err = run("search", "--method", method, "--out-dir", str(tmp_path), "--no-progress", *FAST)
    assert rc == 0, err
    rd, = tmp_path.iterdir()
    files = {p.name for p in rd.iterdir()}
    assert {"config.json", "genotype.json", "metrics.csv", "alpha_history.json", "checkpoint.pt", "alpha.png", "curves.png"} <= files, files
    assert set(extra) <= files, files
    c = SearchConfig.load(rd / "config.json")
    assert c.method == method and c.baseline.arch_grad == "first_order"
    assert "final-round validation accuracy: digits:" in out


@pytest.mark.parametrize("args", [
    ["--method", "il", "--hypergrad", "unrolled"],   # IL always has the task loss in its stage objective
    ["--hypergrad", "unrolled", "--encoder-objective", "task+transfer"],
    ["--hypergrad", "unrolled", "--encoder-objective", "task+transfer", "--weights", "hypernet", "--transfer", "l2_embedding"],
    ["--hypergrad", "unrolled_stagewise", "--encoder-objective", "task+transfer"],   # the sweeps (issue 22): each mode from the CLI
    ["--hypergrad", "finite_difference", "--weights", "hypernet"],
    ["--hypergrad", "neumann", "--encoder-objective", "task+transfer", "--set", "mlo.neumann_terms=2"],
])
def test_every_accepted_second_order_search_runs(tmp_path, args):
    "Every hypergradient beyond first order runs a search from the CLI. (`hypergrad='unrolled'` with the task loss in the stage objective once crashed in the third-order derivative of batch_norm.)"
    rc, out, err = run("search", *args, "--out-dir", str(tmp_path), "--no-progress", *FAST)
    assert rc == 0, err
    rd, = tmp_path.iterdir()
    import csv, math
    rows = list(csv.DictReader(open(rd / "metrics.csv")))
    assert len(rows) == 1 and all(math.isfinite(float(rows[0][k])) for k in ("digits_acc", "mnist5k_acc")), rows
    c = SearchConfig.load(rd / "config.json")
    assert c.mlo.hypergrad == args[args.index("--hypergrad") + 1]
    if "neumann" in args: assert c.mlo.neumann_terms == 2
    if "il" in args:   # IL runs the chain with its own stage objective: the run folder says what ran
        chain = json.loads((rd / "chain_config.json").read_text())
        assert (chain["encoder_objective"], chain["transfer"]["kind"], chain["transfer"]["weight"], chain["transfer"]["prox_step"]) == ("task+transfer", "l2_weights", 100.0, "implicit")
    else: assert not (rd / "chain_config.json").exists()
