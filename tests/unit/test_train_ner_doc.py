"""Document-level features of the CRF (``rasid train ner --doc-features W``): what the other
mentions of a word show, computed from the text alone."""
from __future__ import annotations

import pytest

from rasid.arabic.tokenize import load_wordfreq
from rasid.stages.ner import load_tagger
from rasid.stages.ner_features import DOC_MAX_FREQ, document_features

# the same name once after a title, once after a verb, two sentences apart
SENTS = [["استقبل", "الرئيس", "هولاند", "الوفد", "أمس"],
         ["وأكدت", "المصادر", "أن", "الزيارة", "مهمة"],
         ["وقال", "هولاند", "إن", "الزيارة", "مهمة"]]


def _base(token):
    return load_tagger().describe(token).base


def _doc(sents, window):
    tagger = load_tagger()
    feats = document_features(tagger.batch(sents), window)
    return [feats[sum(map(len, sents[:i])):sum(map(len, sents[:i + 1]))] for i in range(len(sents))]


def test_a_mention_sees_what_the_others_show():
    doc = _doc(SENTS, 20)
    # هولاند alone after قال learns that elsewhere a person's title stood before it
    assert set(doc[2][1]) == {"D:rep", "D:trig=PER", "D:-1b=" + _base("الرئيس"), "D:+1b=" + _base("الوفد")}
    # and the one after the title what the verb's mention shows
    assert set(doc[0][2]) == {"D:rep", "D:-1b=" + _base("وقال"), "D:+1b=" + _base("إن")}


def test_triggers_frequent_words_and_single_mentions_get_nothing():
    doc = _doc(SENTS, 20)
    assert doc[0][1] == ()  # الرئيس is a trigger
    assert doc[0][0] == doc[0][3] == ()  # each once
    freq = load_wordfreq()
    frequent = [(i, j) for i, sent in enumerate(SENTS) for j, tok in enumerate(sent) if freq.get(_base(tok), 0) >= DOC_MAX_FREQ]
    assert len(frequent) >= 4  # function words and common nouns, some of them twice
    assert all(doc[i][j] == () for i, j in frequent)


def test_the_window_is_counted_in_sentences():
    assert _doc(SENTS, 2)[2][1] != ()
    one = _doc(SENTS, 1)
    assert one[2][1] == () and one[0][2] == ()  # two sentences apart: out of a window of 1
    # the same sentences without the middle one: one apart
    close = _doc([SENTS[0], SENTS[2]], 1)
    assert "D:trig=PER" in close[1][1]


def test_a_crf_trained_with_them_reads_them_when_tagging(tmp_path):
    """A (tiny) CRF trained on the ANERcorp excerpt with the features, written as a model
    directory: the tagger adds them as running text and leaves them out sentence by sentence."""
    from pathlib import Path

    import numpy as np

    from rasid.eval.ner import read_conll
    from rasid.stages.ner import NERTagger, _read_model_dir
    from rasid.stages.ner_features import extract_features
    from rasid.stages.ner_nn import flat_marginals
    from rasid.train.ner import featurize, train_crf, write_model_dir

    sents = read_conll(Path(__file__).resolve().parents[1] / "resources" / "anercorp-excerpt.txt")
    tagger = load_tagger()
    feats = featurize(sents, tagger.describe, tagger.resources, 20)
    plain = [extract_features(t, tagger.describe, tagger.resources) for t, _ in sents]
    assert any(len(f) > len(p) for s, q in zip(feats, plain) for f, p in zip(s, q))  # the excerpt's names recur
    assert featurize(sents, tagger.describe, tagger.resources, 0) == plain
    crf = tmp_path / "doc.crfsuite"
    train_crf(feats, [y for _, y in sents], crf, 0.05, 0.05, 30)
    blobs, _ = _read_model_dir(None)
    write_model_dir(tmp_path / "m", crf.read_bytes(), blobs["clusters.tsv.gz"], blobs["gazetteer.tsv.gz"], [], None, 0.5,
                    {"settings": {"doc_features": 20}})
    model = NERTagger(tmp_path / "m")
    assert model.doc_window == 20
    tokens = [t for t, _ in sents]
    batch = model.batch(tokens)
    lengths = [len(t) for t in tokens]
    for window, lists in ((None, feats), (0, plain)):
        want = flat_marginals(np.concatenate([model.crf.scores(f) for f in lists]), lengths,
                              model.trans, model.start, model.end)
        assert np.allclose(model.batch_posteriors(batch, window), want, atol=1e-6)
    # and the two differ: the features move the scores
    assert not np.allclose(model.batch_posteriors(batch), model.batch_posteriors(batch, 0))


def test_train_ner_refuses_a_negative_window_before_any_work(tmp_path, capsys):
    from rasid.train.ner import main

    with pytest.raises(SystemExit) as exc:
        main(["--networks", "0", "--work", str(tmp_path / "work"), "--doc-features", "-1"])
    assert exc.value.code == 2
    assert "--doc-features: a window of 0 or more sentences" in capsys.readouterr().err
    assert not (tmp_path / "work").exists()


