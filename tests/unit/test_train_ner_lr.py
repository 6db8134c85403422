"""Discriminative learning rates of the NER network (``rasid train ner --encoder-lr-decay D``,
``rasid.train.ner_nn.encoder_groups``): the NER epochs adjust a language-model encoder
(``--lm-pretrain``) instead of overwriting it, while the output layer learns at the full rate."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.eval.ner import read_conll
from rasid.stages.ner import load_tagger
from rasid.train.ner_lm import cluster_targets

from ner_fixtures import RandomVectors

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
needs_torch = pytest.mark.skipif(not __import__("importlib").util.find_spec("torch"), reason="torch is a training extra")


@needs_torch
def test_each_layer_gets_its_rate_and_every_parameter_one_group():
    import numpy as np

    from rasid.train.ner_nn import _torch_model, encoder_groups

    model = _torch_model(np.zeros((5, 16), np.float32), 10, 20, 8, 0.5, finetune=True)
    groups = encoder_groups(model, 2.6)
    assert [g["scale"] for g in groups] == pytest.approx([1.0, 1 / 2.6, 1 / 2.6 ** 2])
    names = {id(p): n for n, p in model.named_parameters()}
    assert sorted(names[id(p)].split(".")[0] for p in groups[0]["params"]) == ["end", "out", "out", "start", "trans"]
    assert {names[id(p)].split(".")[0] for p in groups[1]["params"]} == {"lstm"}
    assert {names[id(p)].split(".")[0] for p in groups[2]["params"]} == {"cemb", "conv", "fproj"}
    # every trained dense parameter once; the word vectors have their own sparse optimiser
    flat = [names[id(p)] for g in groups for p in g["params"]]
    assert sorted(flat) == sorted(n for n, p in model.named_parameters() if not n.startswith("emb."))
    assert all(g["scale"] == 1.0 for g in encoder_groups(model))


@needs_torch
def test_the_ner_epochs_keep_the_language_model_encoder_and_train_the_output_layer():
    import torch

    from rasid.train.ner_lm import merge_vocab, train_lm
    from rasid.train.ner_nn import build_vocab, train_bilstm_crf

    tagger = load_tagger()
    describe, res = tagger.describe, tagger.resources
    train = read_conll(RESOURCES / "anercorp-excerpt.txt")
    kv = RandomVectors(sorted({describe(t).base for s, _ in train for t in s}))
    news = [t for t, _ in train[:12]]
    lm_vocab, E = build_vocab(kv, 1000, news, describe, res)
    cls, n = cluster_targets(kv.index_to_key, {w: ("0", "0", str(i % 7)) for i, w in enumerate(kv.index_to_key)})
    lm = train_lm(news, lm_vocab, E, cls, n, describe, res, seed=1, hidden=8, batch_size=4, log=lambda _: None)
    vocab = merge_vocab(build_vocab(kv, 1000, [t for t, _ in train], describe, res)[0], lm)

    def moved(decay):
        """How far the NER epochs move the LSTM from the language model's weights, and the
        output layer from where it starts (the same seed gives the same start)."""
        torch.manual_seed(3)
        start = train_bilstm_crf(train, vocab, E, describe, res, seed=3, epochs=0, hidden=8, lm=lm,
                                 log=lambda _: None).state_dict()["out.weight"].clone()
        sd = train_bilstm_crf(train, vocab, E, describe, res, seed=3, epochs=2, hidden=8, lm=lm,
                              encoder_lr_decay=decay, log=lambda _: None).state_dict()
        lstm = max(float((sd[k] - v).abs().max()) for k, v in lm["state"].items() if k.startswith("lstm."))
        return lstm, float((sd["out.weight"] - start).abs().max())

    lstm_full, out_full = moved(1.0)
    lstm_slow, out_slow = moved(100.0)
    assert lstm_full > 0 and lstm_slow > 0
    # Adam's step is about the learning rate: a 100th of the rate moves the encoder about a 100th as far
    assert lstm_slow < 0.05 * lstm_full
    # while the output layer learns at the full rate either way
    assert out_slow > 0.3 * out_full


def test_the_flag_takes_one_or_more():
    from rasid.train.ner import main

    with pytest.raises(SystemExit) as exc:
        main(["--encoder-lr-decay", "0.5", "--networks", "0"])
    assert exc.value.code == 2
