"`imtnas search`: config mistakes are one-line errors, and a resume never overwrites a different run."
import json
import pytest
from imtnas.core import RunDir
from imtnas.search import SearchConfig, preset

from imtnas.cli import main


class R:
    def __init__(self, returncode, stdout, stderr): self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args):
    "Run `imtnas ARGS` in this process (the console script itself is exercised in test_cli.py)."
    import io, contextlib
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return R(rc, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("args,msg", [
    (["--preset", "huge"], "unknown preset 'huge'; presets: quick, tiny, smoke, paper"),
    (["--tasks", "digits,cifar-10"], "unknown task 'cifar-10'; known tasks:"),
    (["--tasks", ","], "SearchConfig.tasks is empty"),
    (["--set", "mlo.transfer.tau=5"], "TransferConfig.tau=5 is unreachable"),
    (["--set", "mlo.rounds=0"], "MLOConfig.rounds=0 is out of range"),
    (["--set", "mlo.hypergrad=second_order"], "MLOConfig.hypergrad='second_order' is not allowed"),
    (["--set", "epochs=3", "warmup_epochs=3"], "warmup_epochs=3 leaves A frozen"),
    (["--set", "nosuchfield=1"], "has no field 'nosuchfield'"),
    (["--set", "epochs"], "--set expects KEY=VALUE"),
])
def test_bad_config_is_one_line(args, msg):
    r = run("search", *args, "--show-config")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and msg in r.stderr, r.stderr
    assert r.stderr.startswith("imtnas search: error:")


def test_show_config_resolves_preset_and_overrides():
    r = run("search", "--preset", "paper", "--set", "space.C=8", "mlo.hypergrad=unrolled", "--show-config")
    assert r.returncode == 0, r.stderr
    c = SearchConfig.from_dict(json.loads(r.stdout))
    assert c.tasks == ("cifar100", "cifar10", "imagenet") and c.space.C == 8 and c.mlo.hypergrad == "unrolled"
    assert c.replace(**{"space.C": 16, "mlo.hypergrad": "first_order"}) == preset("paper")


@pytest.mark.parametrize("raw,value", [("False", False), ("false", False), ("True", True), ("true", True)])
def test_set_reads_booleans_as_users_type_them(raw, value):
    r = run("search", "--set", f"space.edge_norm={raw}", "--show-config")
    assert r.returncode == 0, r.stderr
    assert SearchConfig.from_dict(json.loads(r.stdout)).space.edge_norm is value


def test_resume_with_other_config_changes_nothing(tmp_path):
    cfg = preset("smoke", out_dir=str(tmp_path))
    rd = RunDir.create(cfg, tmp_path, "smoke", stamp=False)
    before = sorted((p.name, p.read_bytes()) for p in rd.path.iterdir())
    r = run("search", "--resume", str(rd.path), "--seed", "7")
    assert r.returncode == 2 and "cannot resume" in r.stderr and "seed: saved 0, given 7" in r.stderr, r.stderr
    assert sorted((p.name, p.read_bytes()) for p in rd.path.iterdir()) == before
    r = run("search", "--resume", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "no such folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = run("search", "--resume", str(tmp_path / "empty"))
    assert r.returncode == 2 and "has no config.json" in r.stderr


def test_missing_dataset_is_reported_before_a_run_folder_is_made(tmp_path):
    r = run("search", "--preset", "paper", "--root", str(tmp_path), "--out-dir", str(tmp_path / "runs"))
    assert r.returncode == 2 and "cifar-100-python" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "runs").exists()


def test_list_fields_names_every_set_key_with_its_doc():
    r = run("search", "--method", "il", "--list-fields")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    names = [l.split(" = ")[0] for l in lines if not l.startswith(" ")]
    for key in ("mlo.first_order_at", "mlo.transfer.tau", "mlo.transfer.prox_step", "baseline.prox_step", "baseline.lam", "space.pc_k", "eval_batch_size"):
        assert key in names, key
    i = names.index("baseline.prox_step")
    assert lines[2 * i] == "baseline.prox_step = 'implicit'" and "proximal" in lines[2 * i + 1]
    # the listed names are the keys --set takes
    r = run("search", "--method", "il", "--set", "mlo.transfer.tau=median", "baseline.prox_step=implicit", "--show-config")
    assert r.returncode == 0, r.stderr


def test_old_field_names_in_saved_configs(tmp_path):
    "A run folder written before the renames (space.k, baseline.gamma, baseline.order='first') still loads, with a warning, to the same config."
    import json
    from imtnas.core import ConfigRenamed
    from imtnas.search import SearchConfig, resolve_method
    want = resolve_method(preset("smoke", method="mtl-sws"))
    d = want.to_dict()
    d["space"]["k"] = d["space"].pop("pc_k")
    d["baseline"]["gamma"] = d["baseline"].pop("coupling_weight")
    d["baseline"]["order"] = {"first_order": "first"}[d["baseline"].pop("arch_grad")]
    (tmp_path / "config.json").write_text(json.dumps(dict(_type="SearchConfig", **d)))
    with pytest.warns(ConfigRenamed, match="SearchSpaceConfig.k is now pc_k"):
        got = SearchConfig.load(tmp_path / "config.json")
    assert got == want
