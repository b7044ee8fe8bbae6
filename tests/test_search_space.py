"Bad-input checks for `imtnas.ops` and `imtnas.search_space` (the notebooks hold the main tests)."
import json
import pytest
import torch
from imtnas.ops import PRIMITIVES, OPS
from imtnas.search_space import (SearchSpaceConfig, MixedOp, Architecture, SupernetEncoder, Genotype, PC_DARTS_CIFAR,
                                 derive_genotype, encoder_forward, encoder_weights)


def test_unknown_op_in_genotype_lists_primitives():
    d = PC_DARTS_CIFAR.to_dict()
    d['reduce'][0] = ['conv_9x9', 1]
    with pytest.raises(ValueError, match="unknown operation 'conv_9x9'; known operations: " + ', '.join(PRIMITIVES)):
        Genotype.from_dict(d)


def test_genotype_json_file_round_trip(tmp_path):
    p = PC_DARTS_CIFAR.save(tmp_path / 'genotype.json')
    assert Genotype.load(p) == PC_DARTS_CIFAR
    assert json.loads(p.read_text())['normal_concat'] == [2, 3, 4, 5]


@pytest.mark.parametrize('shape', [(14, 7), (13, 8), (8,)])
def test_alpha_of_wrong_shape(shape):
    with pytest.raises(ValueError, match='alpha'):
        Architecture.from_tensors(torch.zeros(14, 8), torch.zeros(*shape))
    sd = Architecture().state_dict()
    sd['alpha_normal'] = torch.zeros(*shape)
    with pytest.raises(ValueError, match='Architecture.alpha_normal has shape'):
        Architecture().load_state_dict(sd)


def test_k_must_divide_channels():
    with pytest.raises(ValueError, match='pc_k=3 does not divide C=16'):
        SearchSpaceConfig(C=16, pc_k=3)
    with pytest.raises(ValueError, match='k=3 does not divide C=8'):
        MixedOp(8, 1, k=3)
    with pytest.raises(ValueError, match='does not divide C=4'):
        SupernetEncoder(C=4, layers=2, pc_k=8)


def test_functional_call_equals_module_call():
    torch.manual_seed(0)
    enc = SupernetEncoder(C=4, layers=3, pc_k=2)
    arch = Architecture.from_config(enc.config)
    x = torch.rand(2, 3, 8, 8)
    assert torch.allclose(encoder_forward(enc, encoder_weights(enc), x, arch), enc(x, arch))
    assert derive_genotype(arch).steps() == 4


def test_ops_table_matches_primitives():
    assert tuple(OPS) == PRIMITIVES
