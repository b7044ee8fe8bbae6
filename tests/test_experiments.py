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
    (["table9"], "unknown table 'table9': expected one of 'table2', 'table3'"),
    (["table2", "--preset", "gpu"], "unknown preset 'gpu': expected one of 'smoke', 'cpu', 'cpu-few', 'paper'"),
    (["table2", "--seeds", "0"], "--seeds 0 is out of range"),
])
def test_bad_reproduce_is_one_line(tmp_path, args, msg):
    rc, out, err = run("reproduce", *args, "--out-dir", str(tmp_path / "exp"))
    assert rc == 2 and err.startswith("imtnas reproduce: error:") and msg in err and "Traceback" not in err, err
    assert not (tmp_path / "exp").exists()
