"`weights='hypernet'`: generated weights fit the encoder, the CLI option reaches the config, and a step moves V."
import json
import torch
from imtnas.hypernet import HyperNetwork, HypernetConfig
from imtnas.search_space import SearchSpaceConfig, SupernetEncoder, Architecture, encoder_weights
from imtnas.mlo import IMTNASModel, IMTNASEngine, MLOConfig
from imtnas.mmd import TransferConfig
from imtnas.data import TaskSpec
from imtnas.search import SearchConfig
from imtnas.cli import main

SPACE = SearchSpaceConfig(C=2, layers=2, steps=1, multiplier=1, stem_multiplier=1, pc_k=2)


def test_generated_dict_matches_encoder():
    enc, arch = SupernetEncoder(SPACE, in_channels=3), Architecture.from_config(SPACE)
    hn = HyperNetwork([enc], rounds=2, arch_dim=arch.as_vector().numel(), cfg=HypernetConfig(chunk=37))
    W, ref = hn(arch.as_vector(), 0, 1), encoder_weights(enc)
    assert list(W) == list(ref) and all(W[n].shape == ref[n].shape and W[n].dtype == ref[n].dtype for n in ref)


def test_cli_weights_option(capsys):
    assert main(['search', '--show-config', '--weights', 'hypernet']) == 0
    assert SearchConfig.from_dict(json.loads(capsys.readouterr().out)).mlo.weights == 'hypernet'


def test_engine_step_moves_v_and_heads():
    specs = [TaskSpec('a', n_classes=3, in_channels=1, img_size=8, mean=(0.5,), std=(0.25,)),
             TaskSpec('b', n_classes=4, in_channels=1, img_size=8, mean=(0.5,), std=(0.25,))]
    torch.manual_seed(0)
    m = IMTNASModel(specs, SPACE, rounds=1, weights='hypernet')
    e = IMTNASEngine(m, MLOConfig(rounds=1, weights='hypernet', transfer=TransferConfig(tau=0.01, n_examples=2, n_views=2)))
    b = (tuple((torch.rand(4, 1, 8, 8), torch.randint(0, s.n_classes, (4,))) for s in specs), tuple(torch.rand(2, 1, 8, 8) for s in specs),
         tuple((torch.rand(4, 1, 8, 8), torch.randint(0, s.n_classes, (4,))) for s in specs))
    before = {n: p.detach().clone() for n, p in m.named_parameters()}
    e.step(b)
    changed = {n.split('.')[0] for n, p in m.named_parameters() if not torch.equal(p, before[n])}
    assert changed == {'hypernet', 'heads'}
    assert all(p.grad is not None for p in m.arch.arch_parameters())
