"Checks of `imtnas.mmd` from outside the notebook: public API, dtypes, bad input."
import math
import pytest
import torch
from imtnas.core import AugRecipe
from imtnas.mmd import (TransferConfig, TRANSFER_KINDS, augment_views, check_tau, consistency_hinge, mmd_matrix,
                        mmd_naive, mmd_permutation_test, transfer_loss)


def test_augment_views_layout_and_seed():
    x = torch.rand(3, 3, 8, 8)
    v = augment_views(x, 4, AugRecipe(), generator=7)
    assert v.shape == (12, 3, 8, 8) and v.dtype == x.dtype
    assert torch.equal(v, augment_views(x, 4, AugRecipe(), generator=torch.Generator().manual_seed(7)))
    # set-major: with every transform off, rows i*C .. i*C+C-1 are copies of image i
    off = AugRecipe(crop_frac=0, hflip=False, rotation=0, brightness=0, contrast=0, saturation=0, hue=0)
    assert torch.allclose(augment_views(x, 4, off).view(3, 4, 3, 8, 8), x[:, None].expand(3, 4, 3, 8, 8), atol=1e-5)


def test_mmd_matrix_float32_close_to_float64_reference():
    z = torch.randn(4 * 6, 8, dtype=torch.float64)
    d64 = mmd_matrix(z, 4)
    d32 = mmd_matrix(z.float(), 4)
    assert d32.dtype == torch.float32
    assert torch.allclose(d32.double(), d64, atol=1e-5)
    assert torch.allclose(d64[0, 1], mmd_naive(z[:6], z[6:12]), atol=1e-12)


def test_transfer_config_json_and_tau():
    cfg = TransferConfig(kind='example_similarity', kernel='rbf_median', tau=0.25)
    assert TransferConfig.from_dict(cfg.to_dict()) == cfg
    for bad in (5, 2.0, -2.0, 25, 100):
        with pytest.raises(ValueError, match='unreachable'):
            TransferConfig(tau=bad)
    assert check_tau(100, 'linear') == 100
    with pytest.raises(ValueError, match='unreachable'):
        consistency_hinge(torch.rand(5, 5), torch.rand(5, 5), tau=5)


def test_every_kind_runs_and_backpropagates():
    torch.manual_seed(0)
    lin_s, lin_t = torch.nn.Linear(12, 6), torch.nn.Linear(12, 6)
    x = torch.randn(4 * 5, 12)
    for kind in TRANSFER_KINDS:
        loss, diag = transfer_loss(TransferConfig(kind=kind), lin_s(x), lin_t(x), n_sets=4,
                                   w_student=dict(lin_s.named_parameters()), w_teacher=dict(lin_t.named_parameters()))
        assert loss.ndim == 0 and math.isfinite(loss.item())
        grads = torch.autograd.grad(loss, list(lin_s.parameters()), allow_unused=True)
        assert all(g is not None for g in grads) or kind == 'none'


def test_permutation_test_p_value_range():
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(10, 3, generator=g), torch.randn(10, 3, generator=g) + 3
    d, p = mmd_permutation_test(a, b, n_perm=99, generator=1)
    assert d > 0 and 0 < p <= 0.05
