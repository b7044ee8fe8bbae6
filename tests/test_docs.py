"tools/check_docs.py: the site check that every public name and method has a show_doc entry."
import json, sys, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools"))
import check_docs


def _nb(path, sources):
    cells = [dict(cell_type="code", metadata={}, outputs=[], execution_count=None, source=s) for s in sources]
    path.write_text(json.dumps(dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)))


def test_public_api_lists_methods_defined_in_classes():
    api = check_docs.public_api()
    for name in ("Config.to_dict", "Config.from_dict", "IMTNASEngine.step", "IMTNASEngine.set_progress", "HyperNetwork.forward",
                 "MethodConfig.resolve", "RunDir.create", "search", "cli_config"):
        assert name in api, name
    assert not any(n.endswith((".before_fit", ".after_epoch", ".extra_repr")) for n in api)


def test_missing_entries_fail(tmp_path, capsys):
    api = check_docs.public_api()
    _nb(tmp_path / "a.ipynb", [f"show_doc({n})" for n in api if n != "IMTNASEngine.step"])
    assert check_docs.main(tmp_path) == 1
    assert "IMTNASEngine.step" in capsys.readouterr().err
    _nb(tmp_path / "b.ipynb", ["show_doc(IMTNASEngine.step)"])
    assert check_docs.main(tmp_path) == 0
