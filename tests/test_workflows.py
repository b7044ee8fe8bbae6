"The GitHub workflows: valid against GitHub's workflow schema, and the check catches a broken one."
import shutil, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).parents[1]
WORKFLOWS = sorted((ROOT / '.github' / 'workflows').glob('*.yaml'))
pytestmark = pytest.mark.skipif(shutil.which('check-jsonschema') is None, reason="check-jsonschema is not installed (pip install -e '.[dev]')")


def check(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(['check-jsonschema', '--builtin-schema', 'vendor.github-workflows', *map(str, paths)], capture_output=True, text=True)


def test_workflows_exist_and_validate():
    assert {p.name for p in WORKFLOWS} >= {'test.yaml', 'deploy.yaml'}
    r = check(*WORKFLOWS)
    assert r.returncode == 0, r.stdout + r.stderr


def test_test_workflow_runs_the_readme_command():
    text = (ROOT / '.github' / 'workflows' / 'test.yaml').read_text()
    assert 'run: make test' in text and 'pull_request' in text


def test_a_broken_workflow_fails(tmp_path):
    bad = tmp_path / 'bad.yaml'
    bad.write_text('name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo hi\n')   # 'step' for 'steps'
    r = check(bad)
    assert r.returncode != 0 and "'step' was unexpected" in r.stdout, r.stdout
