"""The NER ensemble's numpy parts: the CRF read from its weights, batched forward-backward
and Viterbi, the BiLSTM forward pass, and the tagger that averages them."""
from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from rasid.eval.ner import main as eval_main
from rasid.eval.ner import read_conll
from rasid.stages.ner import NERTagger, load_tagger
from rasid.stages.ner_features import extract_features, match_gazetteer, ptrig
from rasid.stages.ner_nn import (TAGS, BiLSTMCRF, WordVectors, bigram_index, crf_marginals, flat_marginals,
                                 flat_viterbi, viterbi, viterbi_batch)

from ner_fixtures import RandomVectors

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


@pytest.fixture(scope="module")
def tagger() -> NERTagger:
    return load_tagger()


@pytest.fixture(scope="module")
def sentences() -> list[list[str]]:
    return [t for t, _ in read_conll(RESOURCES / "anercorp-excerpt.txt")]


def _brute_marginals(em, trans, start, end):
    n, T = em.shape
    marg = np.zeros((n, T))
    z = 0.0
    for path in itertools.product(range(T), repeat=n):
        s = start[path[0]] + end[path[-1]] + sum(em[i, t] for i, t in enumerate(path))
        s += sum(trans[a, b] for a, b in zip(path, path[1:]))
        p = np.exp(s)
        z += p
        for i, t in enumerate(path):
            marg[i, t] += p
    return marg / z


def test_crf_marginals_match_enumeration():
    rng = np.random.default_rng(7)
    T = 3
    trans, start, end = rng.normal(size=(T, T)) * 2, rng.normal(size=T), rng.normal(size=T)
    ems = [rng.normal(size=(n, T)) * 3 for n in (1, 4, 2, 5, 3)] + [np.zeros((0, T))]
    got = crf_marginals(ems, trans, start, end)
    assert got[-1].shape == (0, T)
    for em, m in zip(ems[:-1], got):
        np.testing.assert_allclose(m, _brute_marginals(em, trans, start, end), atol=1e-9)


def _path_log_probs(em, trans, start, end) -> np.ndarray:
    """log P(path) of a linear-chain model over every path of a short sentence, by enumeration."""
    n, T = em.shape
    paths = np.array(list(itertools.product(range(T), repeat=n)))
    s = start[paths[:, 0]] + end[paths[:, -1]] + em[np.arange(n), paths].sum(1)
    s += trans[paths[:, :-1], paths[:, 1:]].sum(1)
    return s - np.logaddexp.reduce(s), paths


def test_ensemble_posteriors_are_the_product_of_the_models(tagger):
    """The tagger's posteriors are the marginals of the weighted product of the CRF's and
    the network's sequence distributions, P(y) ~ P_crf(y)^w * P_net(y)^(1-w), checked by
    enumerating every tag sequence of a real four-token sentence; they are not the
    average of the models' marginals (what the tagger did before)."""
    assert tagger.nets, "the shipped model has a network"
    tokens = ["قال", "الرئيس", "فرانسوا", "هولاند"]
    batch = tagger.batch([tokens])
    models = [(tagger.crf, tagger.crf.batch_scores(batch))] + [(n, n.batch_emissions(batch)) for n in tagger.nets]
    pooled = 0.0
    for w, (m, em) in zip(tagger.weights, models):
        logp, paths = _path_log_probs(em, m.trans, m.start, m.end)
        pooled = pooled + w * logp
    p = np.exp(pooled - np.logaddexp.reduce(pooled))
    want = np.zeros((len(tokens), len(TAGS)))
    for i in range(len(tokens)):
        np.add.at(want[i], paths[:, i], p)
    got = tagger.batch_posteriors(batch)
    np.testing.assert_allclose(got, want, atol=1e-6)
    average = sum(w * flat_marginals(em, batch.lengths, m.trans, m.start, m.end)
                  for w, (m, em) in zip(tagger.weights, models))
    assert np.abs(got - average).max() > 1e-3
    assert tagger.weights.sum() == pytest.approx(1.0)


def _log_marginals(em, trans, start, end):
    """Forward-backward in log space (no rescaling to get wrong), one sentence."""
    n, T = em.shape
    fwd, bwd = np.empty((n, T)), np.empty((n, T))
    fwd[0] = start + em[0]
    for i in range(1, n):
        fwd[i] = np.logaddexp.reduce(fwd[i - 1][:, None] + trans, axis=0) + em[i]
    bwd[-1] = end
    for i in range(n - 2, -1, -1):
        bwd[i] = np.logaddexp.reduce(trans + em[i + 1] + bwd[i + 1], axis=1)
    z = fwd + bwd
    return np.exp(z - np.logaddexp.reduce(z, axis=1, keepdims=True))


