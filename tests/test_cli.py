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