@pytest.mark.skipif(not __import__("importlib").util.find_spec("torch"), reason="torch is a training extra")
def test_a_network_trained_with_them_reads_them(tmp_path):
    """A (tiny) network trained on the ANERcorp excerpt with the features as inputs
    (``--doc-features W`` with networks): the numpy tagger gives torch's emissions when it
    is given the batch's document-level features, other ones without them, and
    ``NERTagger`` hands them to it as running text only."""
    from pathlib import Path

    import numpy as np
    import torch

    from ner_fixtures import RandomVectors
    from rasid.eval.ner import read_conll
    from rasid.stages.ner import NERTagger, _read_model_dir
    from rasid.stages.ner_nn import BiLSTMCRF, WordVectors, flat_marginals
    from rasid.train import ner_nn as train_nn
    from rasid.train.ner import featurize, train_crf, write_model_dir

    sents = read_conll(Path(__file__).resolve().parents[1] / "resources" / "anercorp-excerpt.txt")
    tagger = load_tagger()
    describe, res = tagger.describe, tagger.resources
    tokens = [t for t, _ in sents]
    kv = RandomVectors(sorted({describe(t).base for s in tokens for t in s}))
    plain_vocab, _ = train_nn.build_vocab(kv, 1000, tokens, describe, res)
    vocab, E = train_nn.build_vocab(kv, 1000, tokens, describe, res, 20)
    doc_inputs = {f for f in vocab.feats if f.startswith("D:")}
    assert "D:rep" in doc_inputs and set(vocab.feats) - doc_inputs == set(plain_vocab.feats)
    assert all(f.startswith(train_nn.DOC_INPUTS) for f in doc_inputs) and len(doc_inputs) > 2  # not the words around
    model = train_nn.train_bilstm_crf(sents, vocab, E, describe, res, seed=1, epochs=1, hidden=8, doc_window=20,
                                      log=lambda _: None)
    raw = train_nn.export(model, vocab, E)
    net = BiLSTMCRF(raw, WordVectors(train_nn.export_vectors(kv.index_to_key, E)))
    assert net.reads_doc
    batch = tagger.batch(tokens)
    doc = document_features(batch, 20)
    docs = train_nn.document_inputs(tokens, describe, res, 20)
    assert [d for s in docs for d in s] == doc
    data = [(vocab.encode([describe(t) for t in s], res, d), [0] * len(s)) for s, d in zip(tokens, docs)]
    without = [vocab.encode([describe(t) for t in s], res)[2] for s in tokens]
    assert any(len(f) > len(g) for ((_, _, fs), _), gs in zip(data, without) for f, g in zip(fs, gs))
    W, Ch, F, M, _ = train_nn._batch(data, len(vocab.feats))
    with torch.no_grad():
        em = model.emissions(W, Ch, F, M).numpy()
    want = np.concatenate([em[b, :len(s)] for b, s in enumerate(tokens)])
    got = net.batch_emissions(batch, doc)
    np.testing.assert_allclose(got, want, atol=1e-4)
    assert not np.allclose(net.batch_emissions(batch), got, atol=1e-3)  # the features move its scores
    # in a model directory: the tagger computes them once, for the CRF and the network
    crf = tmp_path / "doc.crfsuite"
    train_crf(featurize(sents, describe, res, 20), [y for _, y in sents], crf, 0.05, 0.05, 30)
    blobs, _ = _read_model_dir(None)
    write_model_dir(tmp_path / "m", crf.read_bytes(), blobs["clusters.tsv.gz"], blobs["gazetteer.tsv.gz"], [raw],
                    train_nn.export_vectors(kv.index_to_key, E), 0.4, {"settings": {"doc_features": 20}})
    m = NERTagger(tmp_path / "m")
    batch = m.batch(tokens)
    lengths = [len(s) for s in tokens]
    for window, d in ((None, doc), (0, None)):
        crf_scores = m.crf.batch_scores(batch) + (m.crf.scores(d) if d else 0.0)
        scores = 0.4 * crf_scores + 0.6 * m.nets[0].batch_emissions(batch, d)
        want = flat_marginals(scores, lengths, m.trans, m.start, m.end)
        assert np.allclose(m.batch_posteriors(batch, window), want, atol=1e-6)


@pytest.mark.skipif(not __import__("importlib").util.find_spec("torch"), reason="torch is a training extra")
def test_rasid_train_ner_gives_the_networks_them_only_with_the_flag():
    """``train_networks`` (what ``rasid train ner`` calls with ``--doc-features W``): its
    networks read the document-level features with a window and none without one, so the
    default recipe's networks are as before."""
    from pathlib import Path

    from ner_fixtures import RandomVectors
    from rasid.eval.ner import read_conll
    from rasid.stages.ner_nn import BiLSTMCRF, WordVectors
    from rasid.train.ner import train_networks

    sents = read_conll(Path(__file__).resolve().parents[1] / "resources" / "anercorp-excerpt.txt")[:12]
    tagger = load_tagger()
    kv = RandomVectors(sorted({tagger.describe(t).base for s, _ in sents for t in s}))
    read = {}
    for window in (0, 20):
        nets, vectors = train_networks(sents, 1, 1, 1, 4, kv, 1000, tagger.describe, tagger.resources, doc_window=window)
        net = BiLSTMCRF(nets[0], WordVectors(vectors))
        read[window] = sorted(f for f in net.vocab.feats if f.startswith("D:"))
    assert read[0] == [] and "D:rep" in read[20]
