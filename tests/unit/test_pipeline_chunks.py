"""Chunks of documents through the pipeline stage by stage (`Pipeline.pipe`, `Pipeline.run_chunk`)
and the batched ner stage (`NERStage.pipe`), on SaudiNewsNet excerpts (tests/resources,
CC BY-NC-SA 4.0): the same layers as one document at a time, a bad article failing alone, the
strict-mode checks per document."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from rasid.doc import Document
from rasid.pipeline import Pipeline, PipelineError, Stage
from rasid.stages import build_pipeline, create_stage
from rasid.stages.ner import NERStage
from rasid.stages.ner_features import document_features
from rasid.workers import analyse_chunks

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-sample.jsonl"


def articles(n: int) -> list[Document]:
    with SAMPLE.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:n]
    return [Document(text=r["content"], title=r["title"], origin=f"sample:{k}") for k, r in enumerate(rows)]


def layers(doc: Document) -> dict:
    return {name: [(s.start, s.end, s.label, s.attrs, s.id) for s in spans] for name, spans in doc.layers.items()}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(strict=True)


def test_pipe_in_chunks_gives_the_layers_of_one_document_at_a_time(pipeline, monkeypatch):
    one = [pipeline(doc) for doc in articles(8)]
    tagger = next(s for s in pipeline.stages if s.name == "ner").tagger
    calls = []
    tag_tokens = tagger.tag_tokens
    monkeypatch.setattr(tagger, "tag_tokens", lambda batch, *a: calls.append(len(batch.doc_sizes)) or tag_tokens(batch, *a))
    chunked = list(pipeline.pipe(articles(8), chunk=4))
    assert calls == [4, 4]  # the ner stage tagged each chunk's sentences as one batch
    assert [d.origin for d in chunked] == [f"sample:{k}" for k in range(8)]
    assert sum(len(d.layers["entities"]) for d in one) > 100
    for a, b in zip(one, chunked):
        assert layers(a) == layers(b)  # entities with their confidence, span ids, every later layer


class BreakOne(Stage):
    """Makes the tokens of a document marked ``break`` unreadable for the ner stage."""

    name = "break"
    reads = ("tokens",)
    writes = ("tokens",)

    def __call__(self, doc):
        if doc.meta.get("break"):
            doc.tokens[3] = dataclasses.replace(doc.tokens[3], text=None)
        return doc


def test_a_bad_article_fails_alone_with_the_error_it_gives_alone():
    stages = [create_stage("tokenize"), BreakOne(), create_stage("ner")]
    pipeline = Pipeline(stages, strict=False)
    bad = articles(3)[1]
    bad.meta["break"] = True
    with pytest.raises(Exception) as alone:
        pipeline(bad)
    docs = articles(3)
    docs[1].meta["break"] = True
    too_long = Document(text="كلمة " * 1_100_000, origin="too-long")
    out = pipeline.run_chunk([*docs, too_long])
    assert isinstance(out[1], type(alone.value)) and str(out[1]) == str(alone.value)
    assert "MAX_ARTICLE_CHARS" in str(out[3]) or "too long" in str(out[3]).lower()
    good = [pipeline(d) for d in (articles(3)[0], articles(3)[2])]
    assert [layers(out[0]), layers(out[2])] == [layers(d) for d in good]
    assert "entities" not in docs[1].layers  # the failed batch wrote nothing
    got = list(analyse_chunks(pipeline, articles(3)[:1] + [docs[1]], 4))
    assert got[1][1] == f"{type(alone.value).__name__}: {alone.value}"
    with pytest.raises(type(alone.value)):
        list(pipeline.pipe(docs, chunk=3))


class SneakyNER(NERStage):
    """The ner stage that also writes into ``meta``, which it does not declare."""

    def pipe(self, docs):
        docs = super().pipe(docs)
        for doc in docs:
            doc.meta["seen"] = True
        return docs


class CopyingNER(NERStage):
    """The ner stage that gives back copies of its documents."""

    def pipe(self, docs):
        return [dataclasses.replace(doc) for doc in super().pipe(docs)]


@pytest.mark.parametrize("stage, message", [(SneakyNER, r"changed \['meta'\], which it does not declare"),
                                            (CopyingNER, "returned another Document")])
def test_strict_mode_checks_each_document_of_a_chunk(stage, message):
    pipeline = Pipeline([create_stage("tokenize"), stage()], strict=True)
    out = pipeline.run_chunk(articles(3))
    assert all(isinstance(x, PipelineError) for x in out)
    assert all(x.args[0].startswith("stage 'ner'") for x in out)
    with pytest.raises(PipelineError, match=message):
        list(pipeline.pipe(articles(3), chunk=3))
    assert isinstance(Pipeline([create_stage("tokenize"), stage()], strict=False).run_chunk(articles(2))[0], Document)


def test_document_features_never_look_across_documents():
    """Two articles that share a rare name: batched together, each reads only its own."""
    tok = create_stage("tokenize")
    tagger = NERStage().tagger
    sents = [[t.text for t in tok(Document(text=text)).tokens]
             for text in ("قال الرئيس هولاند إن فرنسا في حرب.", "التقى هولاند وزير الخارجية.")]
    together = document_features(tagger.batch(sents), 20)
    apart = document_features(tagger.batch(sents, [1, 1]), 20)
    assert any("D:trig=PER" in f for f in together[len(sents[0]):])
    assert all(not f for f in apart)
    with pytest.raises(ValueError, match="do not add up"):
        tagger.batch(sents, [1])


def ingest(tmp_path: Path, name: str, docs: list[Document]) -> tuple[dict, list]:
    from rasid.monitor import Monitor

    with Monitor(tmp_path / f"{name}.db") as monitor:
        summary = monitor.ingest_documents(docs, batch_size=1).to_dict()
        stored = sorted((d.text[:40], len(d.text), [(e.start, e.end, e.label, e.attrs) for e in d.layers["entities"]])
                        for d in monitor.store.iter_documents())
    return {k: summary[k] for k in ("read", "stored", "updated", "duplicates", "failed")}, stored


def test_ingest_in_chunks_stores_what_one_document_at_a_time_stores(tmp_path, monkeypatch):
    """Read a chunk ahead of the store: a copy and a fuller version of an article of the batch
    not yet committed are still found (`Monitor._checked_again`), as one by one."""
    def docs() -> list[Document]:
        a, b, c, d = articles(4)
        snippet = Document(text=b.text[:300], title=b.title, url="http://news.test/b")
        fuller = Document(text=b.text, title=b.title, url="http://news.test/b")
        # all but d read in the first chunk, before a and the snippet are committed
        return [a, snippet, Document(text=a.text, title=a.title), fuller, c, d]

    tagger = NERStage().tagger
    calls = []
    tag_tokens = tagger.tag_tokens
    monkeypatch.setattr(tagger, "tag_tokens", lambda batch, *a: calls.append(len(batch.doc_sizes)) or tag_tokens(batch, *a))
    monkeypatch.setenv("RASID_NER_BATCH_ARTICLES", "1")
    one = ingest(tmp_path, "one", docs())
    assert set(calls) == {1}
    monkeypatch.setenv("RASID_NER_BATCH_ARTICLES", "5")
    calls.clear()
    chunked = ingest(tmp_path, "chunked", docs())
    assert calls[0] == 5 and 1 in calls  # the fuller version analysed again, from the text as read
    assert one == chunked
    assert one[0]["duplicates"] == 1 and one[0]["updated"] == 1 and len(one[1]) == 4


def test_the_networks_batches_hold_at_most_gate_tokens_and_give_the_same_scores(monkeypatch):
    """A chunk's sentences go through the LSTM in batches of at most `GATE_TOKENS` tokens (but
    one sentence at least): the same emissions as in batches of `BATCH` sentences alone, up to
    the last bits of a float32 (BLAS rounds a product of a few rows differently)."""
    from rasid.stages import ner_nn

    lengths = [250, 30, 0, 120, 5, 90, 60, 60, 1]
    sizes = [int(live.sum()) for _, _, live in ner_nn.padded_batches(lengths, 150)]
    assert sizes == [250, 120, 150, 96]  # longest first; a sentence longer than the cap alone
    assert [int(live.sum()) for _, _, live in ner_nn.padded_batches(lengths)] == [sum(lengths)]
    tagger = NERStage().tagger
    tok = create_stage("tokenize")
    docs = [tok(d) for d in articles(4)]
    groups = [t for d in docs for t in d.tokens]
    sents = [[t.text for t in groups[i:i + 40]] for i in range(0, len(groups), 40)]
    batch = tagger.batch(sents)
    net = tagger.nets[0]
    monkeypatch.setattr(ner_nn, "GATE_TOKENS", None)
    whole = net.batch_emissions(batch)
    monkeypatch.setattr(ner_nn, "GATE_TOKENS", 100)
    seen, padded = [], ner_nn.padded_batches
    monkeypatch.setattr(ner_nn, "padded_batches", lambda *a: [b for b in padded(*a) if not seen.append(b[2].sum())])
    capped = net.batch_emissions(batch)
    assert len(seen) > 10 and max(seen) <= 100
    # float32 products over batches of other sizes: the same numbers up to their last bits
    assert np.allclose(capped, whole, rtol=1e-5, atol=1e-5)
    assert (capped.argmax(1) == whole.argmax(1)).all()


def test_a_worker_analyses_its_task_in_chunks(monkeypatch):
    import gc

    from rasid import workers

    threshold = gc.get_threshold()
    monkeypatch.setattr(workers, "watch_parent", lambda: None)
    for name in ("_WORKER_PIPELINE", "_WORKER_PREPARERS", "_WORKER_CHUNK", "FROM_TEMPLATE"):
        monkeypatch.setattr(workers, name, getattr(workers, name))  # restored after the test
    try:
        workers.start_worker(("tokenize", "ner"), True, 4)
    finally:
        gc.set_threshold(*threshold)
    monkeypatch.setattr(workers, "_WORKER_PREPARERS", [])
    tagger = NERStage().tagger
    calls = []
    tag_tokens = tagger.tag_tokens
    monkeypatch.setattr(tagger, "tag_tokens", lambda batch, *a: calls.append(len(batch.doc_sizes)) or tag_tokens(batch, *a))
    docs = articles(6)
    docs[2].text = "كلمة " * 1_100_000
    out = workers.analyse_all_in_worker(docs)
    assert calls == [3, 2]  # 4 then 2 documents a chunk, the one over the size limit out of the first
    assert out[2].startswith("ArticleTooLong") and all(not isinstance(o, str) for k, o in enumerate(out) if k != 2)
    assert sum(1 for o in out if not isinstance(o, str) and any(s.label == "PER" for s in o.layers["entities"])) >= 3


def test_the_default_chunk_tags_eight_articles_together(monkeypatch):
    """Without the setting, `Pipeline.pipe` tags eight articles a batch: as fast as sixteen,
    and each worker keeps some 15 MB less (docs/speed.md, "Memory after batched NER")."""
    monkeypatch.delenv("RASID_NER_BATCH_ARTICLES", raising=False)
    stage = NERStage()
    calls = []
    tag_tokens = stage.tagger.tag_tokens
    monkeypatch.setattr(stage.tagger, "tag_tokens",
                        lambda batch, *a: calls.append(len(batch.doc_sizes)) or tag_tokens(batch, *a))
    tagged = list(Pipeline([create_stage("tokenize"), stage]).pipe(articles(10)))
    assert calls == [8, 2] and all(doc.layers["entities"] for doc in tagged)
