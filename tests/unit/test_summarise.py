"""Extractive summaries, ROUGE and keyphrases (issue 5 item 3)."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.pipeline import Pipeline
from rasid.stages.summarise import SummaryStage
from rasid.stages.tokenize import TokenizeStage
from rasid.summarise import (compress_headline, extract_keyphrases, extract_story_keyphrases,
                             score_rouge, summarise_document, summarise_story, tokenize_for_rouge)
from rasid.summarise.baselines import compute_pagerank, lead_sentences, textrank_sentences
from rasid.summarise.keyphrases import convert_phrase_key
from rasid.summarise.rouge import compute_lcs
from rasid.summarise.terms import compute_cosine, extract_sentence_terms

RES = Path(__file__).resolve().parents[1] / "resources"
SHARED = Path(__file__).resolve().parents[3] / "shared"


def read_seed() -> Document:
    raw = (RES / "paris-2015.txt").read_text("utf-8")
    try:
        from rasid.ingest.text import read_text_article
    except ImportError:  # pragma: no cover - before the ingest module existed
        lines = raw.split("\n")[1:]
        body = [ln for ln in lines if not ln.startswith(("مصدر الصورة", "Image caption"))]
        return Document(text="\n".join(body).strip(), title=raw.split("\n")[0])
    return read_text_article(raw)


@pytest.fixture(scope="module")
def seed() -> Document:
    return TokenizeStage()(read_seed())


# -- ROUGE ------------------------------------------------------------------------------------
def test_rouge_hand_computed():
    s = score_rouge("الرئيس الفرنسي في باريس", "الرئيس الفرنسي يزور باريس")
    assert s.rouge1 == pytest.approx(0.75)
    assert s.rouge2 == pytest.approx(1 / 3)
    assert s.rougeL == pytest.approx(0.75)


def test_rouge_l_order_matters():
    s = score_rouge("واحد اثنان ثلاثة اربعة", "اثنان واحد ثلاثة اربعة")
    assert s.rouge1 == pytest.approx(1.0)
    assert s.rougeL == pytest.approx(0.75)
    assert compute_lcs(list("abcbdab"), list("bdcaba")) == 4


@pytest.mark.parametrize("cand,ref", [
    ("الرَّئِيسُ أعلنَ", "الرئيس اعلن"),      # harakat, hamza on alef
    ("مدينة الرياض", "مدينه الرياض"),          # ta marbuta
    ("«داعش»، يهاجم.", "داعش يهاجم"),          # punctuation and guillemets
    ("مصطفى ٢٠١٥", "مصطفي 2015"),             # alef maqsura, Arabic-Indic digits
])
def test_rouge_normalisation_variants(cand, ref):
    assert score_rouge(cand, ref).rougeL == pytest.approx(1.0)


def test_rouge_clitics_only_match_when_stemmed():
    assert score_rouge("والرئيس", "الرئيس").rouge1 == 0.0
    assert score_rouge("والرئيس", "الرئيس", stem=True).rouge1 == pytest.approx(1.0)
    assert tokenize_for_rouge("Hello, العالم!") == ["hello", "العالم"]


def test_rouge_empty():
    assert score_rouge("", "شيء").rougeL == 0.0


# -- summaries --------------------------------------------------------------------------------
def test_summary_spans_are_whole_sentences(seed):
    sentences = {(s.start, s.end) for s in seed.sentences}
    for k in (1, 3, 5):
        spans = summarise_document(seed, k=k)
        assert len(spans) == k
        assert [s.attrs["rank"] for s in spans] == list(range(k))
        for sp in spans:
            assert 0 <= sp.start < sp.end <= len(seed.text)
            assert (sp.start, sp.end) in sentences
            assert sp.label == "SUMMARY"


def test_summary_has_no_near_duplicates(seed):
    spans = summarise_document(seed, k=6)
    vec = {s.start: v for s, _, v in extract_sentence_terms(seed)}
    for i, a in enumerate(spans):
        for b in spans[i + 1:]:
            assert compute_cosine(vec[a.start], vec[b.start]) < 0.6


def test_summary_skips_duplicate_sentence():
    text = ("أعلنت الحكومة اليوم عن خطة جديدة لمكافحة البطالة بين الشباب في المدن الكبرى. "
            "أعلنت الحكومة اليوم عن خطة جديدة لمكافحة البطالة بين الشباب في المدن الكبرى. "
            "وقال وزير العمل إن الخطة تشمل تدريب عشرة آلاف شاب خلال العام المقبل في مراكز مهنية.")
    spans = summarise_document(Document(text=text), k=2)
    texts = [s.text_of(text) for s in spans]
    assert len(set(texts)) == len(texts) == 2


def test_summary_skips_short_dateline_and_quote_lines():
    text = ("الرياض - واس\n"
            "\"هذا يوم تاريخي لنا جميعا ولن ننساه أبدا في حياتنا كلها\"\n"
            "وقع وزير الخارجية اتفاقية تعاون اقتصادي مع نظيره الفرنسي في الرياض اليوم بحضور عدد من المسؤولين.\n"
            "وتشمل الاتفاقية مشاريع في مجالات الطاقة والنقل والتعليم خلال السنوات الخمس المقبلة.")
    best = summarise_document(Document(text=text), k=1)[0].text_of(text)
    assert best.startswith("وقع وزير الخارجية")


def test_story_summary(seed):
    a = read_seed()
    b = Document(text=a.text, url="https://example.org/copy")  # the same article twice
    pairs = summarise_story([a, b], k=5)
    assert 0 < len(pairs) <= 5
    texts = []
    for doc_id, span in pairs:
        doc = a if doc_id == a.id else b
        assert doc_id in (a.id, b.id)
        texts.append(span.text_of(doc.text))
    assert len(set(texts)) == len(texts)  # a fact told by both copies appears once


def test_summary_stage_keeps_publisher_summary(seed):
    doc = read_seed()
    doc.summary = "ملخص الناشر"
    pipe = Pipeline([TokenizeStage(), SummaryStage(k=3)])
    doc = pipe(doc)
    layer = doc.layers["summary"]
    assert len(layer) == 3 and doc.summary == "ملخص الناشر"
    assert [s.start for s in layer] == sorted(s.start for s in layer)
    assert sorted(s.attrs["rank"] for s in layer) == [0, 1, 2]
    assert SummaryStage.reads == ("tokens", "sentences")


def test_compress_headline():
    s = ("أعلن صاحب السمو الملكي الأمير خالد الفيصل اليوم (الاثنين) افتتاح المعرض الدولي للكتاب في جدة، "
         "مؤكدا أن المعرض يضم أكثر من 500 دار نشر")
    h = compress_headline(s, min_words=6)
    assert h == "أعلن الأمير خالد الفيصل اليوم افتتاح المعرض الدولي للكتاب في جدة"
    assert compress_headline("خبر قصير جدا") == "خبر قصير جدا"


def test_baselines(seed):
    assert lead_sentences(seed, 1)[0].start == seed.sentences[0].start
    tr = textrank_sentences(seed, 3)
    assert len(tr) == 3
    import numpy as np
    r = compute_pagerank(np.array([[0, 1.0, 1.0], [1.0, 0, 0], [1.0, 0, 0]]))
    assert r.sum() == pytest.approx(1.0) and r[0] > r[1] == pytest.approx(r[2])


# -- keyphrases -------------------------------------------------------------------------------
def test_keyphrases_on_seed(seed):
    kps = extract_keyphrases(seed, k=10)
    assert len(kps) == 10
    keys = {k["key"] for k in kps}
    assert keys & {"باريس", "هجمات باريس"}
    assert any(k.startswith("تنظيم") or "دوله" in k for k in keys)
    for kp in kps:
        for a, b in kp["spans"]:
            assert convert_phrase_key(seed.text[a:b]) == kp["key"]


def test_phrase_key_normalisation():
    assert convert_phrase_key("للصراعات الفكرية") == convert_phrase_key("الصراعات الفكريه")
    assert convert_phrase_key("وبالكتاب") == "كتاب"


def test_story_keyphrases(seed):
    a = read_seed()
    b = Document(text="وقعت هجمات باريس يوم الجمعة. وأعلن تنظيم الدولة مسؤوليته عن هجمات باريس.",
                 url="https://example.org/b")
    kps = extract_story_keyphrases([a, b], k=5)
    assert kps and all(len(sp) == 3 for kp in kps for sp in kp["spans"])
    assert max(kp["df"] for kp in kps) == 2


# -- eval commands ----------------------------------------------------------------------------
def test_eval_summaries_last_line(tmp_path):
    from rasid.eval.summaries import main

    path = tmp_path / "x.jsonl"
    src = [json.loads(l) for l in (RES / "saudinewsnet-summ.jsonl").open(encoding="utf-8")][:5]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in src), "utf-8")
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main([str(path)]) == 0
    last = buf.getvalue().strip().splitlines()[-1]
    assert last.startswith("rouge-L ")
    float(last.split()[1])


def test_summary_quality_floor():
    """Quality gate on 150 SaudiNewsNet articles: rasid's ROUGE-L >= Lead-1's and TextRank's."""
    from rasid.eval.summaries import read_jsonl, run_systems
    from rasid.summarise.rouge import average_rouge

    records = read_jsonl(str(RES / "saudinewsnet-summ.jsonl"))
    assert len(records) >= 100
    res = {k: average_rouge(v).rougeL for k, v in run_systems(records, 1).items()}
    assert res["rasid"] >= res["Lead-1"]
    assert res["rasid"] >= res["TextRank"]
    assert res["rasid"] >= 0.15  # measured 0.19x; never lowered silently


