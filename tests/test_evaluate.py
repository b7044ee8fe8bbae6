"`imtnas evaluate` as a user runs it: bad input gives one-line errors (exit 2), a tiny evaluation writes its files."
import json, os, shutil, subprocess, sys
import pytest

EXE = shutil.which("imtnas")
GENO = {"normal": [["sep_conv_3x3", 0], ["sep_conv_3x3", 1], ["skip_connect", 0], ["sep_conv_3x3", 1],
                   ["skip_connect", 0], ["dil_conv_3x3", 2], ["skip_connect", 0], ["max_pool_3x3", 1]],
        "normal_concat": [2, 3, 4, 5],
        "reduce": [["max_pool_3x3", 0], ["max_pool_3x3", 1], ["skip_connect", 2], ["max_pool_3x3", 1],
                   ["max_pool_3x3", 0], ["skip_connect", 2], ["skip_connect", 2], ["max_pool_3x3", 1]],
        "reduce_concat": [2, 3, 4, 5]}


def run(*args):
    cmd = [EXE, *args] if EXE else [sys.executable, "-c", "import sys; from imtnas.cli import main; sys.exit(main())", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}, timeout=300)


@pytest.fixture
def geno(tmp_path):
    p = tmp_path / "genotype.json"
    p.write_text(json.dumps(GENO))
    return p


def one_line_error(r, start):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"imtnas evaluate: error: {start}"), r.stderr


def test_help():
    r = run("evaluate", "--help")
    assert r.returncode == 0 and "number of seeds" in r.stdout and "target" in r.stdout


def test_unknown_task(geno):
    one_line_error(run("evaluate", str(geno), "--task", "nope"), "unknown task 'nope'")


def test_missing_genotype(tmp_path):
    one_line_error(run("evaluate", str(tmp_path / "missing.json"), "--task", "digits"), "no such genotype file")
    one_line_error(run("evaluate", str(tmp_path), "--task", "digits"), f"{tmp_path} has no genotype.json")


def test_bad_genotype_file(tmp_path):
    p = tmp_path / "g.json"; p.write_text("{not json")
    one_line_error(run("evaluate", str(p)), f"{p} is not a genotype JSON file")


def test_seeds_and_config_mistakes(geno):
    one_line_error(run("evaluate", str(geno), "--n-seeds", "0"), "--n-seeds 0 is out of range")
    one_line_error(run("evaluate", str(geno), "--preset", "huge"), "unknown preset 'huge'")
    one_line_error(run("evaluate", str(geno), "--set", "nope=1"), "--set nope=1: EvalConfig has no field 'nope'; its fields: task, seeds,")
    one_line_error(run("evaluate", str(geno), "--set", "lr=-1"), "EvalConfig.lr=-1")


def test_tiny_evaluation_writes_results(geno, tmp_path):
    r = run("evaluate", str(geno), "--task", "digits", "--n-seeds", "2", "--epochs", "1", "--set", "C=4", "layers=3",
            "--no-progress", "--out-dir", str(tmp_path / "ev"))
    assert r.returncode == 0, r.stderr
    assert "mean" in r.stdout and "±" in r.stdout
    (folder,) = (tmp_path / "ev").iterdir()
    s = json.loads((folder / "summary.json").read_text())
    assert s["n"] == 2 and s["task"] == "digits" and len(s["test_error_pct"]) == 2 and s["params"] > 0 and s["macs"] > 0
    assert (folder / "results.csv").read_text().count("\n") == 3