@pytest.mark.parametrize("scale", [4.0, 40.0])  # transition spans under 40 (rescaled every 4th step) and over
def test_marginals_of_long_sentences(scale):
    """Forward-backward over sentences of up to 200 tokens with emissions and transitions
    far apart equals log-space forward-backward: the messages rescaled only every few
    steps neither underflow nor lose precision."""
    rng = np.random.default_rng(11)
    T = 9
    trans, start, end = rng.normal(size=(T, T)) * scale, rng.normal(size=T), rng.normal(size=T)
    ems = [rng.normal(size=(n, T)) * 15 for n in (200, 1, 77, 5, 160)]
    got = crf_marginals(ems, trans, start, end)
    for em, m in zip(ems, got):
        np.testing.assert_allclose(m, _log_marginals(em, trans, start, end), atol=1e-9)


def test_gazetteer_matches_equal_every_length_tried(tagger, sentences):
    """``match_sentences`` (a phrase of two words or more tried only where its first two
    words start one) gives the features of trying every phrase length at every word, on
    ANERcorp sentences and SaudiNewsNet articles."""
    from bisect import bisect_right

    from rasid.doc import Document
    from rasid.stages.ner import group_tokens_by_sentence
    from rasid.stages.ner_features import match_sentences
    from rasid.stages.tokenize import TokenizeStage

    lines = (RESOURCES / "saudinewsnet-stories.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    news = [[t.text for t in toks] for line in lines
            for _, toks in group_tokens_by_sentence(TokenizeStage()(Document(text=json.loads(line)["content"])))]
    batch = tagger.batch(sentences + news)
    gaz, want = tagger.resources.gazetteer, [[] for _ in batch.infos]
    covered: dict[str, int] = {}
    for i, x in enumerate(batch.infos):
        if not x.gaz_lens:
            want[i].extend(x.gaz_alt)
        n = batch.ends[bisect_right(batch.ends, i)]
        for L in x.gaz_lens:
            for t in sorted(gaz.get((x.gaz_first, *[y.norm for y in batch.infos[i + 1:i + L]]), ()) if i + L <= n else ()):
                if covered.get(t, -1) <= i:
                    covered[t] = i + L
                    want[i].append(f"g:{t}:1" if L == 1 else f"g:{t}:B")
                    for j in range(i + 1, i + L):
                        want[j].append(f"g:{t}:I")
    got = match_sentences(batch.infos, batch.ends, tagger.resources)
    assert [list(g) for g in got] == want
    assert sum(any(f.endswith(":B") for f in g) for g in got) > 20


def test_viterbi_batch_equals_viterbi():
    rng = np.random.default_rng(3)
    trans, start, end = rng.normal(size=(9, 9)), rng.normal(size=9), rng.normal(size=9)
    scores = [rng.normal(size=(n, 9)) for n in rng.integers(0, 40, size=300)]
    want = [viterbi(s, trans, start, end) if len(s) else [] for s in scores]
    assert viterbi_batch(scores, trans, start, end) == want


def test_best_bio_paths_equal_viterbi(tagger, sentences):
    """Viterbi runs only where the best tags are not a valid BIO sequence: the paths are
    still Viterbi's, on random scores (the best tags mostly invalid) and on the ensemble's
    posteriors of real sentences (mostly valid)."""
    from rasid.stages.ner import _VALID, _VALID_END, _VALID_START, best_bio_paths

    rng = np.random.default_rng(3)
    lengths = rng.integers(0, 30, size=200).tolist()
    scores = rng.normal(size=(sum(lengths), len(TAGS))) * 3
    want = flat_viterbi(scores, lengths, _VALID, _VALID_START, _VALID_END)
    assert not np.array_equal(scores.argmax(1), want)
    assert np.array_equal(best_bio_paths(scores, lengths), want)
    batch = tagger.batch(sentences + [[]])
    logp = np.log(tagger.batch_posteriors(batch) + 1e-12)
    assert np.array_equal(best_bio_paths(logp, batch.lengths),
                          flat_viterbi(logp, batch.lengths, _VALID, _VALID_START, _VALID_END))


