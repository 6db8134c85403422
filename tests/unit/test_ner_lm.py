"""Language-model pretraining of the NER network (``rasid train ner --lm-pretrain N``,
``rasid.train.ner_lm``): the news reader, the cluster targets, that each direction
predicts only from the side it reads, and that a tagger starts from the encoder."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasid.eval.ner import read_conll
from rasid.stages.ner import load_tagger
from rasid.train.ner_lm import MAX_TOKENS, cluster_targets, news_sentences

from ner_fixtures import RandomVectors

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "rasid" / "sample" / "paris-2015.txt"
needs_torch = pytest.mark.skipif(not __import__("importlib").util.find_spec("torch"), reason="torch is a training extra")


def _news(root: Path, records) -> Path:
    path = root / "news/saudinewsnet/saudinewsnet.jsonl.gz"
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return root


def test_news_sentences_cut_at_sentence_ends_and_are_drawn_with_the_seed(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    data = _news(tmp_path, [{"title": "هجوم على صحيفة شارل إبدو في باريس", "content": text}])
    every = news_sentences(data, 10_000, seed=1)
    assert ["هجوم", "على", "صحيفة", "شارل", "إبدو", "في", "باريس"] in every
    assert all(5 <= len(s) <= MAX_TOKENS for s in every)
    # a sentence ends at its full stop: none holds one inside
    assert all(t not in {".", "؟", "!"} for s in every for t in s[:-1])
    assert any(s[-1] == "." for s in every) and any("هولاند" in s for s in every)
    some = news_sentences(data, 5, seed=1)
    assert len(some) == 5 and all(s in every for s in some)
    assert some == news_sentences(data, 5, seed=1) != news_sentences(data, 5, seed=2)
    # asked for more than there are: all of them, in an order drawn with the seed (the
    # language model's vocabulary reads the first ones, so not the first articles only)
    again = news_sentences(data, 10_000, seed=2)
    assert sorted(again) == sorted(every) and again != every


def test_cluster_targets_use_the_finest_level():
    cls, n = cluster_targets(["باريس", "قال", "نادر"], {"باريس": ("3", "40", "700"), "قال": ("1", "2", "1023")})
    assert n == 1025
    # ids 0 and 1 (padding, unknown) and a word without a cluster share the last class
    assert cls.tolist() == [1024, 1024, 700, 1023, 1024]


@pytest.fixture(scope="module")
def setup():
    tagger = load_tagger()
    train = read_conll(RESOURCES / "anercorp-excerpt.txt")
    kv = RandomVectors(sorted({tagger.describe(t).base for s, _ in train for t in s}))
    return tagger, train, kv


@needs_torch
def test_each_direction_reads_only_its_side_and_the_tagger_starts_from_it(setup):
    import torch

    from rasid.train.ner_lm import load_encoder, merge_vocab, train_lm
    from rasid.train.ner_nn import _batch, _torch_model, build_vocab

    tagger, train, kv = setup
    describe, res = tagger.describe, tagger.resources
    news = [t for t, _ in train[:12]]
    lm_vocab, E = build_vocab(kv, 1000, news, describe, res)
    cls, n = cluster_targets(kv.index_to_key, {w: ("0", "0", str(i % 7)) for i, w in enumerate(kv.index_to_key)})
    lm = train_lm(news, lm_vocab, E, cls, n, describe, res, seed=1, hidden=8, batch_size=4, log=lambda _: None)
    assert set(lm["state"]) >= {"lstm.weight_ih_l0", "lstm.weight_ih_l0_reverse", "cemb.weight", "fproj.weight"}
    again = train_lm(news, lm_vocab, E, cls, n, describe, res, seed=1, hidden=8, batch_size=4, log=lambda _: None)
    assert all(torch.equal(lm["state"][k], again["state"][k]) for k in lm["state"])  # seeded

    # the tagger's vocabulary (other sentences) gets the language model's characters and features
    vocab = merge_vocab(build_vocab(kv, 1000, [t for t, _ in train[12:]], describe, res)[0], lm)
    assert set(lm["chars"]) <= set(vocab.chars) and set(lm["feats"]) <= set(vocab.feats)
    torch.manual_seed(2)
    model = _torch_model(E, len(vocab.chars), len(vocab.feats), 8, 0.5, finetune=False)
    load_encoder(model, vocab, lm)
    sd = model.state_dict()
    assert torch.equal(sd["lstm.weight_hh_l0_reverse"], lm["state"]["lstm.weight_hh_l0_reverse"])
    ch = lm["chars"][3]
    assert torch.equal(sd["cemb.weight"][vocab.chars[ch]], lm["state"]["cemb.weight"][lm["chars"].index(ch) + 2])
    f = lm["feats"][0]
    assert torch.equal(sd["fproj.weight"][:, vocab.feats[f]], lm["state"]["fproj.weight"][:, 0])

    # the forward half at token i does not see tokens after i, the backward half none before
    model.eval()
    toks = train[0][0][:10]
    other = toks[:5] + ["باريس"] * 5
    enc = [(vocab.encode([describe(t) for t in s], res), [0] * len(s)) for s in (toks, other)]
    W, Ch, F, M, _ = _batch(enc, len(vocab.feats))
    with torch.no_grad():
        o = model.encode(W, Ch, F, M)
    assert torch.allclose(o[0, :5, :8], o[1, :5, :8]) and not torch.allclose(o[0, 5:, :8], o[1, 5:, :8])
    assert not torch.allclose(o[0, :5, 8:], o[1, :5, 8:])
    flipped = ["باريس"] * 5 + toks[5:]
    enc = [(vocab.encode([describe(t) for t in s], res), [0] * len(s)) for s in (toks, flipped)]
    W, Ch, F, M, _ = _batch(enc, len(vocab.feats))
    with torch.no_grad():
        o = model.encode(W, Ch, F, M)
    assert torch.allclose(o[0, 5:, 8:], o[1, 5:, 8:]) and not torch.allclose(o[0, 5:, :8], o[1, 5:, :8])
