"`imtnas reproduce`: mistakes are one line and write nothing."
import io, contextlib
import pytest
from imtnas.cli import main


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("args,msg", [
    (["table9"], "unknown table 'table9': expected one of 'table2', 'table2-shared', 'table3'"),
    (["table2", "--preset", "gpu"], "unknown preset 'gpu': expected one of 'smoke', 'cpu', 'cpu-few', 'paper'"),
    (["table2", "--seeds", "0"], "--seeds 0 is out of range"),
    (["table2", "--ray", "--workers", "2"], "--workers and --ray cannot be combined"),
    (["table2", "--ray", "--cpus-per-run", "0"], "--cpus-per-run 0 --gpus-per-run 0: expected more than 0 CPUs"),
    (["table2", "--gpus-per-run", "1"], "--cpus-per-run and --gpus-per-run apply to a grid on Ray: add --ray"),
])
def test_bad_reproduce_is_one_line(tmp_path, args, msg):
    rc, out, err = run("reproduce", *args, "--out-dir", str(tmp_path / "exp"))
    assert rc == 2 and err.startswith("imtnas reproduce: error:") and msg in err and "Traceback" not in err, err
    assert not (tmp_path / "exp").exists()


def test_committed_grids_keep_their_fingerprints(tmp_path):
    """Every finished run of the committed grids still has the fingerprint today's code computes for it: a config field
    added since (and unread by the old settings) must not change it, or no later grid could share those runs."""
    import shutil, warnings
    from pathlib import Path
    from imtnas.experiments import table_experiment, TABLES, REPRO_PRESETS
    root = Path(__file__).resolve().parent.parent / "experiments"
    folders = sorted(p.parent for p in root.glob("*/experiment.json") if (p.parent / "results.csv").exists())
    if not folders: pytest.skip("no committed grids")
    for f in folders:   # a copy: opening a grid may write its experiment.json
        (tmp_path / f.name).mkdir()
        for n in ("experiment.json", "results.csv"): shutil.copy(f / n, tmp_path / f.name / n)
    checked = 0
    for f in folders:
        table, preset = next((t, p) for t in TABLES for p in REPRO_PRESETS if f.name == f"{t}-{p}")   # table2-shared-cpu, table2-cpu-few
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ex = table_experiment(table, preset, (0, 1, 2), tmp_path)
        specs = {s.key: s for s in ex.specs}
        for r in ex.rows:
            if r.get("fingerprint") and not r.get("shared_from") and r["key"] in specs:
                assert r["fingerprint"] == ex.fingerprint(specs[r["key"]]), (f.name, r["key"])
                checked += 1
    assert checked > 0
