"Bad config input and run-folder safety (the notebook 00_core has the worked examples)."
import json
from dataclasses import dataclass
import pytest
from imtnas.core import Config, param, AugRecipe, RunDir, get_device, seed_everything


@dataclass
class Cfg(Config):
    lr: float = param(0.025, "learning rate", gt=0)
    rounds: int = param(2, "interleaving rounds", ge=1, le=10)
    tau: float | str = param("median", "threshold", choices=("median",), gt=0, le=2)
    aug: AugRecipe = param(AugRecipe(), "recipe")


@pytest.mark.parametrize("kw,msg", [
    (dict(lr=0), "Cfg.lr=0 is out of range: expected a number in (0, inf)"),
    (dict(rounds=11), "Cfg.rounds=11 is out of range: expected an int in [1, 10]"),
    (dict(rounds="2"), "Cfg.rounds='2' has the wrong type"),
    (dict(tau=5), "Cfg.tau=5 is out of range"),
    (dict(tau="mean"), "Cfg.tau='mean'"),
])
def test_invalid_values_name_field_and_range(kw, msg):
    with pytest.raises(ValueError, match=None) as e:
        Cfg(**kw)
    assert msg in str(e.value)


def test_nested_config_validates_and_round_trips(tmp_path):
    with pytest.raises(ValueError, match="AugRecipe.hue=0.9 is out of range"):
        Cfg.from_dict(dict(aug=dict(hue=0.9)))
    c = Cfg(lr=0.1, aug=AugRecipe(hflip=False))
    p = c.save(tmp_path / "config.json")
    assert Cfg.load(p) == c
    assert json.loads(p.read_text())["aug"]["hflip"] is False
    assert c.replace(**{"aug.rotation": 30}).aug.rotation == 30


def test_unknown_field_lists_known(tmp_path):
    with pytest.raises(ValueError, match="known fields: lr, rounds, tau, aug"):
        Cfg.from_dict(dict(lr=1, rate=2))


def test_resume_refuses_other_config_and_leaves_files(tmp_path):
    rd = RunDir.create(Cfg(), out_dir=tmp_path, name="r")
    before = (rd / "config.json").read_text()
    with pytest.raises(ValueError, match="rounds: saved 2, given 3"):
        RunDir.resume(rd.path, Cfg(rounds=3))
    assert (rd / "config.json").read_text() == before


def test_seed_and_device():
    with pytest.raises(ValueError):
        seed_everything(-3)
    with pytest.raises(ValueError, match="is not a device"):
        get_device("tpu-ish")
    assert get_device("cpu").type == "cpu"