@pytest.mark.skipif(not (SHARED / "data/keyphrases/akec").exists(), reason="AKEC (shared data) absent")
def test_akec_keyphrase_floor():
    from rasid.eval.keyphrases import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main([str(SHARED / "data/keyphrases/akec"), "--split", "test"]) == 0
    last = buf.getvalue().strip().splitlines()[-1]
    assert last.startswith("F1@10 ")
    assert float(last.split()[1]) >= 12.0  # measured 14.05 on the test ids; never lowered silently


def test_sentence_terms_read_from_their_memo_are_each_words_term(monkeypatch):
    """`extract_sentence_terms` reads each token's term from a memo by its norm: on real
    articles the vectors are the sums of `weigh_term` over each sentence's words in order
    (numbers, punctuation and stopwords adding nothing), fresh, read back, and with a memo
    so small that it is trimmed at every text."""
    import rasid.summarise.terms as terms

    sample = Path(terms.__file__).resolve().parents[1] / "sample" / "saudinewsnet-200.jsonl"
    docs = []
    for line in sample.read_text("utf-8").splitlines()[:25]:
        doc = Document(text=json.loads(line)["content"])
        TokenizeStage()(doc)
        docs.append(doc)

    def expected(doc):
        out = []
        for sent, toks in zip(doc.sentences, terms.group_tokens(doc.tokens, doc.sentences)):
            vec: dict[str, float] = {}
            for tok in toks:
                term = terms.weigh_term(tok.norm, tok.base) if tok.kind == "word" else None
                if term is not None:
                    vec[term[0]] = vec.get(term[0], 0.0) + term[1]
            out.append((sent, list(vec.items())))
        return out

    def found(doc):
        return [(sent, list(vec.items())) for sent, _, vec in terms.extract_sentence_terms(doc)]

    rial = Document(text="بلغ سعر التذكرة 50 ريال، أي 50 ﷼ فقط، والريال عملة المملكة.")
    TokenizeStage()(rial)
    docs = [rial] + docs + [rial]  # ﷼ is punctuation whose norm is the word ريال: no term
    terms._TERM_MEMO.clear()
    want = [expected(d) for d in docs]
    assert [t.kind for t in rial.tokens if t.text == "﷼"] == ["punct"]
    assert sum(1 for _, v in want[0] for k, _ in v if k == terms._key("ريال")) == 1
    assert sum(len(v) for rows in want for _, v in rows) > 1000
    assert [found(d) for d in docs] == want  # filled
    assert [found(d) for d in docs] == want  # read back
    monkeypatch.setattr(terms, "TERM_MEMO", 8)
    assert [found(d) for d in docs] == want
    assert len(terms._TERM_MEMO) <= 8 + max(len(d.tokens) for d in docs)
    terms._TERM_MEMO.clear()