def test_linear_crf_matches_crfsuite(tagger, sentences):
    """The CRF's posteriors computed in numpy from its weights equal crfsuite's own."""
    from importlib import resources

    raw = resources.files("rasid.models").joinpath("ner", "model.crfsuite").read_bytes()
    ref = pycrfsuite.Tagger()
    ref.open_inmemory(raw)
    for tokens in sentences[:8]:
        infos = [tagger.describe(t) for t in tokens]
        gaz = match_gazetteer(infos, tagger.resources)
        feats = extract_features(tokens, tagger.describe, tagger.resources, infos, gaz)
        ref.set(feats)
        want = np.array([[ref.marginal(t, i) for t in TAGS] for i in range(len(tokens))])
        np.testing.assert_allclose(tagger.crf.marginals([feats])[0], want, atol=1e-5)

    # the cached per-token scores, the bigrams and the gazetteer features added over a batch
    # of sentences equal the scores of each sentence's full feature lists
    batch = tagger.batch(sentences + [[]] + sentences[:3])
    want = [tagger.crf.scores(tagger.features(s)) for s in sentences + [[]] + sentences[:3]]
    for got, w in zip(batch.sentences(tagger.crf.batch_scores(batch)), want):
        np.testing.assert_allclose(got, w, atol=1e-9)


def test_bigram_index_holds_every_bigram_attribute(tagger):
    """The CRF's word bigrams looked up by their two words give the id of the attribute
    whose name they make; a name that a "|" inside a word makes ambiguous is found from
    both pairs that build it, as a lookup by name finds it."""
    attrs = tagger.crf.attrs
    index, zero = bigram_index(attrs), len(attrs)
    names = [n for n in attrs if n.startswith(("-1w|w=", "w|+1w="))]
    assert len(names) > 1000
    for name in names:
        a, _, b = name[6:].partition("|")
        ids = index[a, b]
        assert ids[name[0] == "w"] == attrs[name]
        other = ("w|+1w=" if name[0] == "-" else "-1w|w=") + a + "|" + b
        assert ids[name[0] != "w"] == attrs.get(other, zero)
    index = bigram_index({"-1w|w=قال|وزير|الخارجية": 0, "w|+1w=قال|وزير": 1, "bias": 2})
    assert index == {("قال", "وزير|الخارجية"): (0, 3), ("قال", "وزير"): (3, 1), ("قال|وزير", "الخارجية"): (0, 3)}


