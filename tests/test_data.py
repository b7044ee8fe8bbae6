"The data layer's loaders on tiny on-disk files, and its errors on bad input."
import pickle, textwrap
import numpy as np
import pytest
import torch
from imtnas.data import (get_task, multitask_dls, task_dls, write_fake_cifar, DatasetNotFoundError, to_spec, _REGISTRY)


def _write_cifar_by_hand(root, n=3):
    "Independent of `write_fake_cifar`: the release's format written out explicitly."
    base = root / "cifar-10-batches-py"
    base.mkdir(parents=True)
    rng = np.random.default_rng(1)
    for i, f in enumerate([f"data_batch_{j}" for j in range(1, 6)] + ["test_batch"]):
        img = rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)
        img[:, 0, 0, 0] = i  # a marker: which file an image came from
        d = {"batch_label": f, "labels": [i % 10] * n, "data": img.reshape(n, -1), "filenames": [f"{f}_{k}.png" for k in range(n)]}
        with open(base / f, "wb") as fh:
            pickle.dump(d, fh, protocol=2)
    with open(base / "batches.meta", "wb") as fh:
        pickle.dump({"label_names": [str(i) for i in range(10)]}, fh)
    return base


def test_cifar10_reads_the_on_disk_format(tmp_path):
    _write_cifar_by_hand(tmp_path, n=3)
    t = get_task("cifar10", root=tmp_path)
    assert (len(t.train), len(t.valid), len(t.test)) == (8, 7, 3)
    x, y = t.test[0]
    assert x.shape == (3, 32, 32) and x.dtype == torch.float32 and 0 <= x.min() <= x.max() <= 1
    assert int(y) == 5 and round(float(x[0, 0, 0]) * 255) == 5  # the test split is test_batch, untouched
    markers = sorted(round(float(t.full_train[i][0][0, 0, 0]) * 255) for i in range(len(t.full_train)))
    assert markers == sorted([0, 1, 2, 3, 4] * 3)
    # root may also point at the extracted folder itself
    assert len(get_task("cifar10", root=tmp_path / "cifar-10-batches-py").test) == 3


def test_cifar100_and_seeded_split(tmp_path):
    write_fake_cifar(tmp_path, "cifar100", n_per_file=10)
    a = get_task("cifar100", root=tmp_path, seed=0)
    b = get_task("cifar100", root=tmp_path, seed=0)
    c = get_task("cifar100", root=tmp_path, seed=1)
    assert a.spec.n_classes == 100 and len(a.train) == len(a.valid) == 5
    assert torch.equal(a.train.x, b.train.x) and not torch.equal(a.train.x, c.train.x)


def test_missing_root_names_folder_and_files(tmp_path):
    with pytest.raises(DatasetNotFoundError) as e:
        get_task("cifar10", root=tmp_path)
    msg = str(e.value)
    assert str(tmp_path / "cifar-10-batches-py") in msg
    for f in ["data_batch_1", "data_batch_5", "test_batch", "batches.meta"]:
        assert f in msg
    assert "cifar-10-python.tar.gz" in msg and "never downloads" in msg


def test_root_required(monkeypatch):
    monkeypatch.delenv("IMTNAS_DATA", raising=False)
    with pytest.raises(ValueError, match="task 'cifar100' reads local files: pass root="):
        get_task("cifar100")


def test_env_root(tmp_path, monkeypatch):
    write_fake_cifar(tmp_path, "cifar10", n_per_file=2)
    monkeypatch.setenv("IMTNAS_DATA", str(tmp_path))
    assert len(get_task("cifar10").test) == 2


def test_unknown_task_lists_known():
    with pytest.raises(ValueError) as e:
        get_task("cifar-10")
    assert "unknown task 'cifar-10'" in str(e.value)
    for n in ["cifar10", "cifar100", "digits", "imagenet", "mnist5k"]:
        assert n in str(e.value)


def test_batch_larger_than_split():
    with pytest.raises(ValueError, match="batch_size=2000 is larger than task 'digits'"):
        multitask_dls(["digits"], bs=2000)
    with pytest.raises(ValueError, match="val_batch_size=900 is larger than task 'digits'"):
        multitask_dls(["digits", "mnist5k"], bs=8, val_bs=900)
    with pytest.raises(ValueError, match="batch_size=5000"):
        task_dls("mnist5k", bs=5000)


def test_imagenet_folder(tmp_path):
    from PIL import Image
    for sub, n in (("train", 40), ("val", 3)):
        for c in ("n01", "n02"):
            p = tmp_path / sub / c
            p.mkdir(parents=True)
            for i in range(n):
                Image.new("RGB", (24, 20), (i * 5, 10, 200)).save(p / f"{i}.png")
    t = get_task("imagenet", root=tmp_path, size=16)
    assert (len(t.train), len(t.valid), len(t.test)) == (8, 2, 6)
    assert t.train[0][0].shape == (3, 16, 16)
    with pytest.raises(DatasetNotFoundError, match="ImageFolder layout"):
        get_task("imagenet", root=tmp_path / "train")


def test_user_module_task_by_path(tmp_path, monkeypatch):
    (tmp_path / "my_tasks.py").write_text(textwrap.dedent("""
        import torch
        from imtnas.data import register_tensor_task
        g = torch.Generator().manual_seed(0)
        x = torch.rand(60, 3, 8, 8, generator=g)
        y = (x.mean((1, 2, 3)) > 0.5).long()
        register_tensor_task('my_tasks:bright', x, y, overwrite=True)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    t = get_task("my_tasks:bright")
    assert t.spec.n_classes == 2 and t.spec.in_channels == 3 and len(t.test) == 12
    dls = multitask_dls(["my_tasks:bright", "digits"], bs=8, n_aug=4)
    (trn, aug, val) = dls.train.one_batch()
    assert trn[0][0].shape == (8, 3, 8, 8) and trn[1][0].shape == (8, 1, 16, 16)
    del _REGISTRY["my_tasks:bright"]


def test_cross_task_conversion_preserves_range():
    x = torch.rand(4, 1, 16, 16)
    y = to_spec(x, 3, 32)
    assert y.shape == (4, 3, 32, 32) and 0 <= y.min() and y.max() <= 1