def test_crf_arrays_hold_the_crfsuite_weights(tagger, tmp_path):
    """``crf.npz`` (what the tagger loads) holds exactly the weights crfsuite gives for
    ``model.crfsuite``; a model directory without it still loads (through crfsuite) and
    ``--convert-model`` adds it and stores the vectors uncompressed, the same arrays."""
    from importlib import resources

    from rasid.stages.ner_nn import LinearCRF
    from rasid.train.ner import main as train_main

    src = resources.files("rasid.models").joinpath("ner")
    ref = pycrfsuite.Tagger()
    ref.open_inmemory(src.joinpath("model.crfsuite").read_bytes())
    want = LinearCRF.from_tagger(ref)
    assert "crf.npz" in tagger.manifest["files"]
    got = LinearCRF.from_npz(src.joinpath("crf.npz").read_bytes())
    assert list(got.attrs.items()) == list(want.attrs.items())
    assert np.array_equal(got.weights, want.weights) and np.array_equal(got.trans, want.trans)
    assert np.array_equal(tagger.crf.weights, want.weights)
    # an older model directory: no crf.npz
    manifest = json.loads(src.joinpath("manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["crf.npz"]
    for name in manifest["files"]:
        (tmp_path / name).write_bytes(src.joinpath(name).read_bytes())
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old = NERTagger(tmp_path, networks=0)
    assert np.array_equal(old.crf.weights, want.weights)
    assert train_main(["--convert-model", str(tmp_path)]) == 0
    converted = NERTagger(tmp_path)
    assert "crf.npz" in converted.manifest["files"]
    assert list(converted.crf.attrs) == list(want.attrs) and np.array_equal(converted.crf.weights, want.weights)
    with np.load(tmp_path / "vectors.npz") as a, np.load(io.BytesIO(src.joinpath("vectors.npz").read_bytes())) as b:
        assert a["words"].tolist() == b["words"].tolist() and np.array_equal(a["vectors"], b["vectors"])
    assert np.array_equal(converted.nets[0].emb, tagger.nets[0].emb)


def test_network_lstm_matches_reference_equations(tagger, sentences):
    """The fast LSTM (gates reordered, one exp) equals the textbook equations on the raw
    (torch-layout) weights of the shipped network."""
    assert tagger.nets, "the shipped model is an ensemble"
    from importlib import resources

    name = tagger.manifest["ensemble"]["networks"][0]
    z = np.load(io.BytesIO(resources.files("rasid.models").joinpath("ner", name).read_bytes()))
    net = tagger.nets[0]
    tokens = sentences[0]
    infos = [tagger.describe(t) for t in tokens]
    X = net.batch_inputs(tagger.batch([tokens]))

    def lstm(x, d):
        wih, whh, b = z[f"wih_{d}"], z[f"whh_{d}"], z[f"b_{d}"]
        H = whh.shape[1]
        h, c, out = np.zeros(H), np.zeros(H), []
        sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
        for row in x:
            g = wih @ row + whh @ h + b
            i, f, gg, o = sig(g[:H]), sig(g[H:2 * H]), np.tanh(g[2 * H:3 * H]), sig(g[3 * H:])
            c = f * c + i * gg
            h = o * np.tanh(c)
            out.append(h)
        return np.array(out)

    hidden = np.concatenate([lstm(X, "f"), lstm(X[::-1], "b")[::-1]], axis=1)
    want = hidden @ z["out_w"].T + z["out_b"]
    np.testing.assert_allclose(net.flat_emissions(X, [len(X)]), want, atol=1e-4)
    # in a batch of other sentences: the same numbers (but for float rounding)
    batch = tagger.batch(sentences[1:6] + [tokens] + sentences[6:9])
    at = sum(len(s) for s in sentences[1:6])
    em = net.flat_emissions(net.batch_inputs(batch), batch.lengths)
    np.testing.assert_allclose(em[at:at + len(tokens)], want, atol=1e-4)


def test_posteriors_are_distributions(tagger, sentences):
    posts = tagger.posteriors(sentences[:5] + [[]])
    assert posts[-1].shape == (0, len(TAGS))
    for tokens, p in zip(sentences, posts[:5]):
        assert p.shape == (len(tokens), len(TAGS))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    tagged = tagger.tag_batch(sentences[:5])
    for (tags, probs), p in zip(tagged, posts):
        assert all(0.0 <= x <= 1.0 for x in probs)
        assert all(not (b.startswith("I-") and a[2:] != b[2:]) for a, b in zip(["O"] + tags, tags))


def test_batched_tagging_equals_one_sentence_at_a_time(tagger, sentences):
    """The batch path (one ``TokenBatch`` for every sentence of a call: the CRF's scores,
    the networks' inputs and LSTM, forward-backward of all the models and Viterbi over
    padded batches) gives each sentence the tags and confidences it gets alone, on real
    Arabic text: ANERcorp sentences and the sentences of SaudiNewsNet articles as the
    stage cuts them."""
    from rasid.doc import Document
    from rasid.stages.ner import group_tokens_by_sentence
    from rasid.stages.tokenize import TokenizeStage

    lines = (RESOURCES / "saudinewsnet-stories.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    news = [[t.text for t in toks] for line in lines
            for _, toks in group_tokens_by_sentence(TokenizeStage()(Document(text=json.loads(line)["content"])))]
    batch_of = sentences + [[]] + news
    together = tagger.tag_batch(batch_of)
    assert sum(t != "O" for tags, _ in together for t in tags) > 50
    for tokens, (tags, probs) in zip(batch_of, together):
        alone_tags, alone_probs = tagger.tag_batch([tokens])[0]
        assert tags == alone_tags
        np.testing.assert_allclose(probs, alone_probs, atol=1e-6)
    # the batch's ptrig rule (from each trigger on) equals the per-token one of the features
    batch = tagger.batch(batch_of)
    for infos, got in zip(batch.sentences(batch.infos), batch.sentences(batch.ptrig)):
        assert [list(x) for x in got] == [ptrig(infos, i) for i in range(len(infos))]
    assert sum(map(bool, batch.ptrig)) >= 3


def test_context_pass_only_adds_entities(tagger, sentences):
    plain = tagger.tag_sentences(sentences)
    ctx = tagger.tag_sentences(sentences, context=20)
    for a, b in zip(plain, ctx):
        for x, y in zip(a, b):
            assert x == "O" or x == y  # a tag the models gave is never changed


def test_eval_context_flag(capsys):
    assert eval_main([str(RESOURCES / "anercorp-excerpt.txt"), "--context", "0"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("micro-F1 ")


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
def test_word_vectors_roundtrip(save):
    """Stored uncompressed (as shipped), the vectors are read as a view of the file's bytes."""
    buf = io.BytesIO()
    vectors = np.arange(6, dtype=np.float16).reshape(2, 3)
    save(buf, words=np.array(["باريس", "فرنسا"]), vectors=vectors)
    raw = buf.getvalue()
    vec = WordVectors(raw)
    assert vec.index == {"باريس": 2, "فرنسا": 3}
    assert vec.vectors.dtype == np.float16 and (vec.vectors == vectors).all()
    base = vec.vectors
    while isinstance(base, np.ndarray):
        base = base.base
    assert (base is raw) == (save is np.savez)
    matrix = vec.matrix()
    assert matrix.shape == (4, 3) and not matrix[:2].any() and (matrix[2:] == vectors).all()
    assert matrix.flags.writeable and matrix is not vec.matrix()


@pytest.mark.skipif(not __import__("importlib").util.find_spec("torch"), reason="torch is a training extra")
def test_trained_network_exports_to_numpy(tagger, sentences):
    """A network trained with torch (one epoch on the excerpt) gives the same emissions
    once exported and run in numpy."""
    import torch

    from rasid.train.ner_nn import _batch, build_vocab, export, export_vectors, train_bilstm_crf

    kv = RandomVectors(sorted({tagger.describe(t).base for s in sentences for t in s}))
    train = read_conll(RESOURCES / "anercorp-excerpt.txt")
    vocab, E = build_vocab(kv, 1000, [t for t, _ in train], tagger.describe, tagger.resources)
    model = train_bilstm_crf(train, vocab, E, tagger.describe, tagger.resources, seed=1, epochs=1, hidden=8,
                             log=lambda _: None)
    net = BiLSTMCRF(export(model, vocab, E), WordVectors(export_vectors(kv.index_to_key, E)))
    tokens = train[0][0]
    infos = [tagger.describe(t) for t in tokens]
    X = net.batch_inputs(tagger.batch([tokens]))
    data = [(vocab.encode(infos, tagger.resources), [0] * len(tokens))]
    W, Ch, F, M, _ = _batch(data, len(vocab.feats))
    with torch.no_grad():
        want = model.emissions(W, Ch, F, M)[0].numpy()
    np.testing.assert_allclose(net.flat_emissions(X, [len(X)]), want, atol=1e-4)


def test_row_caches_sharing_one_string_table():
    """The tagger's CRF and network caches share one string table: a call's strings are looked
    up once, and each cache computes the rows it lacks, also after the table made room or was
    cleared by the other cache."""
    from rasid.stages.ner_nn import RowCache, Slots

    computed: dict[str, list[list[str]]] = {"a": [], "b": []}

    def compute(name, scale):
        def rows(infos):
            computed[name].append(list(infos))
            return np.array([[scale * ord(x[0])] for x in infos], np.float32)
        return rows

    slots = Slots(limit=4)
    first, second = RowCache(compute("a", 1), slots=slots), RowCache(compute("b", 2), slots=slots)
    assert second.slots is first.slots

    def call(tokens, infos):  # one call, as the tagger makes it: the same list to both caches
        got = []
        for c in (first, second):
            ids = c.ids(tokens, infos)  # first: it may make the matrix
            got.append(c.rows[ids][:, 0].tolist())
        assert first.ids(tokens, infos) is second.ids(tokens, infos)  # looked up once
        return got

    assert call(["x", "y", "x"], ["X", "Y", "X"]) == [[88, 89, 88], [176, 178, 176]]
    assert computed == {"a": [["X", "Y"]], "b": [["X", "Y"]]}
    alone = first.ids(["z"], ["Z"])  # the first cache alone: the table has z now
    assert first.rows[alone][0, 0] == 90
    assert call(["z", "x"], ["Z", "X"]) == [[90, 88], [180, 176]]
    assert computed["a"][-1] == ["Z"] and computed["b"][-1] == ["Z"]  # the second computes z when asked
    # full: x, y, z and two new strings; y, asked for longest ago, makes room, and both caches
    # compute the new rows (and y's again when it comes back)
    assert call(["v", "w", "z"], ["V", "W", "Z"]) == [[86, 87, 90], [172, 174, 180]]
    assert sorted(slots.index) == ["v", "w", "x", "z"] and computed["b"][-1] == ["V", "W"]
    assert call(["y", "x"], ["Y", "X"]) == [[89, 88], [178, 176]]
    assert computed["a"][-1] == computed["b"][-1] == ["Y"]
    # cleared by one cache: the other computes every row again too
    second.clear()
    assert len(first) == 0 and second.rows is None
    assert call(["w", "x"], ["W", "X"]) == [[87, 88], [174, 176]]
    assert computed["a"][-1] == computed["b"][-1] == ["W", "X"]


def test_token_caches_are_bounded():
    from rasid.stages.ner_nn import RowCache

    computed: list[list[str]] = []

    def compute(infos):
        computed.append(list(infos))
        return np.array([[ord(x[0]), len(x)] for x in infos], np.float32)

    def take(tokens, infos):  # the rows of the tokens, as the tagger reads them
        ids = cache.ids(tokens, infos)  # first: it may make the matrix
        return cache.rows[ids]

    cache = RowCache(compute, limit=3)
    assert take(["a", "b"], ["A", "BB"]).tolist() == [[65, 1], [66, 2]]
    assert take(["b", "c", "c", "a"], ["BB", "C", "C", "A"]).tolist() == [[66, 2], [67, 1], [67, 1], [65, 1]]
    assert computed == [["A", "BB"], ["C"]]  # each string once
    # over the limit: emptied, and then every string of the call is computed, even past the limit
    got = take(["a", "d", "e", "f"], ["A", "D", "E", "F"])
    assert computed[-1] == ["A", "D", "E", "F"] and got[:, 0].tolist() == [65, 68, 69, 70]
    assert sorted(cache.index) == ["a", "d", "e", "f"]
    assert take(["f", "a"], ["F", "A"]).tolist() == [[70, 1], [65, 1]] and len(computed) == 3
    # full: the strings asked for longest ago make room (at least an eighth of the cache), the rest stay
    cache = RowCache(compute, limit=4)
    take(["a", "b", "c", "d"], ["A", "BB", "C", "D"])
    take(["d", "b"], ["D", "BB"])
    take(["a"], ["A"])
    assert take(["e", "a"], ["E", "A"]).tolist() == [[69, 1], [65, 1]] and computed[-1] == ["E"]
    assert sorted(cache.index) == ["a", "b", "d", "e"]  # c, unused since the first call, went
    assert take(["b", "d", "e"], ["BB", "D", "E"]).tolist() == [[66, 2], [68, 1], [69, 1]]
    assert computed[-1] == ["E"]
    # cleared (bench/memory_worker.py's report): nothing kept, the same rows computed again
    assert len(cache) == 4
    cache.clear()
    assert len(cache) == 0 and cache.rows is None
    assert take(["e", "b"], ["E", "BB"]).tolist() == [[69, 1], [66, 2]] and computed[-1] == ["E", "BB"]


def test_row_cache_keeps_the_strings_asked_for_again():
    """Making room, a string asked for in two calls outlasts strings asked for once, even
    those asked for since (most strings of an article are never asked for again); the
    present call's strings stay whatever their rank."""
    from rasid.stages.ner_nn import RowCache

    computed: list[str] = []

    def compute(infos):
        computed.extend(infos)
        return np.array([[ord(x[0])] for x in infos], np.float32)

    cache = RowCache(compute, limit=16)
    once = [chr(c) for c in range(ord("c"), ord("q"))]  # 14 strings, asked for once
    for call in (["a", "b"], ["a", "b"], once):
        cache.ids(call, [x.upper() for x in call])
    assert len(cache) == 16 and computed == ["A", "B"] + [x.upper() for x in once]
    ids = cache.ids(["q", "r", "c"], ["Q", "R", "C"])  # full: two strings make way
    assert cache.rows[ids][:, 0].tolist() == [81, 82, 67] and computed[-2:] == ["Q", "R"]
    assert {"a", "b", "c", "q", "r"} <= set(cache.index) and len(cache) == 16
    assert len(set(once) - set(cache.index)) == 2  # by age alone, a and b would have gone


def test_the_taggers_analyses_are_kept_with_its_rows(tagger, sentences):
    """The tagger's analyses (`ItemCache`, in the row caches' string table) are the
    describer's for real Arabic tokens: made once while their strings stay, made again after
    the table made room for them, and the table stays bounded."""
    from rasid.stages.ner_nn import ItemCache, Slots

    strings = list(dict.fromkeys(t for sent in sentences[:30] for t in sent))
    calls = [strings[i:i + 25] for i in range(0, 150, 25)]
    made: list[str] = []
    cache = ItemCache(lambda t: made.append(t) or tagger.describe(t), Slots(limit=60))
    for call in calls:
        assert cache.many(call) == [tagger.describe(t) for t in call]
    assert made == strings[:150] and len(cache) <= 60
    assert cache.many(calls[-1]) == [tagger.describe(t) for t in calls[-1]] and len(made) == 150  # kept
    assert cache.many(calls[0]) == [tagger.describe(t) for t in calls[0]]
    assert made[150:] == calls[0]  # made room for: made again
    # the tagger's batch reads its analyses there, and the models find the same strings' rows
    batch = tagger.batch(sentences[:3])
    assert batch.string_infos == [tagger.describe(t) for t in batch.strings]
    assert tagger._infos.slots is tagger.crf.slots


def test_override_sentences_are_those_where_a_phrase_can_start(tagger, sentences):
    """The sentences where an ``overrides.tsv`` phrase can start (a token's key or base is a
    phrase's first word: وتنظيم، الدولة، داعش), read from the flags kept with the strings'
    rows, are those the analyses give word by word: fresh, read back, and with an empty
    sentence in between."""
    firsts = tagger._override_first
    news = [["قال", "مسؤول", "إن", "تنظيم", "الدولة", "الإسلامية", "تبنى", "الهجوم"], [],
            ["وأعلن", "داعش", "مسؤوليته", "."], ["وتنظيم", "القاعدة", "في", "اليمن"]]
    head, tail = sentences[:len(sentences) // 2], sentences[len(sentences) // 2:]
    for at, sents in ((len(head), head + news), (0, news + tail), (len(head), head + news)):
        batch = tagger.batch(sents)
        want = {k for k, infos in enumerate(batch.sentences(batch.infos))
                if any(x.key in firsts or x.base in firsts for x in infos)}
        assert {at, at + 2, at + 3} <= want and at + 1 not in want
        assert tagger._override_sentences(batch) == want
        assert tagger._override_sentences(batch) == want  # the flags read back


def test_character_vectors_equal_the_convolution(tagger, sentences):
    """The character CNN (every string's character ids looked up at once, the convolution
    as a sum of lookups) equals the convolution written out from the weights, for real
    Arabic tokens, a string longer than the window and characters the model never saw, in
    one call and one string at a time."""
    from rasid.stages.ner_nn import MAX_CHARS

    net = tagger.nets[0]
    norms = [tagger.describe(t).norm for sent in sentences[:3] for t in sent]
    norms += ["ابن" * 12, "☃x", "", "a\ud800b", "𝔸ب"]  # lone surrogate, a character past the BMP
    K = net.conv_w.shape[2]

    def conv(norm):
        ids = [0] * (K // 2) + net.vocab.char_ids(norm) + [0] * MAX_CHARS
        n = len(net.vocab.char_ids(norm))
        h = [sum(net.cemb[ids[p + k]] @ net.conv_w[:, :, k].T for k in range(K)) + net.conv_b for p in range(n)]
        return np.maximum(np.array(h), 0).max(axis=0)

    want = np.array([conv(x) for x in norms])
    np.testing.assert_allclose(net.char_vectors(norms), want, atol=1e-5)
    assert np.array_equal(net.char_vectors(norms), np.concatenate([net.char_vectors([x]) for x in norms]))
    assert net.vocab.char_ids("☃x")[1] == 1  # unknown character


def test_token_analysis_reads_strings_as_the_tokenizer(sentences):
    """``analyse_token`` (the tokenizer's pattern and proclitic split only) gives the
    analysis of ``rasid.arabic.tokenize``'s first word of the string, for the words of the
    sample articles and ANERcorp and for strings with punctuation, digits and spaces."""
    from rasid.arabic.normalize import normalize_name
    from rasid.arabic.tokenize import tokenize
    from rasid.stages.ner_features import analyse_token

    def by_tokenizer(text):
        toks, norm = tokenize(text), normalize_name(text)
        word = next((t for t in toks if t.kind == "word"), None)
        kind = "punct" if not toks else "mixed" if len(toks) > 1 else toks[0].kind
        if word is None or word.start > 0:
            return norm, "", norm, False, kind
        return norm, word.clitic, word.base + normalize_name(text[word.end:]), word.article, kind

    sample = Path(__file__).resolve().parents[2] / "src" / "rasid" / "sample"
    words = {w for p in sample.glob("*.txt") for w in p.read_text(encoding="utf-8").split()}
    words |= {t for s in sentences for t in s} | {"", " ", "وباريس،", "(باريس)", " باريس", "،و", "12.5%", "x-y", "للولايات"}
    assert len(words) > 500
    assert [w for w in words if analyse_token(w) != by_tokenizer(w)] == []
    assert analyse_token("وبالمدينة")[1:4] == ("وب", "المدينة", True)


@pytest.mark.parametrize("text, shape", [("باريس", "a"), ("AbC123", "Ld"), ("12.5%", "d.d%"), ("٢٠١٥م", "da"),
                                         ("(باريس)", "(a)"), ("a b--c", "L_L-L"), ("ـــ", "a"), ("x1y2z3w4", "LdLdLd")])
def test_word_shape(text, shape):
    from rasid.stages.ner_features import _shape

    assert _shape(text) == shape


def test_large_model_files_are_mapped_and_the_vectors_read_in_place():
    import mmap

    from rasid.stages.ner import MAP_BYTES, _read_model_dir

    blobs, manifest = _read_model_dir(None)
    assert isinstance(blobs["vectors.npz"], mmap.mmap) and isinstance(blobs["overrides.tsv"], bytes)
    assert all(isinstance(b, mmap.mmap) == (len(b) >= MAP_BYTES) for b in blobs.values())
    vec = WordVectors(blobs["vectors.npz"], {})
    base = vec.vectors
    while isinstance(base, (np.ndarray, memoryview)):
        base = base.obj if isinstance(base, memoryview) else base.base
    assert base is blobs["vectors.npz"]
    with np.load(io.BytesIO(bytes(blobs["vectors.npz"])), allow_pickle=False) as z:
        assert (vec.vectors == z["vectors"]).all()


def test_cached_gate_inputs_equal_inputs_made_afresh(tagger, sentences):
    """The network's emissions from its row cache (``token_gates``: each token reads its
    string's cached row where it lies, the tokens with gazetteer or ``ptrig`` features get
    their own rows put in place in each LSTM batch) equal those of input rows made afresh
    for the same ANERcorp sentences, over more sentences than one LSTM batch holds, with
    such tokens in every batch."""
    from rasid.stages.ner_nn import BATCH, padded_batches

    net = tagger.nets[0]
    many = (sentences * (BATCH // len(sentences) + 2))[:BATCH + 40]
    batch = tagger.batch(many)
    M, index, own = net.token_gates(batch)
    assert M is net._token_rows.rows  # read in place, not copied
    tokens, rows = own
    assert rows.shape == (len(tokens), net.wih.shape[1]) and len(tokens) == len(batch.featured) > 20
    per_batch = [np.isin(tokens, fwd[live]).sum() for fwd, _, live in padded_batches(batch.lengths)]
    assert len(per_batch) == 2 and min(per_batch) > 0
    got = net.gate_emissions(M, batch.lengths, index, own)
    np.testing.assert_array_equal(got, net.batch_emissions(batch))
    np.testing.assert_allclose(got, net.flat_emissions(net.batch_inputs(batch), batch.lengths), atol=1e-4)
    # without the tokens' own rows the emissions differ there: the correction is not a no-op
    plain = net.gate_emissions(M, batch.lengths, index)
    assert not np.allclose(plain[tokens], got[tokens], atol=1e-3)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_row_cache_matrix_is_private_to_a_forked_worker():
    """A row cache's matrix of 4 MB or more (asked for in huge pages where the kernel offers
    them) is writable, starts as np.empty's would, and stays private: what a forked worker
    writes into it is not seen by the parent, nor the other way round."""
    import mmap
    import os

    from rasid.stages.ner_nn import _lazy_matrix

    def memory(a):  # what holds the array's memory
        while isinstance(a, np.ndarray) and a.base is not None:
            a = a.base
        return a.obj if isinstance(a, memoryview) else a

    assert isinstance(memory(_lazy_matrix((10, 544), np.float32)), np.ndarray)  # small: np.empty's own
    m = _lazy_matrix((2_000, 544), np.float32)
    assert m.shape == (2_000, 544) and m.dtype == np.float32 and m.flags.writeable
    assert isinstance(memory(m), mmap.mmap) or not hasattr(mmap, "MADV_HUGEPAGE")
    m[:] = 1.0
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: writes its own rows, reports what it sees of the parent's
        m[:] = 2.0
        os.write(write, b"%d" % int(m[5, 7]))
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 8) == b"2" and m[5, 7] == 1.0 and float(m.sum()) == m.size
